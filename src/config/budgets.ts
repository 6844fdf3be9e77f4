// config/budgets.yaml: spend and token limits by scope and window, throttle thresholds, admission settings.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { loadYamlFile, parseYamlWith } from '../diagnostics/index.ts';
import { type Category, categorySchema } from '../events/vocabulary.ts';

export const budgetScopeSchema = z.enum(['global', 'session', 'category', 'workflow', 'model']);
export type BudgetScope = z.infer<typeof budgetScopeSchema>;
export const budgetWindowSchema = z.enum(['hour', 'day', 'month']);
export type BudgetWindow = z.infer<typeof budgetWindowSchema>;

const fraction = z.number().gt(0).max(1);

const budgetEntrySchema = z
  .object({
    /** Unique; named in every message about this budget. */
    name: z
      .string()
      .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'expected a name of letters, digits, ".", "_" or "-"'),
    scope: budgetScopeSchema,
    /** Only this session, category, workflow or model; without it each one gets its own budget. */
    match: z.string().min(1).optional(),
    window: budgetWindowSchema,
    limitUsd: z.number().positive().optional(),
    limitTokens: z.number().int().positive().optional(),
    /** BUDGET_WARNING once utilisation reaches this fraction. @default throttle.warning */
    warnAt: fraction.optional(),
  })
  .strict()
  // Runs even when other fields are wrong, so that one pass reports every problem.
  .check(z.superRefine(checkEntry, { when: (payload) => isRecord(payload.value) }));

type EntryShape = { scope?: unknown; match?: unknown; limitUsd?: unknown; limitTokens?: unknown };

function checkEntry(value: unknown, context: z.RefinementCtx): void {
  const entry = value as EntryShape;
  if ((entry.limitUsd === undefined) === (entry.limitTokens === undefined)) {
    context.addIssue({
      code: 'custom',
      message: 'set exactly one of "limitUsd" or "limitTokens"',
      path: [],
      input: value,
    });
  }
  if (entry.match === undefined) return;
  if (entry.scope === 'global' || entry.scope === 'session') {
    context.addIssue({
      code: 'custom',
      message: `"match" narrows a category, workflow or model budget, not a ${entry.scope} one`,
      path: ['match'],
      input: entry.match,
    });
  }
  if (entry.scope === 'category' && !categorySchema.safeParse(entry.match).success) {
    context.addIssue({
      code: 'custom',
      message: 'expected one of "FAST" | "NORMAL" | "COMPLEX" | "HIGH_COMPLEX"',
      path: ['match'],
      input: entry.match,
    });
  }
}

