// Routing settings (config/routing.yaml): complexity factors, category constraints, throttle caps and
// the tier-upgrade chain, which must be bounded and free of cycles.
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { z } from 'zod';
import { didYouMeanHint } from '../diagnostics/index.ts';
import { errorCodes, OrchestratorError } from '../errors.ts';
import { throttleLevelSchema } from '../events/cost-events.ts';
import type { Category, Tier } from '../events/vocabulary.ts';
import { type ConfigProblem, loadConfigFile, parseConfigText, plainYaml } from './catalog-file.ts';
import { tierFieldSchema } from './tiers.ts';
import { checkUpgradeChain, parseTierKey, type UpgradeChain } from './upgrade-chain.ts';

export const routingModeSchema = z.enum(['on', 'shadow', 'off']);
export type RoutingMode = z.infer<typeof routingModeSchema>;
export type ThrottleLevel = z.infer<typeof throttleLevelSchema>;

const threshold = z.number().int().positive();
const categoryPolicySchema = z
  .object({
    minQuality: z.number().min(0).max(1),
    maxCostUsd: z.number().nonnegative().max(1000),
    slaMs: z.number().int().positive(),
    tiers: z.array(tierFieldSchema).min(1),
  })
  .strict();

export const routingFileSchema = z
  .object({
    mode: routingModeSchema.default('on'),
    complexity: z
      .object({
        charsPerToken: z.number().positive().max(100),
        contextTokens: z.object({ twoPointsFrom: threshold, threePointsFrom: threshold }).strict(),
        filesReferenced: z.object({ twoPointsFrom: threshold }).strict(),
        recentFailures: z.object({ window: threshold.max(1000), failures: threshold }).strict(),
        scanChars: z.number().int().min(100).max(100_000),
        fileExtensions: z.array(z.string().regex(/^[a-z0-9]+$/, 'expected an extension without the dot')),
      })
      .strict(),
    categories: z
      .object({
        FAST: categoryPolicySchema,
        NORMAL: categoryPolicySchema,
        COMPLEX: categoryPolicySchema,
        HIGH_COMPLEX: categoryPolicySchema,
      })
      .strict(),
    throttle: z.partialRecord(throttleLevelSchema.exclude(['NONE']), tierFieldSchema),
    upgrade: z
      .object({
        next: z.record(z.string(), tierFieldSchema),
        // Any number here (even .inf): the chain check explains why it must be a small integer.
        maxUpgrades: z.custom<number>(
          (value) => typeof value === 'number',
          'expected an integer from 0 to 4',
        ),
        skipOn: z.array(z.enum(errorCodes)).default([]),
      })
      .strict(),
  })
  .strict();
export type RoutingFile = z.infer<typeof routingFileSchema>;

/** The constraints of one category, money in integer micro-USD. */
export type CategoryPolicy = {
  readonly minQuality: number;
  readonly maxCostMicroUsd: number;
  readonly slaMs: number;
  /** Sorted, without duplicates. */
  readonly tiers: readonly Tier[];
};

/** Checked routing settings. */
export type RoutingConfig = {
  readonly mode: RoutingMode;
  readonly complexity: RoutingFile['complexity'];
  readonly categories: Readonly<Record<Category, CategoryPolicy>>;
  /** The highest tier allowed at each throttle level; a level not listed caps nothing. */
  readonly throttle: Readonly<Partial<Record<ThrottleLevel, Tier>>>;
  readonly upgrade: UpgradeChain;
};

function routingProblems(file: RoutingFile): ConfigProblem[] {
  const problems: ConfigProblem[] = [...checkUpgradeChain(file.upgrade)];
  const { contextTokens } = file.complexity;
  if (contextTokens.threePointsFrom <= contextTokens.twoPointsFrom)
    problems.push({
      path: ['complexity', 'contextTokens', 'threePointsFrom'],
      message: `expected more than twoPointsFrom (${contextTokens.twoPointsFrom}), got ${contextTokens.threePointsFrom}`,
    });
  return problems;
}

function toConfig(file: RoutingFile): RoutingConfig {
  const policy = (entry: RoutingFile['categories']['FAST']): CategoryPolicy => ({
    minQuality: entry.minQuality,
    maxCostMicroUsd: Math.round(entry.maxCostUsd * 1_000_000),
    slaMs: entry.slaMs,
    tiers: [...new Set(entry.tiers)].sort((a, b) => a - b),
  });
  const next: (Tier | undefined)[] = [undefined, undefined, undefined, undefined, undefined];
  for (const [key, to] of Object.entries(file.upgrade.next)) {
    const from = parseTierKey(key);
    if (from !== undefined) next[from] = to;
  }
  return {
    mode: file.mode,
    complexity: file.complexity,
    categories: {
      FAST: policy(file.categories.FAST),
      NORMAL: policy(file.categories.NORMAL),
      COMPLEX: policy(file.categories.COMPLEX),
      HIGH_COMPLEX: policy(file.categories.HIGH_COMPLEX),
    },
    throttle: file.throttle,
    upgrade: { next, maxUpgrades: file.upgrade.maxUpgrades, skipOn: new Set(file.upgrade.skipOn) },
  };
}

/** Paths of routing.yaml a partial file replaces as a whole: an upgrade chain is never merged. */
const atomicPaths = ['upgrade.next'];

/**
 * Parses routing.yaml text. With `defaults` (the text of a complete routing.yaml, normally the
 * shipped one), the file may hold only the keys it changes.
 * @throws ConfigError naming file, line, column and field of every problem.
 */
export function parseRoutingConfig(text: string, file: string | undefined, defaults?: string): RoutingConfig {
  const base = defaults === undefined ? undefined : { value: plainYaml(defaults), atomic: atomicPaths };
  return toConfig(parseConfigText(text, file, routingFileSchema, routingProblems, base));
}

/**
 * Loads `<dir>/routing.yaml`; keys it leaves out come from the shipped routing.yaml.
 * @throws ConfigError (CONFIG_NOT_FOUND when missing).
 */
export async function loadRoutingConfig(dir: string): Promise<RoutingConfig> {
  const shipped = resolve(dir) === resolve(bundledConfigDir);
  const defaults = shipped
    ? undefined
    : {
        value: plainYaml(await readFile(join(bundledConfigDir, 'routing.yaml'), 'utf8')),
        atomic: atomicPaths,
      };
  return toConfig(await loadConfigFile(dir, 'routing.yaml', routingFileSchema, routingProblems, defaults));
}

/** The config/ folder shipped with tierflow (models, task types, routing defaults). */
export const bundledConfigDir: string = join(import.meta.dirname, '..', '..', 'config');

/**
 * The routing mode in force: `TIERFLOW_ROUTING` (on | shadow | off) when set, else the config's.
 * @throws OrchestratorError CONFIG_INVALID for any other value of the variable.
 */
export function resolveRoutingMode(
  configured: RoutingMode,
  env: Readonly<Record<string, string | undefined>>,
): RoutingMode {
  const value = env.TIERFLOW_ROUTING;
  if (value === undefined || value === '') return configured;
  const parsed = routingModeSchema.safeParse(value.trim().toLowerCase());
  if (parsed.success) return parsed.data;
  const suggestion = didYouMeanHint(value, routingModeSchema.options);
  throw new OrchestratorError(
    'CONFIG_INVALID',
    `TIERFLOW_ROUTING=${JSON.stringify(value)} is not a routing mode; expected "on" | "shadow" | "off"`,
    { hint: suggestion ?? 'unset it to use `mode` from routing.yaml' },
  );
}
