import { OrchestratorError } from '../errors.ts';
import type { EventPayload } from '../events/events.ts';
import { attemptKeyOf } from '../events/reply.ts';
import type { ModelRef } from '../events/vocabulary.ts';
import type { Attempt } from './attempt-state.ts';
import type { Selection } from './state.ts';

/**
 * Applies the MODEL_SELECTED answer: an enforced choice replaces the default model; a shadow one
 * (`enforced: false`) is reported but the default model runs. No answer keeps the default.
 */
export function applySelection(
  fallback: ModelRef | undefined,
  reply: EventPayload<'MODEL_SELECTED'> | undefined,
): Selection {
  if (reply === undefined) {
    return {
      model: fallback,
      category: undefined,
      complexity: undefined,
      estimatedCostMicroUsd: undefined,
      peers: noPeers,
    };
  }
  const chosen = { id: reply.model, provider: reply.provider, tier: reply.tier };
  return {
    model: reply.enforced ? chosen : fallback,
    category: reply.category,
    complexity: reply.complexity,
    estimatedCostMicroUsd: reply.estimatedCostMicroUsd,
    // Peers check the chosen model: in shadow mode the default model runs, and nobody checks it.
    peers:
      reply.enforced && reply.peers !== undefined
        ? reply.peers.map((peer) => ({ id: peer.model, provider: peer.provider, tier: peer.tier }))
        : noPeers,
  };
}

const noPeers: readonly ModelRef[] = Object.freeze([]);

/**
 * Asks the cost tracker before a model call: allowed goes on, throttled waits `retryAfterMs` (on the
 * injected clock, cancellable) and asks again, blocked fails the attempt with BUDGET_EXCEEDED.
 * Returns the micro-USD reserved, if the answer named it. No answer in time counts as allowed.
 */
export async function admit(attempt: Attempt): Promise<number | undefined> {
  const { context, unit, selection } = attempt;
  const waiter = context.admissions;
  if (waiter === undefined || selection.model === undefined) return undefined;
  const key = { runId: context.runId, taskId: unit.id, attempt: attempt.number };
  for (;;) {
    const reply = waiter.expect(attemptKeyOf(key), context.decisions.admission.timeoutMs, attempt.signal);
    context.bus.emit('ADMISSION_REQUESTED', {
      ...key,
      workflowId: context.workflow.id,
      model: selection.model,
      priority: unit.priority,
      category: selection.category,
      estimatedCostMicroUsd: selection.estimatedCostMicroUsd,
      sessionId: context.sessionId,
    });
    const decision = await reply;
    if (decision === undefined || decision.decision === 'allowed') return decision?.reservedMicroUsd;
    if (decision.decision === 'blocked') {
      throw new OrchestratorError(
        'BUDGET_EXCEEDED',
        `Task "${unit.id}" was refused a model call by budget "${decision.budget ?? 'unnamed'}": ${decision.reason}`,
        { hint: 'Raise the budget, lower the tier of the task, or wait for the budget window to reset.' },
      );
    }
    await context.clock.sleep(decision.retryAfterMs ?? 1000, attempt.signal);
  }
}
