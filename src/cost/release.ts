// Giving back what reservations hold: when a call is cancelled, and when a lease runs out because
// the process that took it died.
import type { HoldRow, LedgerStatements, ReservationRow } from './ledger-statements.ts';
import type { AttemptRef } from './ledger-types.ts';

/** Releases the reservation of `ref` without booking anything; false when there was none. */
export function cancelReservation(sql: LedgerStatements, ref: AttemptRef): boolean {
  const row = sql.findReservation.get(ref.runId, ref.taskId, ref.attempt) as ReservationRow | undefined;
  if (row === undefined) return false;
  releaseHolds(sql, ref);
  sql.deleteReservation.run(ref.runId, ref.taskId, ref.attempt);
  return true;
}

/** Gives back what a reservation holds on each counter, and forgets the holds. */
export function releaseHolds(sql: LedgerStatements, ref: AttemptRef): void {
  for (const hold of sql.holdsOf.all(ref.runId, ref.taskId, ref.attempt) as HoldRow[]) {
    sql.adjustCounter.run(0, -hold.amount, hold.budget, hold.scope_key, hold.period);
  }
  sql.deleteHolds.run(ref.runId, ref.taskId, ref.attempt);
}

/** Marks reservations whose lease ran out by `now` expired and releases their holds; returns how many. */
export function releaseExpiredAt(sql: LedgerStatements, now: number): number {
  const expired = sql.expiredReservations.all(now) as { run_id: string; task_id: string; attempt: number }[];
  for (const row of expired) {
    const ref = { runId: row.run_id, taskId: row.task_id, attempt: row.attempt };
    releaseHolds(sql, ref);
    sql.expireReservation.run(ref.runId, ref.taskId, ref.attempt);
  }
  return expired.length;
}
