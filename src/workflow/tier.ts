import { z } from 'zod';
import type { Tier, TierRange } from '../events/vocabulary.ts';

/** `weak`, `base`, `strong` are the tiers 1, 2 and 4. */
export const tierAliases = { weak: 1, base: 2, strong: 4 } as const satisfies Record<string, Tier>;

const tierMessage = 'expected a tier: 0-4, "weak", "base" or "strong"';
/** One tier as written: 0-4 or an alias. */
export const tierValueSchema = z.union([z.literal([0, 1, 2, 3, 4]), z.enum(['weak', 'base', 'strong'])], {
  error: tierMessage,
});
export type TierValue = z.infer<typeof tierValueSchema>;

/** `tier:` on a task or in defaults: one tier, or a window `{ min, max, start }`. */
export const tierFieldSchema = z.union(
  [
    z.literal([0, 1, 2, 3, 4]),
    z.enum(['weak', 'base', 'strong']),
    z
      .object({
        min: tierValueSchema.optional(),
        max: tierValueSchema.optional(),
        start: tierValueSchema.optional(),
      })
      .strict(),
  ],
  { error: 'expected a tier (0-4, "weak", "base", "strong") or a window { min, max, start }' },
);
export type TierField = z.infer<typeof tierFieldSchema>;

/** The number of a tier written as a number or an alias. */
export function tierOf(value: TierValue): Tier {
  return typeof value === 'number' ? (value as Tier) : tierAliases[value];
}

/**
 * The window a task's `tier` allows. One tier means "start there, upgrade if it fails":
 * `weak` is `{ min: 1, max: 4, start: 1 }`. A window's missing `min` is 0 and missing `max` is 4.
 */
export function tierRangeOf(field: TierField): TierRange {
  if (typeof field !== 'object') {
    const tier = tierOf(field);
    return { min: tier, max: 4, start: tier };
  }
  const min = field.min === undefined ? 0 : tierOf(field.min);
  const max = field.max === undefined ? 4 : tierOf(field.max);
  return field.start === undefined ? { min, max } : { min, max, start: tierOf(field.start) };
}

/** Why a window cannot be used, or undefined when it is fine. */
export function tierRangeProblem(range: TierRange): string | undefined {
  if (range.min > range.max) return `tier.min ${range.min} is above tier.max ${range.max}`;
  if (range.start !== undefined && (range.start < range.min || range.start > range.max)) {
    return `tier.start ${range.start} is outside tier.min ${range.min} .. tier.max ${range.max}`;
  }
  return undefined;
}
