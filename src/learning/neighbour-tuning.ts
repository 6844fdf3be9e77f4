import type { SimilarityIndex } from './similarity.ts';

/** Outcomes of one stored task text per model: weighted quality sum and weight. */
export type TextEvidence = Map<string, { sum: number; weight: number }>;

export type TuningOptions = {
  k: number;
  minSimilarity: number;
  /** Strengths to try; Infinity means "ignore the neighbours". @default [0.5, 1, 3, 10, Infinity] */
  grid?: readonly number[];
  /** Task types with fewer stored texts keep the configured strength. @default 20 */
  minTexts?: number;
};

/**
 * For each task type, the neighbour strength whose estimates have the lowest leave-one-out Brier score on
 * the stored outcomes: each stored text is predicted from its neighbours (itself excluded) blended with
 * the (task type, model) posterior mean.
 */
export function chooseNeighbourStrengths(
  indexes: ReadonlyMap<string, SimilarityIndex<TextEvidence>>,
  posteriorMean: (taskType: string, model: string) => number,
  options: TuningOptions,
): Record<string, number> {
  const grid = options.grid ?? [0.5, 1, 3, 10, Number.POSITIVE_INFINITY];
  const chosen: Record<string, number> = {};
  for (const [taskType, index] of indexes) {
    const entries = index.entries();
    if (entries.length < (options.minTexts ?? 20) || grid.length === 0) continue;
    const errors = grid.map(() => 0);
    for (const { text, value } of entries) {
      const neighbours = index.nearest(text, options.k, options.minSimilarity, value);
      for (const [model, own] of value) {
        let sum = 0;
        let weight = 0;
        for (const { similarity, value: other } of neighbours) {
          const entry = other.get(model);
          if (entry === undefined) continue;
          sum += similarity * (entry.sum / entry.weight);
          weight += similarity;
        }
        const base = posteriorMean(taskType, model);
        const actual = own.sum / own.weight;
        grid.forEach((strength, at) => {
          const predicted = Number.isFinite(strength) ? (base * strength + sum) / (strength + weight) : base;
          errors[at] = (errors[at] ?? 0) + own.weight * (predicted - actual) ** 2;
        });
      }
    }
    chosen[taskType] = grid[errors.indexOf(Math.min(...errors))] ?? Number.POSITIVE_INFINITY;
  }
  return chosen;
}
