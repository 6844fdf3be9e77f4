// Replays prompts through the bus as a coordinator would: AGENT_INVOKED, the router's MODEL_SELECTED,
// the replayed answer and its validation, AGENT_COMPLETED or AGENT_FAILED, the tier upgrade's answer,
// TASK_SETTLED, and late feedback for the categories that cannot be checked at run time.
import { OrchestratorError } from '../errors.ts';
import type { EventPayload, Tier } from '../events/index.ts';
import type { QualityEstimator } from '../learning/index.ts';
import { bestCheapModel, cheapModels } from './cascade.ts';
import { type EvalCatalog, type EvalModel, taskTypeOf, type ValidatorKind } from './catalog.ts';
import { alwaysTrust, type ConsensusReliability } from './consensus.ts';
import type { EvalPrompt } from './dataset.ts';
import type { Plan } from './plans.ts';
import type { ReplayAnswer, ReplayProvider } from './replay.ts';
import type { EvalStack } from './stack.ts';

export type HarnessOptions = {
  stack: EvalStack;
  replay: ReplayProvider;
  catalog: EvalCatalog;
  /** Ranks the cheap models for optimistic attempts and consensus peers. */
  estimator: QualityEstimator;
  runId: string;
  /** The quality bar (the knob): an agreement less reliable than this is escalated. */
  knob: number;
  /** How far a consensus can be trusted. @default every agreement is trusted */
  reliability?: ConsensusReliability;
  /** False: no task is validated, nothing is cascaded. */
  validators: boolean;
  /** Attempts per task, retries and upgrades together. @default 4 */
  maxAttempts?: number;
  /** Optimistic attempts on cheap models per validator kind. @default { tests: 3, consensus: 1 } */
  cheapAttempts?: Partial<Record<ValidatorKind, number>>;
  /** Send the verdicts of unverifiable categories to the learner after each task. @default true */
  feedback?: boolean;
  /**
   * The learned policy's plan per task (pinned attempts, consensus peer, a last routed attempt). Without
   * it, validated tasks start on the best cheap model and the router decides the rest.
   */
  planner?: (prompt: EvalPrompt) => Plan;
};

export type ReplayTotals = { prompts: number; correct: number; attempts: number };

const keyOf = (event: { runId: string; taskId: string; attempt: number }) =>
  `${event.runId}\u0000${event.taskId}\u0000${event.attempt}`;
const charsPerToken = 4;

