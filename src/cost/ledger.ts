// The ledger: reserve-then-settle admission against every budget that applies, in one write
// transaction each, so many processes sharing the database never overspend what they reserved.
import { randomBytes } from 'node:crypto';
import { type Clock, systemClock } from '../clock.ts';
import type { BudgetConfig } from '../config/budgets.ts';
import type { StateDatabase } from '../store/index.ts';
import { type LedgerStatements, prepareLedgerStatements, type ReservationRow } from './ledger-statements.ts';
import type {
  AttemptRef,
  BudgetReading,
  ReservationInfo,
  ReservationRequest,
  ReserveResult,
  Settlement,
  SettleResult,
} from './ledger-types.ts';
import { cancelReservation, releaseExpiredAt } from './release.ts';
import { checkReservationAmounts, readBudgets, reserveInTransaction } from './reserve.ts';
import type { BudgetSubject } from './scope.ts';
import { settleInTransaction } from './settle.ts';

// Still exported by the ledger, which the cost index and the tracker's admission read them from.
export { releaseHolds } from './release.ts';
export { tightestOf } from './reserve.ts';

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

/** Creates the ledger of `db` under `config`'s budgets. */
export function createLedger(options: LedgerOptions): Ledger {
  const { db, config } = options;
  const clock = options.clock ?? systemClock;
  const owner = options.owner ?? `${process.pid}-${randomBytes(4).toString('hex')}`;
  const sql = prepareLedgerStatements(db);
  return {
    owner,
    reserve: (request) => {
      checkReservationAmounts(request);
      return db.transaction(() => reserveInTransaction(sql, config, owner, request, clock.now()));
    },
    settle: (settlement) => db.transaction(() => settleInTransaction(sql, config, settlement, clock.now())),
    cancel: (ref) => db.transaction(() => cancelReservation(sql, ref)),
    releaseExpired: () => db.transaction(() => releaseExpiredAt(sql, clock.now())),
    renewLeases: () =>
      db.transaction(() => {
        const now = clock.now();
        return Number(sql.renewLeases.run(now + config.leaseMs, owner, now).changes);
      }),
    read: (subject) => readBudgets(sql, config, subject, clock.now()),
    reservation: (ref) => reservationInfo(sql, ref),
  };
}

function reservationInfo(sql: LedgerStatements, ref: AttemptRef): ReservationInfo | undefined {
  const row = sql.findReservation.get(ref.runId, ref.taskId, ref.attempt) as ReservationRow | undefined;
  if (row === undefined) return undefined;
  return {
    owner: row.owner,
    amountMicroUsd: row.amount_micro_usd,
    tokens: row.tokens,
    status: row.status,
    leaseExpiresAt: row.lease_expires_at,
  };
}
