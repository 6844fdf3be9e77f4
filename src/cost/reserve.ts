// Admission inside the ledger's write transaction: read every budget that applies, refuse or hold
// back a call that would overspend, and hold the estimated maximum of one that is admitted.
import type { BudgetConfig } from '../config/budgets.ts';
import { OrchestratorError } from '../errors.ts';
import type { LedgerStatements, ReservationRow } from './ledger-statements.ts';
import type { BudgetReading, ReservationRequest, ReserveResult } from './ledger-types.ts';
import { periodEndMs } from './periods.ts';
import { releaseExpiredAt } from './release.ts';
import { applicableCounters, type BudgetSubject } from './scope.ts';
import { admitsPriority, type ThrottleLevel, throttleLevelFor } from './throttle.ts';

/** After this long a call held back by in-flight reservations asks again: they settle in seconds. */
const inFlightRetryMs = 1_000;

type Refusal = Extract<ReserveResult, { status: 'throttled' | 'blocked' }>;

/** Throws unless both amounts of `request` are non-negative integers; checked before the transaction. */
export function checkReservationAmounts(request: ReservationRequest): void {
  checkAmount(request.amountMicroUsd, 'amountMicroUsd');
  checkAmount(request.tokens, 'tokens');
}

/** Reserves `request` (or renews its open reservation); the caller holds the write transaction. */
export function reserveInTransaction(
  sql: LedgerStatements,
  config: BudgetConfig,
  owner: string,
  request: ReservationRequest,
  now: number,
): ReserveResult {
  releaseExpiredAt(sql, now);
  const readings = readBudgets(sql, config, request.subject, now, request);
  const tightest = tightestOf(readings);
  const level = tightest === undefined ? 'NONE' : throttleLevelFor(tightest.utilisation, config.throttle);
  const key = [request.runId, request.taskId, request.attempt] as const;
  if (sql.ledgerRowExists.get(...key) !== undefined) return { status: 'already-settled', level, readings };
  const existing = sql.findReservation.get(...key) as ReservationRow | undefined;
  if (existing?.status === 'open') {
    sql.renewReservation.run(now + config.leaseMs, ...key);
    return { status: 'reserved', level, readings, tightest };
  }
  if (existing !== undefined) sql.deleteReservation.run(...key);
  const refusal = refusalOf(config, request, readings, tightest, level, now);
  if (refusal !== undefined) return refusal;
  insertReservation(sql, request, owner, now, now + config.leaseMs, readings);
  return { status: 'reserved', level, readings, tightest };
}

/** The counters of every budget that applies to `subject` at `now`, with what `request` would add. */
export function readBudgets(
  sql: LedgerStatements,
  config: BudgetConfig,
  subject: BudgetSubject,
  now: number,
  request?: ReservationRequest,
): BudgetReading[] {
  return applicableCounters(config.budgets, subject, now).map((counter) => {
    const row = sql.readCounter.get(counter.budget.name, counter.scopeKey, counter.period) as
      | { spent: number; reserved: number }
      | undefined;
    const spent = row?.spent ?? 0;
    const reserved = row?.reserved ?? 0;
    const requested =
      request === undefined ? 0 : counter.budget.unit === 'usd' ? request.amountMicroUsd : request.tokens;
    return {
      ...counter,
      spent,
      reserved,
      utilisation: (spent + reserved) / counter.budget.limit,
      requested,
    };
  });
}

/** The budget closest to its limit; on a tie, the first in config order. */
export function tightestOf(readings: readonly BudgetReading[]): BudgetReading | undefined {
  let tightest: BudgetReading | undefined;
  for (const reading of readings) {
    if (tightest === undefined || reading.utilisation > tightest.utilisation) tightest = reading;
  }
  return tightest;
}

/**
 * Why the call may not be held now, in this order: it exceeds a budget's whole limit, the throttle
 * level turns its priority away, or it would overspend (blocked when what is already spent leaves
 * no room, throttled while in-flight reservations may still give some back). Undefined: it fits.
 */
function refusalOf(
  config: BudgetConfig,
  request: ReservationRequest,
  readings: BudgetReading[],
  tightest: BudgetReading | undefined,
  level: ThrottleLevel,
  now: number,
): Refusal | undefined {
  const impossible = readings.find((reading) => reading.requested > reading.budget.limit);
  if (impossible !== undefined) return { status: 'blocked', level, readings, budget: impossible };
  if (tightest !== undefined && !admitsPriority(level, request.priority)) {
    const retryAfterMs = Math.min(config.throttleRetryMs, untilPeriodEnd(tightest, now));
    return { status: 'throttled', level, readings, budget: tightest, retryAfterMs, cause: 'level' };
  }
  const overflowing = readings.filter((r) => r.spent + r.reserved + r.requested > r.budget.limit);
  const hopeless = overflowing.find((r) => r.spent + r.requested > r.budget.limit);
  if (hopeless !== undefined) return { status: 'blocked', level, readings, budget: hopeless };
  const waiting = overflowing[0];
  if (waiting !== undefined) {
    const retryAfterMs = Math.min(config.throttleRetryMs, inFlightRetryMs, untilPeriodEnd(waiting, now));
    return { status: 'throttled', level, readings, budget: waiting, retryAfterMs, cause: 'in-flight' };
  }
  return undefined;
}

function checkAmount(value: number, name: string): void {
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new OrchestratorError(
      'INTERNAL',
      `A reservation's ${name} must be a non-negative integer, got ${value}.`,
    );
  }
}

function untilPeriodEnd(reading: BudgetReading, now: number): number {
  return Math.max(1, periodEndMs(reading.budget.window, now) - now);
}

function insertReservation(
  sql: LedgerStatements,
  request: ReservationRequest,
  owner: string,
  now: number,
  leaseExpiresAt: number,
  readings: readonly BudgetReading[],
): void {
  const { runId, taskId, attempt, subject } = request;
  sql.insertReservation.run(
    runId,
    taskId,
    attempt,
    owner,
    request.amountMicroUsd,
    request.tokens,
    subject.sessionId,
    subject.workflowId ?? null,
    subject.category ?? null,
    subject.modelId,
    request.provider ?? null,
    request.tier ?? null,
    request.priority,
    now,
    leaseExpiresAt,
  );
  for (const reading of readings) {
    const { budget, scopeKey, period, requested } = reading;
    sql.insertHold.run(runId, taskId, attempt, budget.name, scopeKey, period, budget.unit, requested);
    sql.addToCounter.run(budget.name, scopeKey, period, budget.unit, 0, requested);
  }
}
