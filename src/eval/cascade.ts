// The policy side of validation-driven escalation: a validated task starts optimistic on the cheap
// tiers, best estimated model first; a failed validation is an AGENT_FAILED and the next attempt climbs.
import type { QualityEstimator } from '../learning/index.ts';
import { type EvalCatalog, type EvalModel, taskTypeOf } from './catalog.ts';
import type { EvalPrompt } from './dataset.ts';

/** Models costing at most this share of the strongest one form the cheap tiers optimistic attempts use. */
export const cheapShare = 0.1;

/** The models an optimistic attempt (or a consensus peer) may use, cheapest first. */
export function cheapModels(catalog: EvalCatalog): EvalModel[] {
  const strongest = catalog.models.find((model) => model.id === catalog.strongest);
  const limit = (strongest?.usdPerCall ?? 0) * cheapShare;
  return catalog.models
    .filter((model) => model.usdPerCall <= limit)
    .sort((a, b) => a.usdPerCall - b.usdPerCall);
}

/** The untried cheap model with the best estimate for this prompt (the cheaper one on a tie). */
export function bestCheapModel(
  estimator: QualityEstimator,
  prompt: EvalPrompt,
  cheap: readonly EvalModel[],
  tried: ReadonlySet<string>,
): EvalModel | undefined {
  let best: EvalModel | undefined;
  let bestQuality = -1;
  const taskType = taskTypeOf(prompt.category);
  for (const model of cheap) {
    if (tried.has(model.id)) continue;
    const quality = estimator.estimate(taskType, model.id, { text: prompt.text ?? '' }).quality;
    if (quality > bestQuality) {
      best = model;
      bestQuality = quality;
    }
  }
  return best;
}
