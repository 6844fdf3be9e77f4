// Where quality estimates come from: a small interface the outcome learner implements later.
import type { ModelCatalog } from '../config/models.ts';
import type { Category } from '../events/vocabulary.ts';

/** What an estimator may take into account besides the task type and the model. */
export type QualityFeatures = {
  readonly category: Category;
  readonly complexity: number;
  /** The task's text, for estimators that learn from similar past tasks. */
  readonly text?: string;
};

/** An estimate in 0-1 and how many observed outcomes it rests on (0 = the catalog prior). */
export type QualityEstimate = { readonly quality: number; readonly observations: number };

/** Estimates how well a model does a task type; must be fast (called per candidate per decision). */
export type QualityEstimator = {
  estimate: (taskType: string, modelId: string, features: QualityFeatures) => QualityEstimate;
};

/** The default estimator: the catalog's prior quality of each model, whatever the task. */
export function createPriorQualityEstimator(catalog: ModelCatalog): QualityEstimator {
  return {
    estimate: (_taskType, modelId) => ({ quality: catalog.byId.get(modelId)?.quality ?? 0, observations: 0 }),
  };
}
