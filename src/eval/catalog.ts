import { z } from 'zod';
import { parseYamlWith, readConfigTextSync } from '../diagnostics/index.ts';
import { ConfigError } from '../errors.ts';
import { tierSchema } from '../events/index.ts';

const evalModelSchema = z
  .object({
    id: z.string().min(1),
    tier: tierSchema,
    usdPerCall: z.number().nonnegative(),
    inputUsdPerMillion: z.number().nonnegative(),
    outputUsdPerMillion: z.number().nonnegative(),
    latencyMs: z.number().int().positive(),
    qualityPrior: z.number().min(0).max(1),
  })
  .strict();

export const validatorKindSchema = z.enum(['tests', 'consensus', 'none']);
export type ValidatorKind = z.infer<typeof validatorKindSchema>;

export const evalCatalogSchema = z
  .object({
    strongest: z.string().min(1),
    models: z.array(evalModelSchema).min(1),
    categories: z
      .record(
        z.string(),
        z
          .object({
            validator: validatorKindSchema,
            expectedOutputTokens: z.number().int().positive().default(200),
          })
          .strict(),
      )
      .default({}),
  })
  .strict();
export type EvalCatalog = z.infer<typeof evalCatalogSchema>;
export type EvalModel = EvalCatalog['models'][number];

/** Reads and checks `config/eval-models.yaml` (or another catalog); problems name file, line and column. */
export function loadEvalCatalog(file: string): EvalCatalog {
  const text = readConfigTextSync(file);
  const catalog = parseYamlWith(text, file, evalCatalogSchema);
  if (!catalog.models.some((model) => model.id === catalog.strongest)) {
    throw new ConfigError([
      {
        file,
        line: 1,
        column: 1,
        code: 'CONFIG_INVALID',
        path: 'strongest',
        message: `strongest model "${catalog.strongest}" is not one of the catalog's models`,
        hint: 'name one of the ids under `models`',
      },
    ]);
  }
  return catalog;
}

/** The task-type id the router knows a dataset category by: `arc-challenge` -> `arc_challenge`. */
export function taskTypeOf(category: string): string {
  const id = category
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '');
  return /^[a-z]/.test(id) ? id : `t_${id}`;
}

/** Checks that every model of the dataset is in the catalog. */
export function checkCatalogCovers(catalog: EvalCatalog, models: readonly string[], file: string): void {
  const known = new Set(catalog.models.map((model) => model.id));
  const missing = models.filter((model) => !known.has(model));
  if (missing.length === 0) return;
  throw new ConfigError([
    {
      file,
      line: undefined,
      column: undefined,
      code: 'CONFIG_INVALID',
      path: 'models',
      message: `the dataset's models ${missing.map((model) => `"${model}"`).join(', ')} are not in the eval catalog`,
      hint: 'add them under `models` with a tier, usdPerCall and qualityPrior',
    },
  ]);
}
