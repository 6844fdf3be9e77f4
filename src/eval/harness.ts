// Replays prompts through the bus as a coordinator would: AGENT_INVOKED, the router's MODEL_SELECTED,
// the replayed answer and its validation, AGENT_COMPLETED or AGENT_FAILED, the tier upgrade's answer,
// TASK_SETTLED, and late feedback for the categories that cannot be checked at run time.
import type { EventPayload, Tier } from '../events/index.ts';
import { attemptKeyOf as keyOf } from '../events/reply.ts';
import { type EvalCatalog, taskTypeOf, type ValidatorKind } from './catalog.ts';
import type { EvalPrompt } from './dataset.ts';
import type { ReplayAnswer, ReplayProvider } from './replay.ts';
import type { EvalStack } from './stack.ts';

export type HarnessOptions = {
  stack: EvalStack;
  replay: ReplayProvider;
  catalog: EvalCatalog;
  runId: string;
  /** False: no task is validated, nothing is cascaded. */
  validators: boolean;
  /** Attempts per task, retries and upgrades together. @default 4 */
  maxAttempts?: number;
  /** Most peers a consensus may ask. @default 2 */
  peers?: 1 | 2;
  /** Send the verdicts of unverifiable categories to the learner after each task. @default true */
  feedback?: boolean;
};

export type ReplayTotals = { prompts: number; correct: number; attempts: number };

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
  const take = <T>(map: Map<string, T>, key: string) => {
    const value = map.get(key);
    map.delete(key);
    return value;
  };
  const totals: ReplayTotals = { prompts: 0, correct: 0, attempts: 0 };
  try {
    for (const prompt of prompts) {
      const result = replayOne(prompt, options, {
        selection: (key) => take(selections, key),
        upgrade: (key) => take(upgrades, key),
      });
      totals.prompts += 1;
      totals.attempts += result.attempts;
      if (result.correct) totals.correct += 1;
    }
  } finally {
    for (const dispose of disposers) dispose();
  }
  return totals;
}

type Answers = {
  selection: (key: string) => EventPayload<'MODEL_SELECTED'> | undefined;
  upgrade: (key: string) => EventPayload<'MODEL_TIER_UPGRADE'> | undefined;
};

/** The validator a prompt runs under; a consensus needs the answers, which text-free data lacks. */
export function validatorOf(prompt: EvalPrompt, catalog: EvalCatalog, validators: boolean): ValidatorKind {
  if (!validators) return 'none';
  const declared = catalog.categories[prompt.category]?.validator ?? 'none';
  return declared === 'consensus' && prompt.text === undefined ? 'none' : declared;
}

/** How AGENT_INVOKED names an eval validator: tests run as a command. */
export function invokedValidator(kind: ValidatorKind, peers: number) {
  if (kind === 'none') return {};
  return {
    validator: kind === 'tests' ? { kind: 'command' as const } : { kind: 'consensus' as const, peers },
  };
}

/**
 * One prompt as a task: each attempt is AGENT_INVOKED, answered by the router (which follows the task's
 * plan when it has a planner), replayed with the peers the router named, validated, and reported; a failed
 * attempt is retried at the tier the tier upgrade answers, with the model and its peers excluded.
 */
function replayOne(
  prompt: EvalPrompt,
  options: HarnessOptions,
  answers: Answers,
): { correct: boolean; attempts: number } {
  const { stack, runId } = options;
  const { bus } = stack;
  const validator = validatorOf(prompt, options.catalog, options.validators);
  const maxAttempts = options.maxAttempts ?? 4;
  const excluded: string[] = [];
  const text = prompt.text ?? '';
  let requestedTier: Tier | undefined;
  stack.setText(text);
  for (let attempt = 1; attempt <= maxAttempts; attempt += 1) {
    const key = { runId, taskId: prompt.key, attempt };
    bus.emit('AGENT_INVOKED', {
      ...key,
      workflowId: 'eval',
      agent: 'replay',
      priority: 'normal',
      text: text.slice(0, 8000),
      contextChars: prompt.promptChars,
      hints: { taskType: taskTypeOf(prompt.category), ...(validator === 'none' ? {} : { validated: true }) },
      ...invokedValidator(validator, options.peers ?? 2),
      maxAttempts,
      ...(requestedTier === undefined ? {} : { requestedTier }),
      excludeModels: [...excluded],
    });
    const selection = answers.selection(keyOf(key));
    if (selection === undefined) {
      // Every model was tried (or asked as a peer): the task fails, as a run with no default model would.
      noModelLeft(bus, key);
      return { correct: false, attempts: attempt };
    }
    const answer = options.replay.answer(prompt, selection.model);
    const peers =
      validator === 'consensus' ? askPeers(options.replay, prompt, answer, selection.peers ?? []) : [];
    const passed = checkAttempt(validator, answer, selection.peers ?? [], peers);
    const last = attempt === maxAttempts;
    reportAttempt(bus, key, selection, prompt, answer, peers, validator, passed, last);
    if (passed || last) {
      if (validator !== 'tests' && options.feedback !== false)
        stack.learning.feedback(runId, prompt.key, { success: answer.correct });
      bus.emit('TASK_SETTLED', {
        runId,
        taskId: prompt.key,
        status: passed ? 'succeeded' : 'failed',
        attempts: attempt,
      });
      return { correct: answer.correct && passed, attempts: attempt };
    }
    requestedTier = answers.upgrade(keyOf(key))?.toTier;
    // A peer that disagreed is no better evidence than the first answer.
    excluded.push(selection.model, ...peers.map((peer) => peer.model));
  }
  return { correct: false, attempts: maxAttempts };
}

