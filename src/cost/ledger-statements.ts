// The SQL of the ledger, compiled once per database.
import type { StateDatabase, Statement } from '../store/index.ts';

export type LedgerStatements = ReturnType<typeof prepareLedgerStatements>;

export function prepareLedgerStatements(db: StateDatabase) {
  const statement = (sql: string): Statement => db.prepare(sql);
  return {
    readCounter: statement(
      'SELECT spent, reserved FROM budget_counters WHERE budget = ? AND scope_key = ? AND period = ?',
    ),
    addToCounter: statement(
      `INSERT INTO budget_counters (budget, scope_key, period, unit, spent, reserved) VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT (budget, scope_key, period) DO UPDATE SET spent = spent + excluded.spent, reserved = reserved + excluded.reserved`,
    ),
    /** For holds, whose counter row exists: an upsert would check its negative insert values. */
    adjustCounter: statement(
      'UPDATE budget_counters SET spent = spent + ?, reserved = reserved + ? WHERE budget = ? AND scope_key = ? AND period = ?',
    ),
    findReservation: statement('SELECT * FROM reservations WHERE run_id = ? AND task_id = ? AND attempt = ?'),
    insertReservation: statement(
      `INSERT INTO reservations (run_id, task_id, attempt, owner, amount_micro_usd, tokens, session_id, workflow_id,
         category, model_id, provider, tier, priority, created_at, lease_expires_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ),
    insertHold: statement(
      `INSERT INTO reservation_holds (run_id, task_id, attempt, budget, scope_key, period, unit, amount)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    ),
    holdsOf: statement(
      'SELECT budget, scope_key, period, unit, amount FROM reservation_holds WHERE run_id = ? AND task_id = ? AND attempt = ?',
    ),
    deleteHolds: statement('DELETE FROM reservation_holds WHERE run_id = ? AND task_id = ? AND attempt = ?'),
    deleteReservation: statement('DELETE FROM reservations WHERE run_id = ? AND task_id = ? AND attempt = ?'),
    expireReservation: statement(
      "UPDATE reservations SET status = 'expired' WHERE run_id = ? AND task_id = ? AND attempt = ?",
    ),
    expiredReservations: statement(
      "SELECT run_id, task_id, attempt FROM reservations WHERE status = 'open' AND lease_expires_at <= ?",
    ),
    renewLeases: statement(
      "UPDATE reservations SET lease_expires_at = ? WHERE owner = ? AND status = 'open' AND lease_expires_at > ?",
    ),
    renewReservation: statement(
      "UPDATE reservations SET lease_expires_at = ? WHERE run_id = ? AND task_id = ? AND attempt = ? AND status = 'open'",
    ),
    ledgerRowExists: statement(
      'SELECT 1 AS found FROM ledger WHERE run_id = ? AND task_id = ? AND attempt = ?',
    ),
    insertLedgerRow: statement(
      `INSERT INTO ledger (run_id, task_id, attempt, session_id, workflow_id, category, model_id, provider, tier,
         outcome, input_tokens, output_tokens, tokens, cost_micro_usd, baseline_micro_usd, reserved_micro_usd,
         estimated, booked_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (run_id, task_id, attempt) DO NOTHING`,
    ),
    countersOfPeriods: statement(
      'SELECT budget, scope_key, period, spent, reserved FROM budget_counters WHERE budget = ? AND period = ?',
    ),
  };
}

/** A row of `reservations`. */
export type ReservationRow = {
  run_id: string;
  task_id: string;
  attempt: number;
  owner: string;
  amount_micro_usd: number;
  tokens: number;
  session_id: string;
  workflow_id: string | null;
  category: string | null;
  model_id: string;
  provider: string | null;
  tier: number | null;
  priority: string;
  status: 'open' | 'expired';
  created_at: number;
  lease_expires_at: number;
};

export type HoldRow = {
  budget: string;
  scope_key: string;
  period: string;
  unit: 'usd' | 'tokens';
  amount: number;
};
