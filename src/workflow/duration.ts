import { z } from 'zod';

const unitMs: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };
const durationPattern = /^\s*(?:\d+(?:\.\d+)?\s*(?:ms|s|m|h|d)\s*)+$/;
const partPattern = /(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)/g;

/** A duration as written in YAML: `500ms`, `30s`, `2m`, `1h`, `1h30m`, or a number of milliseconds. */
const durationMessage = 'expected a duration like 30s, 2m or 1h30m, or a number of milliseconds';
export const durationSchema = z.union(
  [
    z.string().regex(durationPattern, { error: durationMessage }),
    z.number().int().nonnegative({ error: durationMessage }),
  ],
  { error: durationMessage },
);

/** Milliseconds of a duration; undefined when it cannot be read. */
export function parseDuration(value: string | number): number | undefined {
  if (typeof value === 'number') return Number.isInteger(value) && value >= 0 ? value : undefined;
  if (!durationPattern.test(value)) return undefined;
  let total = 0;
  for (const match of value.matchAll(partPattern)) total += Number(match[1]) * unitMs[match[2]!]!;
  return Math.round(total);
}
