// Booking an attempt in the ledger from inside the journal's commit transaction, so that the attempt's
// completion, its output and its cost are committed together or not at all.
import { settlementOf } from '../cost/booking.ts';
import type { Ledger } from '../cost/ledger.ts';
import type { Settlement } from '../cost/ledger-types.ts';
import { OrchestratorError } from '../errors.ts';
import type { EventPayload } from '../events/events.ts';
import type { JournalStatements } from './statements.ts';

type Finished = EventPayload<'AGENT_COMPLETED'> | EventPayload<'AGENT_FAILED'>;

/** What the journal saw of an attempt before it finished. */
export type AttemptInfo = {
  sessionId: string | undefined;
  workflowId: string;
  category: string | undefined;
  /** The cost tracker admitted it: the ledger holds a reservation. */
  reserved: boolean;
};

/** What the baseline (strongest) model would have charged for these tokens. */
export type BaselineOf = (
  modelId: string,
  inputTokens: number | undefined,
  outputTokens: number | undefined,
) => number | undefined;

/** The cost recorded with a completion: what the ledger booked. */
export type Booked = { costMicroUsd: number; estimated: boolean };

/**
 * Books a finished attempt in the ledger: the reported cost when usage is known, else the
 * reservation (flagged estimated). An attempt that reserved nothing and reported nothing called no
 * model and books nothing. The caller holds the write transaction.
 */
export function bookFinished(
  ledger: Pick<Ledger, 'settle'> | undefined,
  event: Finished,
  outcome: 'completed' | 'failed',
  info: AttemptInfo | undefined,
  baselineOf: BaselineOf | undefined,
): Booked {
  const { usage } = event;
  const { usageKnown, ...base } = settlementOf(event, outcome);
  const reported = { costMicroUsd: event.costMicroUsd, estimated: event.costEstimated };
  if (ledger === undefined) return reported;
  if (info?.reserved !== true && !usageKnown && event.costMicroUsd === 0) return reported;
  const modelId = event.model?.id ?? 'unknown';
  const settlement: Settlement = {
    ...base,
    baselineMicroUsd: usageKnown ? baselineOf?.(modelId, usage.inputTokens, usage.outputTokens) : undefined,
    subject: {
      sessionId: info?.sessionId ?? event.runId,
      workflowId: info?.workflowId,
      category: info?.category,
      modelId,
    },
    provider: event.model?.provider,
    tier: event.model?.tier,
    fallbackMicroUsd: event.costMicroUsd,
  };
  const booked = ledger.settle(settlement);
  return { costMicroUsd: booked.costMicroUsd, estimated: booked.estimated };
}

/**
 * Books an attempt that was in flight when its process died: its reservation, flagged estimated
 * (the provider may have been paid; the reservation is the estimated maximum). Nothing reserved
 * means no model was called: nothing to book. The caller holds the write transaction.
 */
export function bookLost(
  sql: JournalStatements,
  ledger: Pick<Ledger, 'settle'> | undefined,
  ref: { runId: string; taskId: string; attempt: number },
): Booked {
  const key = [ref.runId, ref.taskId, ref.attempt] as const;
  const already = sql.ledgerCostOf.get(...key) as { cost_micro_usd: number; estimated: number } | undefined;
  if (already !== undefined)
    return { costMicroUsd: already.cost_micro_usd, estimated: already.estimated === 1 };
  const reservation = sql.reservationOf.get(...key) as { amount_micro_usd: number } | undefined;
  if (reservation === undefined) return { costMicroUsd: 0, estimated: false };
  if (ledger === undefined) return { costMicroUsd: reservation.amount_micro_usd, estimated: true };
  const booked = ledger.settle({
    ...ref,
    outcome: 'unknown',
    costMicroUsd: undefined,
    inputTokens: undefined,
    outputTokens: undefined,
  });
  return { costMicroUsd: booked.costMicroUsd, estimated: booked.estimated };
}

/** A second completion of the same attempt: rejected, never applied. */
export function duplicateCompletion(runId: string, taskId: string, attempt: number): OrchestratorError {
  return new OrchestratorError(
    'JOURNAL_DUPLICATE_COMPLETION',
    `Attempt ${attempt} of task "${taskId}" in run "${runId}" is already committed; the second completion was rejected.`,
    { hint: 'Each attempt commits once; a re-run after a crash is a new attempt.' },
  );
}
