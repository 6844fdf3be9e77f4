// Replays prompts through the bus as a coordinator would: AGENT_INVOKED, the router's MODEL_SELECTED,
// the replayed answer and its validation, AGENT_COMPLETED or AGENT_FAILED, the tier upgrade's answer,
// and late feedback for the categories that cannot be checked at run time.
import type { EventBus, EventPayload, Tier } from '../events/index.ts';
import type { QualityEstimator, Verdict } from '../learning/index.ts';
import type { EvalCatalog, EvalModel, ValidatorKind } from './catalog.ts';
import type { EvalPrompt } from './dataset.ts';
import type { ReplayProvider } from './replay.ts';
import { cheapModels } from './replay-router.ts';

export type HarnessOptions = {
  bus: EventBus;
  replay: ReplayProvider;
  catalog: EvalCatalog;
  /** Chooses the consensus peer. */
  estimator: QualityEstimator;
  runId: string;
  /** The quality bar the router is asked to meet: the policy's trade-off knob. */
  knob: number;
  /** False: no task is validated, nothing is cascaded. */
  validators: boolean;
  /** Attempts per task, retries and upgrades together. @default 4 */
  maxAttempts?: number;
  /** Optimistic attempts on cheap models per validator kind. @default { tests: 3, consensus: 1 } */
  cheapAttempts?: Partial<Record<ValidatorKind, number>>;
  /** Where late verdicts go (the learner's feedback); undefined drops them. */
  feedback?: (runId: string, taskId: string, verdict: Verdict) => void;
};

export type ReplayTotals = { prompts: number; correct: number; attempts: number };

const keyOf = (event: { runId: string; taskId: string; attempt: number }) =>
  `${event.runId}\u0000${event.taskId}\u0000${event.attempt}`;

/** Replays every prompt once; the answers and costs travel as events, so every subscriber sees them. */
export function replayPrompts(prompts: readonly EvalPrompt[], options: HarnessOptions): ReplayTotals {
  const { bus } = options;
  const selections = new Map<string, EventPayload<'MODEL_SELECTED'>>();
  const upgrades = new Map<string, EventPayload<'MODEL_TIER_UPGRADE'>>();
  const disposers = [
    bus.on('MODEL_SELECTED', (event) => void selections.set(keyOf(event), event), { name: 'eval-harness' }),
    bus.on('MODEL_TIER_UPGRADE', (event) => void upgrades.set(keyOf(event), event), { name: 'eval-harness' }),
  ];
  const totals: ReplayTotals = { prompts: 0, correct: 0, attempts: 0 };
  try {
    for (const prompt of prompts) {
      const result = replayOne(prompt, options, selections, upgrades);
      totals.prompts += 1;
      totals.attempts += result.attempts;
      if (result.correct) totals.correct += 1;
    }
  } finally {
    for (const dispose of disposers) dispose();
  }
  return totals;
}

function replayOne(
  prompt: EvalPrompt,
  options: HarnessOptions,
  selections: Map<string, EventPayload<'MODEL_SELECTED'>>,
  upgrades: Map<string, EventPayload<'MODEL_TIER_UPGRADE'>>,
): { correct: boolean; attempts: number } {
  const { bus, catalog, runId } = options;
  const maxAttempts = options.maxAttempts ?? 4;
  const validator: ValidatorKind = options.validators
    ? (catalog.categories[prompt.category]?.validator ?? 'none')
    : 'none';
  const excluded: string[] = [];
  let requestedTier: Tier | undefined;
  const text = prompt.text ?? '';
  const cheapIds = new Set(cheapModels(catalog).map((model) => model.id));
  const cheapBudget =
    validator === 'none' ? 0 : (options.cheapAttempts?.[validator] ?? (validator === 'tests' ? 3 : 1));
  for (let attempt = 1; attempt <= maxAttempts; attempt += 1) {
    const key = { runId, taskId: prompt.key, attempt };
    bus.emit('AGENT_INVOKED', {
      ...key,
      workflowId: 'eval',
      agent: 'replay',
      priority: 'normal',
      text: text.slice(0, 8000),
      contextChars: prompt.promptChars,
      hints: {
        taskType: prompt.category,
        minQuality: options.knob,
        validator,
        cheapAttempts: Math.max(0, Math.min(cheapBudget - attempt + 1, maxAttempts - attempt)),
      },
      ...(requestedTier === undefined ? {} : { requestedTier }),
      excludeModels: [...excluded],
    });
    const selection = selections.get(keyOf(key));
    selections.delete(keyOf(key));
    if (selection === undefined) throw new Error(`No router answered attempt ${attempt} of "${prompt.key}".`);
    const model = { id: selection.model, provider: selection.provider, tier: selection.tier };
    const answer = options.replay.answer(prompt, selection.model);
    const tried = new Set([...excluded, selection.model]);
    const left = catalog.models.some((entry) => !tried.has(entry.id));
    // Only optimistic (cheap) attempts are validated; a stronger model's answer is final.
    const last = attempt === maxAttempts || !left || !cheapIds.has(selection.model);
    let costMicroUsd = answer.costMicroUsd;
    let passed = true;
    if (validator === 'tests') passed = answer.correct;
    else if (validator === 'consensus' && !last) {
      const peer = pickPeer(options.estimator, prompt, cheapModels(catalog), tried);
      if (peer !== undefined) {
        const second = options.replay.answer(prompt, peer.id);
        costMicroUsd += second.costMicroUsd;
        passed = answer.choice !== undefined && answer.choice === second.choice;
      }
    }
    const common = {
      ...key,
      agent: 'replay',
      model,
      usage: {},
      costMicroUsd,
      costEstimated: false,
      latencyMs: 0,
      simulated: true,
    };
    if (passed) {
      bus.emit('AGENT_COMPLETED', { ...common, ...(validator === 'tests' ? { quality: 1 } : {}) });
    } else {
      bus.emit('AGENT_FAILED', {
        ...common,
        error: {
          code: 'VALIDATION_FAILED',
          message: validator === 'tests' ? 'tests failed' : 'a second model answered differently',
        },
        retryable: true,
        willRetry: !last,
      });
    }
    if (passed || last) {
      if (validator !== 'tests') options.feedback?.(runId, prompt.key, { success: answer.correct });
      return { correct: answer.correct && passed, attempts: attempt };
    }
    const upgrade = upgrades.get(keyOf(key));
    upgrades.delete(keyOf(key));
    requestedTier = upgrade?.toTier ?? selection.tier;
    excluded.push(selection.model);
  }
  return { correct: false, attempts: maxAttempts };
}

/** The second opinion: the cheap model estimated best among those not tried yet. */
function pickPeer(
  estimator: QualityEstimator,
  prompt: EvalPrompt,
  cheap: readonly EvalModel[],
  tried: ReadonlySet<string>,
): EvalModel | undefined {
  let best: EvalModel | undefined;
  let bestQuality = -1;
  for (const model of cheap) {
    if (tried.has(model.id)) continue;
    const quality = estimator.estimate(prompt.category, model.id, { text: prompt.text ?? '' }).quality;
    if (quality > bestQuality) {
      best = model;
      bestQuality = quality;
    }
  }
  return best;
}
