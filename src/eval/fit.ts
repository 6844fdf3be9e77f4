import { createEventBus } from '../events/index.ts';
import { createLearner, type Learner, subscribeLearner } from '../learning/index.ts';
import type { EvalCatalog } from './catalog.ts';
import type { EvalPrompt } from './dataset.ts';
import type { ReplayProvider } from './replay.ts';
import { subscribeReplayRouter } from './replay-router.ts';

export type LearnerSettings = {
  catalog: EvalCatalog;
  seed: number;
  /** Prompt-level (nearest neighbour) estimates. @default true */
  neighbours?: boolean;
};

/** A fresh learner that knows only the catalog priors: the static policy's estimates. */
export function createCatalogLearner(settings: LearnerSettings): Learner {
  const priors = new Map(settings.catalog.models.map((model) => [model.id, model.qualityPrior]));
  return createLearner({
    priorOf: (model) => priors.get(model),
    neighbours: settings.neighbours === false ? false : {},
    exploration: { seed: settings.seed },
  });
}

/**
 * Fits a learner on the train prompts through the bus: every train prompt is run on every model (a
 * calibration sweep, pinned models), the learner subscriber records each attempt, and the recorded
 * correctness arrives as the outcome's quality (validated categories) or as late feedback.
 */
export function fitLearner(
  prompts: readonly EvalPrompt[],
  replay: ReplayProvider,
  settings: LearnerSettings,
): Learner {
  const learner = createCatalogLearner(settings);
  const bus = createEventBus();
  const subscription = subscribeLearner(bus, learner);
  const stopRouter = subscribeReplayRouter(bus, { catalog: settings.catalog, estimator: learner });
  const runId = 'eval-train';
  let attempt = 0;
  for (const prompt of prompts) {
    const validated = settings.catalog.categories[prompt.category]?.validator === 'tests';
    for (const model of settings.catalog.models) {
      attempt += 1;
      const key = { runId, taskId: prompt.key, attempt };
      bus.emit('AGENT_INVOKED', {
        ...key,
        workflowId: 'eval-train',
        agent: 'replay',
        priority: 'normal',
        text: (prompt.text ?? '').slice(0, 8000),
        contextChars: prompt.promptChars,
        hints: { taskType: prompt.category, minQuality: 0, validator: 'none', cheapAttempts: 0 },
        pinnedModel: model.id,
        excludeModels: [],
      });
      const answer = replay.answer(prompt, model.id);
      bus.emit('AGENT_COMPLETED', {
        ...key,
        agent: 'replay',
        model: { id: model.id, provider: 'replay', tier: model.tier },
        usage: {},
        costMicroUsd: answer.costMicroUsd,
        costEstimated: false,
        latencyMs: 0,
        simulated: true,
        ...(validated ? { quality: answer.correct ? 1 : 0 } : {}),
      });
      if (!validated) subscription.feedback(runId, prompt.key, { success: answer.correct });
    }
  }
  stopRouter();
  subscription.dispose();
  return learner;
}