/** Replays every prompt once; the answers and costs travel as events, so every subscriber sees them. */
export function replayPrompts(prompts: readonly EvalPrompt[], options: HarnessOptions): ReplayTotals {
  const { bus } = options.stack;
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
  const { stack, catalog, runId } = options;
  const { bus } = stack;
  const declared: ValidatorKind = options.validators
    ? (catalog.categories[prompt.category]?.validator ?? 'none')
    : 'none';
  // A consensus needs the answers themselves; text-free (compact) data has none.
  const validator: ValidatorKind = declared === 'consensus' && prompt.text === undefined ? 'none' : declared;
  const cheapBudget =
    validator === 'none' ? 0 : (options.cheapAttempts?.[validator] ?? (validator === 'tests' ? 3 : 1));
  const cheap = cheapModels(catalog);
  const excluded: string[] = [];
  const text = prompt.text ?? '';
  let requestedTier: Tier | undefined;
  stack.setText(text);
  const plan = options.planner?.(prompt);
  const maxAttempts =
    plan === undefined
      ? (options.maxAttempts ?? 4)
      : Math.max(1, plan.pinned.length + (plan.escalate ? 1 : 0));
  for (let attempt = 1; attempt <= maxAttempts; attempt += 1) {
    const key = { runId, taskId: prompt.key, attempt };
    const tried = new Set(excluded);
    const optimistic =
      plan !== undefined
        ? catalog.models.find((model) => model.id === plan.pinned[attempt - 1])
        : attempt <= cheapBudget && attempt < maxAttempts
          ? optimisticModel(options, prompt, validator, cheap, tried)
          : undefined;
    bus.emit('AGENT_INVOKED', {
      ...key,
      workflowId: 'eval',
      agent: 'replay',
      priority: 'normal',
      text: text.slice(0, 8000),
      contextChars: prompt.promptChars,
      hints: { taskType: taskTypeOf(prompt.category) },
      ...(requestedTier === undefined ? {} : { requestedTier }),
      ...(optimistic === undefined ? {} : { pinnedModel: optimistic.id }),
      excludeModels: [...excluded],
    });
    const selection = selections.get(keyOf(key));
    selections.delete(keyOf(key));
    if (selection === undefined)
      throw new OrchestratorError('INTERNAL', `No router answered attempt ${attempt} of "${prompt.key}".`);
    const answer = options.replay.answer(prompt, selection.model);
    tried.add(selection.model);
    const last = optimistic === undefined || attempt === maxAttempts;
    let peerIds: string[] = [];
    const check = validate(validator, optimistic !== undefined && !last, answer, () => {
      if (plan !== undefined) peerIds = attempt === 1 ? [...plan.peers] : [];
      else {
        const peer = bestCheapModel(options.estimator, prompt, cheap, tried);
        peerIds = peer === undefined ? [] : [peer.id];
      }
      // Peers answer one after another; the first dissent settles it, so later peers are not asked.
      const answers: ReplayAnswer[] = [];
      for (const [at, id] of peerIds.entries()) {
        const peerAnswer = options.replay.answer(prompt, id);
        answers.push(peerAnswer);
        if (answer.choice === undefined || peerAnswer.choice !== answer.choice) {
          peerIds = peerIds.slice(0, at + 1);
          break;
        }
      }
      return answers;
    });
    const peerOutput = check.peers.reduce((sum, peer) => sum + peer.outputChars, 0);
    const peerCost = check.peers.reduce((sum, peer) => sum + peer.costMicroUsd, 0);
    const usage = {
      inputTokens: Math.ceil((prompt.promptChars * check.calls) / charsPerToken),
      outputTokens: Math.ceil((answer.outputChars + peerOutput) / charsPerToken),
    };
    const common = {
      ...key,
      agent: 'replay',
      model: { id: selection.model, provider: selection.provider, tier: selection.tier },
      usage,
      costMicroUsd: answer.costMicroUsd + peerCost,
      costEstimated: false,
      latencyMs: 0,
      simulated: true,
    };
    if (check.passed)
      bus.emit('AGENT_COMPLETED', { ...common, ...(validator === 'tests' ? { quality: 1 } : {}) });
    else {
      bus.emit('AGENT_FAILED', {
        ...common,
        error: { code: 'VALIDATION_FAILED', message: check.message },
        retryable: true,
        willRetry: !last,
      });
    }
    if (check.passed || last) {
      if (validator !== 'tests' && options.feedback !== false)
        stack.learning.feedback(runId, prompt.key, { success: answer.correct });
      bus.emit('TASK_SETTLED', {
        runId,
        taskId: prompt.key,
        status: check.passed ? 'succeeded' : 'failed',
        attempts: attempt,
      });
      return { correct: answer.correct && check.passed, attempts: attempt };
    }
    const upgrade = upgrades.get(keyOf(key));
    upgrades.delete(keyOf(key));
    // Optimistic attempts pin their model, so the tier upgrade leaves them be: after the last one the
    // router chooses again under the quality bar, with every model tried so far excluded.
    requestedTier = upgrade?.toTier;
    if (plan?.escalate === true && attempt === maxAttempts - 1) requestedTier = strongestTier(catalog);
    excluded.push(selection.model);
    // A peer that disagreed is no better evidence than the first answer.
    excluded.push(...peerIds);
  }
  return { correct: false, attempts: maxAttempts };
}

type Check = { passed: boolean; message: string; peers: ReplayAnswer[]; calls: number };

/**
 * The cheap model to try first, or undefined when the router should decide unvalidated. With tests, always
 * the best cheap model. With a consensus validator, only when no cheap model meets the bar alone and an
 * agreement of the best cheap model and its peer is reliable enough for it.
 */
function optimisticModel(
  options: HarnessOptions,
  prompt: EvalPrompt,
  validator: ValidatorKind,
  cheap: readonly EvalModel[],
  tried: ReadonlySet<string>,
): EvalModel | undefined {
  const first = bestCheapModel(options.estimator, prompt, cheap, tried);
  if (first === undefined || validator !== 'consensus') return first;
  const taskType = taskTypeOf(prompt.category);
  // A cheap model that meets the bar alone needs no second opinion: the router will pick it.
  if (options.estimator.estimate(taskType, first.id, { text: prompt.text ?? '' }).quality >= options.knob) {
    return undefined;
  }
  const peer = bestCheapModel(options.estimator, prompt, cheap, new Set([...tried, first.id]));
  if (peer === undefined) return undefined;
  const reliability = (options.reliability ?? alwaysTrust)(taskType, first.id, peer.id);
  return reliability >= options.knob ? first : undefined;
}

/** Runs the task's validator on an optimistic answer; tests always run (they decide the task's outcome). */
function validate(
  validator: ValidatorKind,
  optimistic: boolean,
  answer: ReplayAnswer,
  askPeers: () => ReplayAnswer[],
): Check {
  if (validator === 'tests') return { passed: answer.correct, message: 'tests failed', peers: [], calls: 1 };
  if (validator !== 'consensus' || !optimistic) return { passed: true, message: '', peers: [], calls: 1 };
  const peers = askPeers();
  const passed = answer.choice !== undefined && peers.every((peer) => peer.choice === answer.choice);
  const message =
    peers.length > 1 ? 'the other models did not all agree' : 'a second model answered differently';
  return { passed, message, peers, calls: 1 + peers.length };
}

function strongestTier(catalog: EvalCatalog): Tier | undefined {
  return catalog.models.find((model) => model.id === catalog.strongest)?.tier as Tier | undefined;
}
