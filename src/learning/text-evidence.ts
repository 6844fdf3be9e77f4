// Similar-task evidence: the outcomes of past task texts per (task type, model), indexed for nearest-
// neighbour lookups, and how much they count against the posterior per task type.
import { chooseNeighbourStrengths, type TextEvidence } from './neighbour-tuning.ts';
import { createSimilarityIndex, type SimilarityIndex } from './similarity.ts';

export type NeighbourSettings = { k: number; minSimilarity: number; strength: number };

export type TextEvidenceIndex = {
  /** Adds (sign 1) or retracts (-1) one outcome's evidence for its text. */
  add: (taskType: string, model: string, text: string, quality: number, weight: number) => void;
  /** Blends `base` (the posterior's estimate) with the evidence of the text's nearest past tasks. */
  blend: (taskType: string, model: string, text: string, base: number) => number;
  /** Chooses each task type's strength by leave-one-out Brier score; returns the choices. */
  tune: (
    posteriorMean: (taskType: string, model: string) => number,
    grid?: readonly number[],
  ) => Record<string, number>;
};

/** Neighbours per (task type, text) kept between evidence changes. */
const maxCached = 10_000;

export function createTextEvidence(settings: NeighbourSettings): TextEvidenceIndex {
  const indexes = new Map<string, SimilarityIndex<TextEvidence>>();
  const strengths = new Map<string, number>();
  const cache = new Map<string, { similarity: number; value: TextEvidence }[]>();

  const indexOf = (taskType: string) => {
    let index = indexes.get(taskType);
    if (index === undefined) {
      index = createSimilarityIndex<TextEvidence>();
      indexes.set(taskType, index);
    }
    return index;
  };

  const neighboursOf = (taskType: string, text: string) => {
    const key = `${taskType}\u0000${text}`;
    const cached = cache.get(key);
    if (cached !== undefined) return cached;
    const neighbours = indexes.get(taskType)?.nearest(text, settings.k, settings.minSimilarity) ?? [];
    if (cache.size >= maxCached) cache.clear();
    cache.set(key, neighbours);
    return neighbours;
  };

  return {
    add: (taskType, model, text, quality, weight) => {
      const perModel = indexOf(taskType).add(text, () => new Map());
      const entry = perModel.get(model) ?? { sum: 0, weight: 0 };
      entry.sum += weight * quality;
      entry.weight += weight;
      if (entry.weight <= 1e-9) perModel.delete(model);
      else perModel.set(model, entry);
      cache.clear();
    },
    blend: (taskType, model, text, base) => {
      const strength = strengths.get(taskType) ?? settings.strength;
      if (!Number.isFinite(strength)) return base;
      let sum = 0;
      let weight = 0;
      for (const { similarity, value } of neighboursOf(taskType, text)) {
        const entry = value.get(model);
        if (entry === undefined) continue;
        sum += similarity * (entry.sum / entry.weight);
        weight += similarity;
      }
      return (base * strength + sum) / (strength + weight);
    },
    tune: (posteriorMean, grid) => {
      const chosen = chooseNeighbourStrengths(indexes, posteriorMean, {
        k: settings.k,
        minSimilarity: settings.minSimilarity,
        ...(grid === undefined ? {} : { grid }),
      });
      for (const [taskType, strength] of Object.entries(chosen)) strengths.set(taskType, strength);
      cache.clear();
      return chosen;
    },
  };
}
