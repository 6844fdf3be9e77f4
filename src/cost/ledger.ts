// The ledger: reserve-then-settle admission against every budget that applies, in one write
// transaction each, so many processes sharing the database never overspend what they reserved.
import { randomBytes } from 'node:crypto';
import { type Clock, systemClock } from '../clock.ts';
import type { BudgetConfig } from '../config/budgets.ts';
import { OrchestratorError } from '../errors.ts';
import type { StateDatabase } from '../store/index.ts';
import {
  type HoldRow,
  type LedgerStatements,
  prepareLedgerStatements,
  type ReservationRow,
} from './ledger-statements.ts';
import type {
  AttemptRef,
  BudgetReading,
  ReservationInfo,
  ReservationRequest,
  ReserveResult,
  Settlement,
  SettleResult,
} from './ledger-types.ts';
import { periodEndMs } from './periods.ts';
import { applicableCounters, type BudgetSubject } from './scope.ts';
import { settleInTransaction } from './settle.ts';
import { admitsPriority, throttleLevelFor } from './throttle.ts';

export type LedgerOptions = {
  db: StateDatabase;
  config: BudgetConfig;
  /** @default systemClock */
  clock?: Pick<Clock, 'now'>;
  /** Names this process on its reservations. @default `<pid>-<random hex>` */
  owner?: string;
};

/** Reserve-then-settle bookkeeping on the state database. Every method is one transaction. */
export type Ledger = {
  readonly owner: string;
  /** Checks every applicable budget and, if admitted, holds the estimated maximum until settled. */
  reserve: (request: ReservationRequest) => ReserveResult;
  /**
   * Books the actual cost once per attempt and releases the reservation.
   * @throws OrchestratorError LEDGER_DUPLICATE when the attempt is already booked.
   */
  settle: (settlement: Settlement) => SettleResult;
  /** Releases a reservation without booking anything; false when there was none. */
  cancel: (ref: AttemptRef) => boolean;
  /** Releases reservations whose lease ran out (their process died); returns how many. */
  releaseExpired: () => number;
  /** Extends the lease of this owner's open reservations; returns how many. */
  renewLeases: () => number;
  /** The reservation held for an attempt (open, or expired and not yet settled), if any. */
  reservation: (ref: AttemptRef) => ReservationInfo | undefined;
  /** The applicable budgets' counters for `subject` now, without reserving anything. */
  read: (subject: BudgetSubject) => BudgetReading[];
};

/** After this long a call held back by in-flight reservations asks again: they settle in seconds. */
const inFlightRetryMs = 1_000;

/** Creates the ledger of `db` under `config`'s budgets. */
export function createLedger(options: LedgerOptions): Ledger {
  const { db, config } = options;
  const clock = options.clock ?? systemClock;
  const owner = options.owner ?? `${process.pid}-${randomBytes(4).toString('hex')}`;
  const sql = prepareLedgerStatements(db);

  const read = (subject: BudgetSubject, now: number, request?: ReservationRequest): BudgetReading[] =>
    applicableCounters(config.budgets, subject, now).map((counter) => {
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

  const reserve = (request: ReservationRequest): ReserveResult => {
    checkAmount(request.amountMicroUsd, 'amountMicroUsd');
    checkAmount(request.tokens, 'tokens');
    return db.transaction(() => {
      const now = clock.now();
      releaseExpiredAt(sql, now);
      const readings = read(request.subject, now, request);
      const tightest = tightestOf(readings);
      const level = tightest === undefined ? 'NONE' : throttleLevelFor(tightest.utilisation, config.throttle);
      const key = [request.runId, request.taskId, request.attempt] as const;
      if (sql.ledgerRowExists.get(...key) !== undefined)
        return { status: 'already-settled', level, readings };
      const existing = sql.findReservation.get(...key) as ReservationRow | undefined;
      if (existing?.status === 'open') {
        sql.renewReservation.run(now + config.leaseMs, ...key);
        return { status: 'reserved', level, readings, tightest };
      }
      if (existing !== undefined) sql.deleteReservation.run(...key);
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
      insertReservation(sql, request, owner, now, now + config.leaseMs, readings);
      return { status: 'reserved', level, readings, tightest };
    });
  };

  return {
    owner,
    reserve,
    settle: (settlement) => db.transaction(() => settleInTransaction(sql, config, settlement, clock.now())),
    cancel: (ref) =>
      db.transaction(() => {
        const row = sql.findReservation.get(ref.runId, ref.taskId, ref.attempt) as ReservationRow | undefined;
        if (row === undefined) return false;
        releaseHolds(sql, ref);
        sql.deleteReservation.run(ref.runId, ref.taskId, ref.attempt);
        return true;
      }),
    releaseExpired: () => db.transaction(() => releaseExpiredAt(sql, clock.now())),
    renewLeases: () =>
      db.transaction(() => {
        const now = clock.now();
        return Number(sql.renewLeases.run(now + config.leaseMs, owner, now).changes);
      }),
    read: (subject) => read(subject, clock.now()),
    reservation: (ref) => {
      const row = sql.findReservation.get(ref.runId, ref.taskId, ref.attempt) as ReservationRow | undefined;
      if (row === undefined) return undefined;
      return {
        owner: row.owner,
        amountMicroUsd: row.amount_micro_usd,
        tokens: row.tokens,
        status: row.status,
        leaseExpiresAt: row.lease_expires_at,
      };
    },
  };
}

function checkAmount(value: number, name: string): void {
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new OrchestratorError(
      'INTERNAL',
      `A reservation's ${name} must be a non-negative integer, got ${value}.`,
    );
  }
}

/** The budget closest to its limit; on a tie, the first in config order. */
export function tightestOf(readings: readonly BudgetReading[]): BudgetReading | undefined {
  let tightest: BudgetReading | undefined;
  for (const reading of readings) {
    if (tightest === undefined || reading.utilisation > tightest.utilisation) tightest = reading;
  }
  return tightest;
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

/** Gives back what a reservation holds on each counter, and forgets the holds. */
export function releaseHolds(sql: LedgerStatements, ref: AttemptRef): void {
  for (const hold of sql.holdsOf.all(ref.runId, ref.taskId, ref.attempt) as HoldRow[]) {
    sql.adjustCounter.run(0, -hold.amount, hold.budget, hold.scope_key, hold.period);
  }
  sql.deleteHolds.run(ref.runId, ref.taskId, ref.attempt);
}

function releaseExpiredAt(sql: LedgerStatements, now: number): number {
  const expired = sql.expiredReservations.all(now) as { run_id: string; task_id: string; attempt: number }[];
  for (const row of expired) {
    const ref = { runId: row.run_id, taskId: row.task_id, attempt: row.attempt };
    releaseHolds(sql, ref);
    sql.expireReservation.run(ref.runId, ref.taskId, ref.attempt);
  }
  return expired.length;
}
