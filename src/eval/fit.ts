import {
  createLearner,
  createMemoryOutcomeStore,
  type Learner,
  type OutcomeRecord,
} from '../learning/index.ts';
import { taskTypeOf } from './catalog.ts';
import type { EvalPrompt } from './dataset.ts';
import { invokedValidator, validatorOf } from './harness.ts';
import type { ReplayProvider } from './replay.ts';
import { createEvalStack, type EvalEnvironment } from './stack.ts';

export type LearnerSettings = {
  seed: number;
  /** Prompt-level (nearest neighbour) estimates. @default true */
  neighbours?: boolean;
};

/** A learner that knows the catalog priors and `records` (none: the static policy's estimates). */
export function createCatalogLearner(
  environment: EvalEnvironment,
  settings: LearnerSettings,
  records: readonly OutcomeRecord[] = [],
): Learner {
  const priors = new Map(environment.catalog.models.map((model) => [model.id, model.qualityPrior]));
  return createLearner({
    store: createMemoryOutcomeStore(records),
    priorOf: (model) => priors.get(model),
    neighbours: settings.neighbours === false ? false : {},
    exploration: { seed: settings.seed },
  });
}

/**
 * Fits a learner on the train prompts through the real subscribers: every train prompt is run on every
 * model (a calibration sweep with pinned models), the learner subscriber records each attempt with its
 * answer (consensus categories), and the recorded correctness arrives as the outcome's quality (tested
 * categories) or as late feedback. The learned planner prices its plans from these outcomes.
 */
export function fitLearner(
  prompts: readonly EvalPrompt[],
  replay: ReplayProvider,
  environment: EvalEnvironment,
  settings: LearnerSettings,
): Learner {
  const learner = createCatalogLearner(environment, settings);
  const stack = createEvalStack(environment, learner, 0);
  const runId = 'eval-train';
  let attempt = 0;
  for (const prompt of prompts) {
    const validator = validatorOf(prompt, environment.catalog, true);
    const tested = validator === 'tests';
    stack.setText(prompt.text ?? '');
    for (const model of environment.catalog.models) {
      attempt += 1;
      const key = { runId, taskId: prompt.key, attempt };
      stack.bus.emit('AGENT_INVOKED', {
        ...key,
        workflowId: 'eval-train',
        agent: 'replay',
        priority: 'normal',
        text: (prompt.text ?? '').slice(0, 8000),
        contextChars: prompt.promptChars,
        hints: { taskType: taskTypeOf(prompt.category) },
        ...invokedValidator(validator, 2),
        pinnedModel: model.id,
        excludeModels: [],
      });
      const answer = replay.answer(prompt, model.id);
      stack.bus.emit('AGENT_COMPLETED', {
        ...key,
        agent: 'replay',
        model: { id: model.id, provider: 'replay', tier: model.tier },
        usage: {
          inputTokens: Math.ceil(prompt.promptChars / 4),
          outputTokens: Math.ceil(answer.outputChars / 4),
        },
        costMicroUsd: answer.costMicroUsd,
        costEstimated: false,
        latencyMs: 0,
        simulated: true,
        ...(tested ? { quality: answer.correct ? 1 : 0 } : {}),
        ...(validator === 'consensus' ? { consensus: { answer: answer.choice ?? null, peers: [] } } : {}),
      });
      if (!tested) stack.learning.feedback(runId, prompt.key, { success: answer.correct });
    }
    stack.bus.emit('TASK_SETTLED', {
      runId,
      taskId: prompt.key,
      status: 'succeeded',
      attempts: environment.catalog.models.length,
    });
  }
  stack.dispose();
  learner.tuneNeighbours();
  return learner;
}