function checkUniqueNames(value: unknown[], context: z.RefinementCtx): void {
  const first = new Map<unknown, number>();
  value.forEach((item, index) => {
    const name = isRecord(item) ? item.name : undefined;
    if (typeof name !== 'string') return;
    const earlier = first.get(name);
    if (earlier === undefined) first.set(name, index);
    else
      context.addIssue({
        code: 'custom',
        message: `duplicate budget name "${name}"; budgets[${earlier}] has the same name`,
        path: [index, 'name'],
        input: name,
      });
  });
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const outputTokensSchema = z.number().int().positive();

/** The shape of config/budgets.yaml. */
export const budgetsFileSchema = z
  .object({
    version: z.literal(1),
    throttle: z
      .object({ warning: fraction, soft: fraction, hard: fraction, critical: fraction })
      .strict()
      .refine((t) => t.warning < t.soft && t.soft < t.hard && t.hard < t.critical, {
        message: 'expected warning < soft < hard < critical',
      })
      .optional(),
    admission: z
      .object({
        /** A reservation not settled within this long (its process died) is released. */
        leaseMs: z.number().int().positive().optional(),
        /** A throttled task asks again after at most this long. */
        throttleRetryMs: z.number().int().positive().optional(),
        /** Output tokens assumed when estimating a call, by category (`unknown`: no category). */
        expectedOutputTokens: z
          .object({
            FAST: outputTokensSchema.optional(),
            NORMAL: outputTokensSchema.optional(),
            COMPLEX: outputTokensSchema.optional(),
            HIGH_COMPLEX: outputTokensSchema.optional(),
            unknown: outputTokensSchema.optional(),
          })
          .strict()
          .optional(),
      })
      .strict()
      .optional(),
    budgets: z
      .array(budgetEntrySchema)
      .check(z.superRefine(checkUniqueNames, { when: (payload) => Array.isArray(payload.value) })),
  })
  .strict();
export type BudgetsFile = z.infer<typeof budgetsFileSchema>;

/** One budget, normalised: `limit` is micro-USD when `unit` is `usd`, else tokens. */
export type BudgetDefinition = {
  readonly name: string;
  readonly scope: BudgetScope;
  readonly match: string | undefined;
  readonly window: BudgetWindow;
  readonly unit: 'usd' | 'tokens';
  readonly limit: number;
  readonly warnAt: number;
};

export type ThrottleThresholds = { warning: number; soft: number; hard: number; critical: number };

export type BudgetConfig = {
  readonly throttle: ThrottleThresholds;
  readonly leaseMs: number;
  readonly throttleRetryMs: number;
  readonly expectedOutputTokens: Readonly<Record<Category | 'unknown', number>>;
  readonly budgets: readonly BudgetDefinition[];
};

export const defaultThrottleThresholds: ThrottleThresholds = {
  warning: 0.7,
  soft: 0.8,
  hard: 0.9,
  critical: 0.95,
};
const defaultOutputTokens = { FAST: 500, NORMAL: 1_000, COMPLEX: 2_000, HIGH_COMPLEX: 4_000, unknown: 1_000 };

/** Turns a checked budgets file into the config the cost tracker uses. */
export function normaliseBudgets(file: BudgetsFile): BudgetConfig {
  const throttle = file.throttle ?? defaultThrottleThresholds;
  return {
    throttle,
    leaseMs: file.admission?.leaseMs ?? 600_000,
    throttleRetryMs: file.admission?.throttleRetryMs ?? 30_000,
    expectedOutputTokens: { ...defaultOutputTokens, ...file.admission?.expectedOutputTokens },
    budgets: file.budgets.map((entry) => ({
      name: entry.name,
      scope: entry.scope,
      match: entry.match,
      window: entry.window,
      unit: entry.limitUsd === undefined ? 'tokens' : 'usd',
      limit: entry.limitUsd === undefined ? (entry.limitTokens ?? 0) : Math.round(entry.limitUsd * 1_000_000),
      warnAt: entry.warnAt ?? throttle.warning,
    })),
  };
}

/**
 * Loads and checks a budgets file.
 * @throws ConfigError with file:line:col diagnostics for every problem.
 */
export async function loadBudgetConfig(path: string): Promise<BudgetConfig> {
  return normaliseBudgets(await loadYamlFile(path, budgetsFileSchema));
}

/** Parses budgets YAML text (for tests and embedded configs). */
export function parseBudgetConfig(text: string, file?: string): BudgetConfig {
  return normaliseBudgets(parseYamlWith(text, file, budgetsFileSchema));
}

/** The budgets used when no config/budgets.yaml exists; the shipped file says the same. */
export const defaultBudgetsFile: BudgetsFile = {
  version: 1,
  throttle: defaultThrottleThresholds,
  admission: { leaseMs: 600_000, throttleRetryMs: 30_000, expectedOutputTokens: defaultOutputTokens },
  budgets: [
    { name: 'session-hourly-tokens', scope: 'session', window: 'hour', limitTokens: 100_000 },
    { name: 'session-daily-tokens', scope: 'session', window: 'day', limitTokens: 1_000_000 },
    { name: 'session-hourly-usd', scope: 'session', window: 'hour', limitUsd: 5 },
    { name: 'session-daily-usd', scope: 'session', window: 'day', limitUsd: 50 },
    { name: 'global-hourly-tokens', scope: 'global', window: 'hour', limitTokens: 500_000 },
    { name: 'global-daily-tokens', scope: 'global', window: 'day', limitTokens: 5_000_000 },
    { name: 'global-monthly-usd', scope: 'global', window: 'month', limitUsd: 1_000 },
    {
      name: 'category-fast-monthly',
      scope: 'category',
      match: 'FAST',
      window: 'month',
      limitUsd: 50,
      warnAt: 0.8,
    },
    {
      name: 'category-normal-monthly',
      scope: 'category',
      match: 'NORMAL',
      window: 'month',
      limitUsd: 200,
      warnAt: 0.8,
    },
    {
      name: 'category-complex-monthly',
      scope: 'category',
      match: 'COMPLEX',
      window: 'month',
      limitUsd: 150,
      warnAt: 0.8,
    },
    {
      name: 'category-high-complex-monthly',
      scope: 'category',
      match: 'HIGH_COMPLEX',
      window: 'month',
      limitUsd: 50,
      warnAt: 0.8,
    },
  ],
};

/** The default budgets, normalised. */
export const defaultBudgetConfig: BudgetConfig = normaliseBudgets(defaultBudgetsFile);

/**
 * Loads `<dir>/budgets.yaml`, or the shipped defaults when the directory has none.
 * @throws ConfigError when the file exists but is invalid.
 */
export async function loadBudgetConfigFromDir(
  dir: string,
): Promise<{ config: BudgetConfig; path: string | undefined }> {
  const path = join(dir, 'budgets.yaml');
  if (!existsSync(path)) return { config: defaultBudgetConfig, path: undefined };
  return { config: await loadBudgetConfig(path), path };
}
