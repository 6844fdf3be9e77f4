// The model catalog (config/models.yaml): what the router may choose, at what price and quality.

import { z } from 'zod';
import { OrchestratorError } from '../errors.ts';
import type { Tier } from '../events/vocabulary.ts';
import { type ConfigProblem, loadConfigFile, parseConfigText } from './catalog-file.ts';
import { microUsdPerMillion } from './pricing.ts';
import { tierFieldSchema } from './tiers.ts';

/**
 * The provider that serves a model, as config/providers.yaml names it: anthropic, openai, google,
 * openrouter, ollama, or a name of your own for an OpenAI-compatible server.
 */
export const providerNameSchema = z
  .string()
  .regex(/^[a-z][a-z0-9-]*$/, 'expected a lower-case provider name such as "anthropic"');
export type ProviderName = z.infer<typeof providerNameSchema>;

const usdPerMillion = z.number().nonnegative().max(10_000);

/** One model as written in models.yaml. */
export const modelEntrySchema = z
  .object({
    id: z.string().min(1),
    provider: providerNameSchema,
    tier: tierFieldSchema,
    inputUsdPerMillion: usdPerMillion,
    outputUsdPerMillion: usdPerMillion,
    cachedInputUsdPerMillion: usdPerMillion.optional(),
    contextWindowTokens: z.number().int().positive(),
    latencyMs: z.number().int().positive(),
    quality: z.number().min(0).max(1),
    free: z.boolean().default(false),
    description: z.string().optional(),
  })
  .strict();

export const modelCatalogFileSchema = z
  .object({
    /** The date the prices were read from the vendors' pages, `YYYY-MM-DD`. */
    pricesAsOf: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected a date as "YYYY-MM-DD"'),
    models: z.array(modelEntrySchema).min(1),
  })
  .strict();
export type ModelCatalogFile = z.infer<typeof modelCatalogFileSchema>;

/** A model of the catalog, with prices also as integer micro-USD per million tokens (exact for list prices). */
export type ModelSpec = {
  readonly id: string;
  readonly provider: ProviderName;
  readonly tier: Tier;
  readonly inputUsdPerMillion: number;
  readonly outputUsdPerMillion: number;
  readonly cachedInputUsdPerMillion: number | undefined;
  readonly inputMicroUsdPerMillion: number;
  readonly outputMicroUsdPerMillion: number;
  /** The input price when the vendor has no cached-input price. */
  readonly cachedInputMicroUsdPerMillion: number;
  readonly contextWindowTokens: number;
  readonly latencyMs: number;
  /** Prior quality in 0-1, used until the learner knows better. */
  readonly quality: number;
  readonly free: boolean;
  readonly description: string | undefined;
};

export type ModelCatalog = {
  readonly pricesAsOf: string;
  /** In file order. */
  readonly models: readonly ModelSpec[];
  readonly byId: ReadonlyMap<string, ModelSpec>;
};

function catalogProblems(file: ModelCatalogFile): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const firstIndex = new Map<string, number>();
  file.models.forEach((model, index) => {
    const first = firstIndex.get(model.id);
    if (first === undefined) firstIndex.set(model.id, index);
    else
      problems.push({
        path: ['models', index, 'id'],
        message: `duplicate model id ${JSON.stringify(model.id)}; models[${first}] has the same id`,
        hint: 'give each model a unique id',
      });
    const paid = model.inputUsdPerMillion > 0 || model.outputUsdPerMillion > 0;
    if (model.free && paid)
      problems.push({
        path: ['models', index, 'free'],
        message: `a free model must have zero prices; ${model.id} costs $${model.inputUsdPerMillion}/$${model.outputUsdPerMillion} per million tokens`,
        hint: 'set both prices to 0 or remove `free: true`',
      });
    if (!model.free && !paid)
      problems.push({
        path: ['models', index, 'inputUsdPerMillion'],
        message: `${model.id} has zero prices but is not marked free`,
        hint: 'add `free: true` (local models) or write its list prices',
      });
    if ((model.cachedInputUsdPerMillion ?? 0) > model.inputUsdPerMillion)
      problems.push({
        path: ['models', index, 'cachedInputUsdPerMillion'],
        message: `the cached-input price ($${model.cachedInputUsdPerMillion}) is above the input price ($${model.inputUsdPerMillion})`,
        hint: 'cache reads are a discount on input; check the vendor page',
      });
  });
  return problems;
}

function toSpec(entry: ModelCatalogFile['models'][number]): ModelSpec {
  const input = microUsdPerMillion(entry.inputUsdPerMillion);
  return {
    id: entry.id,
    provider: entry.provider,
    tier: entry.tier,
    inputUsdPerMillion: entry.inputUsdPerMillion,
    outputUsdPerMillion: entry.outputUsdPerMillion,
    cachedInputUsdPerMillion: entry.cachedInputUsdPerMillion,
    inputMicroUsdPerMillion: input,
    outputMicroUsdPerMillion: microUsdPerMillion(entry.outputUsdPerMillion),
    cachedInputMicroUsdPerMillion:
      entry.cachedInputUsdPerMillion === undefined
        ? input
        : microUsdPerMillion(entry.cachedInputUsdPerMillion),
    contextWindowTokens: entry.contextWindowTokens,
    latencyMs: entry.latencyMs,
    quality: entry.quality,
    free: entry.free,
    description: entry.description,
  };
}

/** Builds a catalog from checked entries (tests and API users may skip the file). */
export function createModelCatalog(file: ModelCatalogFile): ModelCatalog {
  const models = file.models.map(toSpec);
  return { pricesAsOf: file.pricesAsOf, models, byId: new Map(models.map((model) => [model.id, model])) };
}

/**
 * Parses models.yaml text. @throws ConfigError naming file, line, column and field of every problem.
 */
export function parseModelCatalog(text: string, file: string | undefined): ModelCatalog {
  return createModelCatalog(parseConfigText(text, file, modelCatalogFileSchema, catalogProblems));
}

/** Loads `<dir>/models.yaml`. @throws ConfigError (CONFIG_NOT_FOUND when missing). */
export async function loadModelCatalog(dir: string): Promise<ModelCatalog> {
  return createModelCatalog(
    await loadConfigFile(dir, 'models.yaml', modelCatalogFileSchema, catalogProblems),
  );
}

/**
 * The model of agents that name none when no router answers: `configured` when given (it must be in
 * the catalog), else the first usable tier-2 model in file order, else the first usable one above tier 0.
 * @throws OrchestratorError MODEL_UNKNOWN naming the catalog file when `configured` is not in it
 */
export function defaultModelOf(
  catalog: ModelCatalog,
  isUsable: (model: ModelSpec) => boolean,
  configured: string | undefined,
  file = 'models.yaml',
): ModelSpec | undefined {
  if (configured !== undefined) {
    const model = catalog.byId.get(configured);
    if (model === undefined) {
      throw new OrchestratorError(
        'MODEL_UNKNOWN',
        `The default model "${configured}" is not in the model catalog.`,
        {
          hint: `Use one of the ids in ${file}.`,
        },
      );
    }
    return model;
  }
  const usable = catalog.models.filter(isUsable);
  return usable.find((model) => model.tier === 2) ?? usable.find((model) => model.tier > 0);
}
