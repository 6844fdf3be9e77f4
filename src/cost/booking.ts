// Booking a finished attempt: the reported cost when usage is known, else the reservation.
import { OrchestratorError } from '../errors.ts';
import type { EventPayload } from '../events/events.ts';
import { priceTokens } from './price-book.ts';
import type { AttemptState, TrackerContext } from './tracker-context.ts';

type Finished = EventPayload<'AGENT_COMPLETED'> | EventPayload<'AGENT_FAILED'>;

/**
 * The part of a settlement every booker of a finished attempt agrees on: its key and outcome, the
 * tokens reported, and the cost when it is known (usage reported and not estimated); left undefined,
 * the ledger books the reservation instead.
 */
export function settlementOf(event: Finished, outcome: 'completed' | 'failed') {
  const { usage } = event;
  const usageKnown = usage.inputTokens !== undefined || usage.outputTokens !== undefined;
  return {
    usageKnown,
    runId: event.runId,
    taskId: event.taskId,
    attempt: event.attempt,
    outcome,
    costMicroUsd: usageKnown && !event.costEstimated ? event.costMicroUsd : undefined,
    inputTokens: usage.inputTokens,
    outputTokens: usage.outputTokens,
  };
}

/** Settles one attempt in the ledger; a second settlement of it is logged and ignored. */
export function settleAttempt(
  context: TrackerContext,
  event: Finished,
  outcome: 'completed' | 'failed',
  state: AttemptState | undefined,
): void {
  const { usage } = event;
  const { usageKnown, ...base } = settlementOf(event, outcome);
  // Nothing admitted and nothing reported: no model was called (a tier-0 agent, or a refused call).
  // The ledger is asked too: the reservation may come from before this tracker started.
  const nothingToBook = !usageKnown && event.costMicroUsd === 0 && state?.reserved !== true;
  if (nothingToBook && context.ledger.reservation(event) === undefined) return;
  const model = event.model ?? state?.model;
  const { costMicroUsd } = base;
  const inputTokens = usage.inputTokens ?? state?.estimate?.inputTokens;
  const outputTokens = usage.outputTokens ?? state?.estimate?.outputTokens;
  try {
    const booked = context.ledger.settle({
      ...base,
      baselineMicroUsd: baseline(context, model?.id, costMicroUsd, inputTokens, outputTokens),
      subject: {
        sessionId: state?.sessionId ?? event.runId,
        workflowId: state?.workflowId,
        category: state?.category,
        modelId: model?.id ?? 'unknown',
      },
      provider: model?.provider,
      tier: model?.tier,
      fallbackMicroUsd: state?.estimate?.amountMicroUsd ?? event.costMicroUsd,
      fallbackTokens:
        state?.estimate === undefined ? undefined : state.estimate.inputTokens + state.estimate.outputTokens,
    });
    const fields = {
      taskId: event.taskId,
      attempt: event.attempt,
      costMicroUsd: booked.costMicroUsd,
      estimated: booked.estimated,
    };
    if (booked.estimated) context.log.warn(fields, 'usage unknown; booked the reserved amount');
    else context.log.debug(fields, 'cost booked');
  } catch (error) {
    if (error instanceof OrchestratorError && error.code === 'LEDGER_DUPLICATE') {
      context.log.debug({ taskId: event.taskId, attempt: event.attempt }, 'attempt already booked');
      return;
    }
    throw error;
  } finally {
    if (state?.reserved === true) context.open.count--;
  }
}

/** What the same tokens cost on the strongest model of the catalog. */
function baseline(
  context: TrackerContext,
  modelId: string | undefined,
  costMicroUsd: number | undefined,
  inputTokens: number | undefined,
  outputTokens: number | undefined,
): number | undefined {
  const strongest = context.priceBook.strongest();
  if (strongest === undefined) return undefined;
  if (modelId === strongest.modelId && costMicroUsd !== undefined) return costMicroUsd;
  if (inputTokens === undefined && outputTokens === undefined) return undefined;
  return priceTokens(strongest, inputTokens ?? 0, outputTokens ?? 0);
}