function noModelLeft(bus: EvalStack['bus'], key: { runId: string; taskId: string; attempt: number }) {
  const message = `No model is left for attempt ${key.attempt} of "${key.taskId}": every one was tried.`;
  bus.emit('AGENT_FAILED', {
    ...key,
    agent: 'replay',
    error: { code: 'ROUTING_NO_MODEL', message },
    retryable: false,
    willRetry: false,
    usage: {},
    costMicroUsd: 0,
    costEstimated: false,
    latencyMs: 0,
    simulated: true,
  });
  bus.emit('TASK_SETTLED', { runId: key.runId, taskId: key.taskId, status: 'failed', attempts: key.attempt });
}

/** Tests decide by correctness; a consensus with peers named passes when every one asked agreed. */
function checkAttempt(
  validator: ValidatorKind,
  answer: ReplayAnswer,
  named: readonly unknown[],
  asked: readonly PeerAnswer[],
): boolean {
  if (validator === 'tests') return answer.correct;
  if (validator !== 'consensus' || named.length === 0) return true;
  return answer.choice !== undefined && asked.length > 0 && asked.every((peer) => peer.agreed);
}

type PeerAnswer = { model: string; answer: ReplayAnswer; agreed: boolean };

/**
 * The peers answer one after another; the first dissent (or a missing answer) settles it. An attempt whose
 * own answer cannot be read asks nobody, as the coordinator's consensus check does.
 */
function askPeers(
  replay: ReplayProvider,
  prompt: EvalPrompt,
  answer: ReplayAnswer,
  peers: readonly { model: string }[],
): PeerAnswer[] {
  const asked: PeerAnswer[] = [];
  if (answer.choice === undefined) return asked;
  for (const { model } of peers) {
    const theirs = replay.answer(prompt, model);
    const agreed = answer.choice !== undefined && theirs.choice === answer.choice;
    asked.push({ model, answer: theirs, agreed });
    if (!agreed) break;
  }
  return asked;
}

function reportAttempt(
  bus: EvalStack['bus'],
  key: { runId: string; taskId: string; attempt: number },
  selection: EventPayload<'MODEL_SELECTED'>,
  prompt: EvalPrompt,
  answer: ReplayAnswer,
  peers: readonly PeerAnswer[],
  validator: ValidatorKind,
  passed: boolean,
  last: boolean,
): void {
  const peerOutput = peers.reduce((sum, peer) => sum + peer.answer.outputChars, 0);
  const peerCost = peers.reduce((sum, peer) => sum + peer.answer.costMicroUsd, 0);
  const common = {
    ...key,
    agent: 'replay',
    model: { id: selection.model, provider: selection.provider, tier: selection.tier },
    usage: {
      inputTokens: Math.ceil((prompt.promptChars * (1 + peers.length)) / charsPerToken),
      outputTokens: Math.ceil((answer.outputChars + peerOutput) / charsPerToken),
    },
    costMicroUsd: answer.costMicroUsd + peerCost,
    costEstimated: false,
    latencyMs: 0,
    simulated: true,
    ...(validator === 'consensus'
      ? {
          consensus: {
            answer: answer.choice ?? null,
            peers: peers.map((peer) => ({
              model: peer.model,
              answer: peer.answer.choice ?? null,
              agreed: peer.agreed,
              costMicroUsd: peer.answer.costMicroUsd,
            })),
          },
        }
      : {}),
  };
  if (passed) {
    bus.emit('AGENT_COMPLETED', { ...common, ...(validator === 'tests' ? { quality: 1 } : {}) });
    return;
  }
  const message =
    validator === 'tests'
      ? 'tests failed'
      : answer.choice === undefined
        ? 'no answer could be read from the output'
        : peers.length > 1
          ? 'the other models did not all agree'
          : 'a second model answered differently';
  bus.emit('AGENT_FAILED', {
    ...common,
    error: { code: 'VALIDATION_FAILED', message },
    retryable: true,
    willRetry: !last,
  });
}
