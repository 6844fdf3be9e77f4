// Booking one attempt's actual cost: exactly once per (run, task, attempt), never zero when unknown.
import type { BudgetConfig } from '../config/budgets.ts';
import { OrchestratorError } from '../errors.ts';
import type { HoldRow, LedgerStatements, ReservationRow } from './ledger-statements.ts';
import type { Settlement, SettleResult } from './ledger-types.ts';
import { applicableCounters, type CallSubject } from './scope.ts';

/** Books `settlement`; the caller holds the write transaction. */
export function settleInTransaction(
  sql: LedgerStatements,
  config: BudgetConfig,
  settlement: Settlement,
  now: number,
): SettleResult {
  const key = [settlement.runId, settlement.taskId, settlement.attempt] as const;
  if (sql.ledgerRowExists.get(...key) !== undefined) throw duplicate(settlement);
  const row = sql.findReservation.get(...key) as ReservationRow | undefined;
  const subject = row === undefined ? settlement.subject : subjectOf(row);
  if (subject === undefined) {
    throw new OrchestratorError(
      'INTERNAL',
      `Cannot book ${describe(settlement)}: it has no reservation and the settlement names no session and model.`,
    );
  }
  const { costMicroUsd, tokens, estimated } = amounts(settlement, row);
  if (row?.status === 'open') {
    for (const hold of sql.holdsOf.all(...key) as HoldRow[]) {
      const spent = hold.unit === 'usd' ? costMicroUsd : tokens;
      sql.adjustCounter.run(spent, -hold.amount, hold.budget, hold.scope_key, hold.period);
    }
    sql.deleteHolds.run(...key);
  } else {
    // No holds to settle against: book into the periods the call started in.
    for (const counter of applicableCounters(config.budgets, subject, row?.created_at ?? now)) {
      const spent = counter.budget.unit === 'usd' ? costMicroUsd : tokens;
      sql.addToCounter.run(
        counter.budget.name,
        counter.scopeKey,
        counter.period,
        counter.budget.unit,
        spent,
        0,
      );
    }
  }
  if (row !== undefined) sql.deleteReservation.run(...key);
  const reservedMicroUsd = row?.amount_micro_usd ?? 0;
  const inserted = sql.insertLedgerRow.run(
    ...key,
    subject.sessionId,
    subject.workflowId ?? null,
    subject.category ?? null,
    subject.modelId,
    settlement.provider ?? row?.provider ?? null,
    settlement.tier ?? row?.tier ?? null,
    settlement.outcome,
    settlement.inputTokens ?? null,
    settlement.outputTokens ?? null,
    tokens,
    costMicroUsd,
    baselineOf(settlement, costMicroUsd, estimated),
    reservedMicroUsd,
    estimated ? 1 : 0,
    now,
  );
  if (Number(inserted.changes) !== 1) throw duplicate(settlement);
  return { costMicroUsd, tokens, estimated, reservation: row?.status ?? 'none', reservedMicroUsd };
}

function amounts(settlement: Settlement, row: ReservationRow | undefined) {
  const tokensKnown = settlement.inputTokens !== undefined || settlement.outputTokens !== undefined;
  const tokens = tokensKnown
    ? (settlement.inputTokens ?? 0) + (settlement.outputTokens ?? 0)
    : (row?.tokens ?? settlement.fallbackTokens ?? 0);
  const costMicroUsd = settlement.costMicroUsd ?? row?.amount_micro_usd ?? settlement.fallbackMicroUsd;
  if (costMicroUsd === undefined || !Number.isSafeInteger(costMicroUsd) || costMicroUsd < 0) {
    throw new OrchestratorError(
      'INTERNAL',
      `Cannot book ${describe(settlement)}: its cost is ${String(costMicroUsd)}; expected a non-negative integer of micro-USD, a reservation or a fallback estimate.`,
    );
  }
  return { costMicroUsd, tokens, estimated: settlement.costMicroUsd === undefined || !tokensKnown };
}

/**
 * The all-strongest baseline of a booking. An estimated booking (a reservation) cannot be compared
 * with a baseline priced from the few tokens known: the strongest model charges at least what any
 * model does for the same call, so its baseline is at least what was booked.
 */
function baselineOf(settlement: Settlement, costMicroUsd: number, estimated: boolean): number | null {
  if (settlement.baselineMicroUsd === undefined) return null;
  return estimated ? Math.max(settlement.baselineMicroUsd, costMicroUsd) : settlement.baselineMicroUsd;
}

function subjectOf(row: ReservationRow): CallSubject {
  return {
    sessionId: row.session_id,
    workflowId: row.workflow_id ?? undefined,
    category: row.category ?? undefined,
    modelId: row.model_id,
  };
}

function describe(settlement: Settlement): string {
  return `attempt ${settlement.attempt} of task "${settlement.taskId}" in run "${settlement.runId}"`;
}

function duplicate(settlement: Settlement): OrchestratorError {
  return new OrchestratorError(
    'LEDGER_DUPLICATE',
    `The ledger already holds ${describe(settlement)}; it is booked once.`,
    {
      hint: 'A second settlement of the same attempt is rejected, never applied.',
    },
  );
}
