import { type Clock, systemClock } from '../clock.ts';
import type { Dispose, EventBus, EventPayload } from '../events/index.ts';
import { attemptKeyOf as keyOf } from '../events/reply.ts';
import type { Learner } from './learner.ts';
import type { OutcomeRecord, Verdict } from './outcome.ts';

export type LearnerSubscription = {
  /** Records a late verdict for the latest attempt of a task and reports it as OUTCOME_RECORDED. */
  feedback: (runId: string, taskId: string, verdict: Verdict) => OutcomeRecord | undefined;
  dispose: Dispose;
};

type Invocation = EventPayload<'AGENT_INVOKED'>;
type Selection = EventPayload<'MODEL_SELECTED'>;
const maxTextChars = 2000;

/**
 * Subscribes the learner: every AGENT_INVOKED that ends in AGENT_COMPLETED or AGENT_FAILED becomes exactly
 * one recorded outcome (a repeated completion of the same attempt is ignored), reported as
 * OUTCOME_RECORDED; material estimate shifts are reported as ROUTING_POLICY_UPDATED.
 */
export function subscribeLearner(
  bus: EventBus,
  learner: Learner,
  options: { clock?: Clock } = {},
): LearnerSubscription {
  const now = (options.clock ?? systemClock).now;
  const invocations = new Map<string, Invocation>();
  const selections = new Map<string, Selection>();
  let currentRunId = '';

  const stopShifts = learner.onPolicyShift((shift) => {
    bus.emit('ROUTING_POLICY_UPDATED', { runId: currentRunId, ...shift });
  });

  const settle = (event: EventPayload<'AGENT_COMPLETED'> | EventPayload<'AGENT_FAILED'>, failed: boolean) => {
    const key = keyOf(event);
    const invocation = invocations.get(key);
    const selection = selections.get(key);
    invocations.delete(key);
    selections.delete(key);
    const record = toRecord(event, failed, invocation, selection, now);
    currentRunId = event.runId;
    if (!learner.observe(record)) return;
    bus.emit('OUTCOME_RECORDED', recordedEvent(record));
  };

  const disposers = [
    bus.on('AGENT_INVOKED', (event) => void invocations.set(keyOf(event), event), { name: 'learner' }),
    bus.on('MODEL_SELECTED', (event) => void selections.set(keyOf(event), event), { name: 'learner' }),
    bus.on('AGENT_COMPLETED', (event) => settle(event, false), { name: 'learner' }),
    bus.on('AGENT_FAILED', (event) => settle(event, true), { name: 'learner' }),
  ];

  return {
    feedback: (runId, taskId, verdict) => {
      currentRunId = runId;
      const updated = learner.feedback(runId, taskId, verdict);
      if (updated === undefined) return undefined;
      bus.emit('OUTCOME_RECORDED', recordedEvent(updated));
      return updated;
    },
    dispose: () => {
      for (const dispose of disposers) dispose();
      stopShifts();
      invocations.clear();
      selections.clear();
    },
  };
}

function toRecord(
  event: EventPayload<'AGENT_COMPLETED'> | EventPayload<'AGENT_FAILED'>,
  failed: boolean,
  invocation: Invocation | undefined,
  selection: Selection | undefined,
  now: () => number,
): OutcomeRecord {
  const text = (invocation?.text ?? '').slice(0, maxTextChars);
  const hinted = invocation?.hints.taskType;
  const enforced = selection?.enforced === true;
  return {
    runId: event.runId,
    taskId: event.taskId,
    attempt: event.attempt,
    workflowId: invocation?.workflowId,
    agent: event.agent,
    taskType: selection?.taskType ?? (typeof hinted === 'string' ? hinted : `agent:${event.agent}`),
    category: selection?.category,
    complexity: selection?.complexity,
    model: event.model?.id ?? (enforced ? selection?.model : undefined) ?? 'none',
    provider: event.model?.provider ?? (enforced ? selection?.provider : undefined),
    tier: event.model?.tier ?? (enforced ? selection?.tier : undefined),
    success: !failed,
    quality: 'quality' in event ? event.quality : undefined,
    errorCode: 'error' in event ? event.error.code : undefined,
    latencyMs: event.latencyMs,
    costMicroUsd: event.costMicroUsd,
    costEstimated: event.costEstimated,
    text,
    contextChars: invocation?.contextChars ?? 0,
    words: countWords(text),
    source: 'run',
    recordedAt: now(),
    ...(invocation?.validator === undefined ? {} : { validator: invocation.validator.kind }),
    ...(event.consensus === undefined ? {} : { consensus: event.consensus }),
  };
}

function countWords(text: string): number {
  let words = 0;
  let inWord = false;
  for (let index = 0; index < text.length; index += 1) {
    const space = text.charCodeAt(index) <= 32;
    if (!space && !inWord) words += 1;
    inWord = !space;
  }
  return words;
}

function recordedEvent(record: OutcomeRecord): EventPayload<'OUTCOME_RECORDED'> {
  const tier = record.tier;
  return {
    runId: record.runId,
    taskId: record.taskId,
    attempt: record.attempt,
    model: record.model,
    taskType: record.taskType,
    success: record.success,
    ...(record.quality === undefined ? {} : { quality: record.quality }),
    source: record.source,
    ...(record.category === undefined ? {} : { category: record.category }),
    ...(tier === 0 || tier === 1 || tier === 2 || tier === 3 || tier === 4 ? { tier } : {}),
    latencyMs: record.latencyMs,
    costMicroUsd: record.costMicroUsd,
  };
}
