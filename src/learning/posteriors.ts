/** Evidence about one (task type, model): a Beta posterior over its success rate. */
export type Posterior = {
  alpha: number;
  beta: number;
  /** Evidence added on top of the prior (weighted outcomes). */
  observations: number;
  mean: number;
};

export type PosteriorOptions = {
  /** The catalog's quality prior of a model (0-1); unknown models start at 0.5. */
  priorOf: (model: string) => number | undefined;
  /** How many outcomes the prior is worth. @default 4 */
  priorStrength?: number;
};

/** Beta-Bernoulli posteriors per (task type, model) that start at the catalog prior. */
export type Posteriors = {
  get: (taskType: string, model: string) => Posterior;
  /** Adds (weight > 0) or removes (weight < 0) one outcome of quality 0-1. */
  add: (taskType: string, model: string, quality: number, weight: number) => Posterior;
  /** Every (task type, model) with evidence. */
  entries: () => { taskType: string; model: string; posterior: Posterior }[];
};

export function createPosteriors(options: PosteriorOptions): Posteriors {
  const strength = options.priorStrength ?? 4;
  const evidence = new Map<
    string,
    { taskType: string; model: string; successes: number; failures: number }
  >();
  const keyOf = (taskType: string, model: string) => `${taskType}\u0000${model}`;
  const build = (model: string, successes: number, failures: number): Posterior => {
    const prior = clamp(options.priorOf(model) ?? 0.5);
    const alpha = prior * strength + successes;
    const beta = (1 - prior) * strength + failures;
    return { alpha, beta, observations: successes + failures, mean: alpha / (alpha + beta) };
  };
  return {
    get: (taskType, model) => {
      const entry = evidence.get(keyOf(taskType, model));
      return build(model, entry?.successes ?? 0, entry?.failures ?? 0);
    },
    add: (taskType, model, quality, weight) => {
      const key = keyOf(taskType, model);
      const entry = evidence.get(key) ?? { taskType, model, successes: 0, failures: 0 };
      const value = clamp(quality);
      entry.successes = Math.max(0, entry.successes + weight * value);
      entry.failures = Math.max(0, entry.failures + weight * (1 - value));
      evidence.set(key, entry);
      return build(model, entry.successes, entry.failures);
    },
    entries: () =>
      [...evidence.values()].map((entry) => ({
        taskType: entry.taskType,
        model: entry.model,
        posterior: build(entry.model, entry.successes, entry.failures),
      })),
  };
}

function clamp(value: number): number {
  return Math.min(1, Math.max(0, value));
}
