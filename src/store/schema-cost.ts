// Migration 1: the cost ledger. Money is integer micro-USD; token budgets count tokens.

/**
 * - `budget_counters`: one row per budget, scope key (session id, category, ...; '' for global)
 *   and period ('2026-11-22T03', '2026-11-22', '2026-11'). A new period is a new row: windows are
 *   never reset in place. `spent` is booked, `reserved` is held by open reservations.
 * - `reservations` + `reservation_holds`: an admitted call and the amount it holds on each counter,
 *   owned by one process until `lease_expires_at`. An expired reservation loses its holds but keeps
 *   its row (status 'expired'), so a late settlement still knows what it was for.
 * - `ledger`: one row per (run, task, attempt), so nothing is booked twice.
 */
export const costLedgerSchemaSql = `
CREATE TABLE budget_counters (
  budget TEXT NOT NULL,
  scope_key TEXT NOT NULL,
  period TEXT NOT NULL,
  unit TEXT NOT NULL CHECK (unit IN ('usd', 'tokens')),
  spent INTEGER NOT NULL DEFAULT 0 CHECK (spent >= 0),
  reserved INTEGER NOT NULL DEFAULT 0 CHECK (reserved >= 0),
  PRIMARY KEY (budget, scope_key, period)
) WITHOUT ROWID;

CREATE TABLE reservations (
  run_id TEXT NOT NULL,
  task_id TEXT NOT NULL,
  attempt INTEGER NOT NULL,
  owner TEXT NOT NULL,
  amount_micro_usd INTEGER NOT NULL CHECK (amount_micro_usd >= 0),
  tokens INTEGER NOT NULL CHECK (tokens >= 0),
  session_id TEXT NOT NULL,
  workflow_id TEXT,
  category TEXT,
  model_id TEXT NOT NULL,
  provider TEXT,
  tier INTEGER,
  priority TEXT NOT NULL,
  status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'expired')),
  created_at INTEGER NOT NULL,
  lease_expires_at INTEGER NOT NULL,
  PRIMARY KEY (run_id, task_id, attempt)
) WITHOUT ROWID;
CREATE INDEX reservations_by_lease ON reservations (status, lease_expires_at);
CREATE INDEX reservations_by_owner ON reservations (owner);

CREATE TABLE reservation_holds (
  run_id TEXT NOT NULL,
  task_id TEXT NOT NULL,
  attempt INTEGER NOT NULL,
  budget TEXT NOT NULL,
  scope_key TEXT NOT NULL,
  period TEXT NOT NULL,
  unit TEXT NOT NULL,
  amount INTEGER NOT NULL CHECK (amount >= 0),
  PRIMARY KEY (run_id, task_id, attempt, budget, scope_key, period),
  FOREIGN KEY (run_id, task_id, attempt) REFERENCES reservations (run_id, task_id, attempt) ON DELETE CASCADE
) WITHOUT ROWID;

CREATE TABLE ledger (
  run_id TEXT NOT NULL,
  task_id TEXT NOT NULL,
  attempt INTEGER NOT NULL,
  session_id TEXT NOT NULL,
  workflow_id TEXT,
  category TEXT,
  model_id TEXT NOT NULL,
  provider TEXT,
  tier INTEGER,
  outcome TEXT NOT NULL CHECK (outcome IN ('completed', 'failed', 'unknown')),
  input_tokens INTEGER,
  output_tokens INTEGER,
  tokens INTEGER NOT NULL CHECK (tokens >= 0),
  cost_micro_usd INTEGER NOT NULL CHECK (cost_micro_usd >= 0),
  baseline_micro_usd INTEGER,
  reserved_micro_usd INTEGER NOT NULL,
  estimated INTEGER NOT NULL CHECK (estimated IN (0, 1)),
  booked_at INTEGER NOT NULL,
  PRIMARY KEY (run_id, task_id, attempt)
) WITHOUT ROWID;
CREATE INDEX ledger_by_time ON ledger (booked_at);
`;
