// The SQL of the run journal, compiled once per database.
import type { StateDatabase, Statement } from '../store/index.ts';

export type JournalStatements = ReturnType<typeof prepareJournalStatements>;

export function prepareJournalStatements(db: StateDatabase) {
  const statement = (sql: string): Statement => db.prepare(sql);
  return {
    insertRun: statement(
      `INSERT INTO journal_runs (run_id, workflow_id, workflow_path, workflow_hash, task_hashes, task_count, input,
         seed, session_id, options, status, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'running', ?, ?)`,
    ),
    findRun: statement('SELECT * FROM journal_runs WHERE run_id = ?'),
    resumeRun: statement(
      `UPDATE journal_runs SET status = 'running', resumes = resumes + 1, workflow_hash = ?, task_hashes = ?,
         task_count = ?, updated_at = ?, ended_at = NULL WHERE run_id = ?`,
    ),
    endRun: statement('UPDATE journal_runs SET status = ?, updated_at = ?, ended_at = ? WHERE run_id = ?'),
    failRunning: statement(
      "UPDATE journal_runs SET status = 'failed', updated_at = ?, ended_at = ? WHERE run_id = ? AND status = 'running'",
    ),
    findLease: statement('SELECT owner, token, expires_at FROM journal_leases WHERE run_id = ?'),
    takeLease: statement(
      `INSERT INTO journal_leases (run_id, owner, token, expires_at) VALUES (?, ?, 1, ?)
       ON CONFLICT (run_id) DO UPDATE SET owner = excluded.owner, token = token + 1, expires_at = excluded.expires_at
       RETURNING token`,
    ),
    renewLease: statement('UPDATE journal_leases SET expires_at = ? WHERE run_id = ? AND token = ?'),
    releaseLease: statement('UPDATE journal_leases SET expires_at = 0 WHERE run_id = ? AND token = ?'),
    insertAttempt: statement(
      `INSERT INTO journal_attempts (run_id, task_id, attempt, agent, token, started_at) VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT DO NOTHING`,
    ),
    insertCompletion: statement(
      `INSERT INTO journal_completions (run_id, task_id, attempt, status, output, error, model_id, provider, tier,
         input_tokens, output_tokens, cost_micro_usd, cost_estimated, latency_ms, ended_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
    ),
    /** A succeeded task is never overwritten; any other end is replaced by a later one (a resume). */
    upsertTask: statement(
      `INSERT INTO journal_tasks (run_id, task_id, status, attempts, output, reason, ended_at) VALUES (?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (run_id, task_id) DO UPDATE SET status = excluded.status, attempts = excluded.attempts,
         output = excluded.output, reason = excluded.reason, ended_at = excluded.ended_at
       WHERE journal_tasks.status != 'succeeded'`,
    ),
    replaceTask: statement(
      `INSERT OR REPLACE INTO journal_tasks (run_id, task_id, status, attempts, output, reason, ended_at)
       VALUES (?, ?, ?, ?, ?, ?, ?)`,
    ),
    deleteTask: statement('DELETE FROM journal_tasks WHERE run_id = ? AND task_id = ?'),
    tasksOf: statement(
      'SELECT task_id, status, attempts, output, reason, ended_at FROM journal_tasks WHERE run_id = ?',
    ),
    attemptsOf: statement(
      `SELECT a.task_id, a.attempt, a.agent, a.started_at, c.status, c.output, c.error, c.model_id, c.provider, c.tier,
         c.input_tokens, c.output_tokens, c.cost_micro_usd, c.cost_estimated, c.latency_ms, c.ended_at
       FROM journal_attempts a LEFT JOIN journal_completions c
         ON c.run_id = a.run_id AND c.task_id = a.task_id AND c.attempt = a.attempt
       WHERE a.run_id = ? ORDER BY a.started_at, a.task_id, a.attempt`,
    ),
    reservationOf: statement(
      'SELECT amount_micro_usd FROM reservations WHERE run_id = ? AND task_id = ? AND attempt = ?',
    ),
    ledgerCostOf: statement(
      'SELECT cost_micro_usd, estimated FROM ledger WHERE run_id = ? AND task_id = ? AND attempt = ?',
    ),
  };
}

/** A row of `journal_runs`. */
export type RunRow = {
  run_id: string;
  workflow_id: string;
  workflow_path: string | null;
  workflow_hash: string;
  task_hashes: string;
  task_count: number;
  input: string;
  seed: number | null;
  session_id: string | null;
  options: string;
  status: 'running' | 'succeeded' | 'failed' | 'interrupted';
  resumes: number;
  created_at: number;
  updated_at: number;
  ended_at: number | null;
};

/** An attempt with its completion, if any. */
export type AttemptRow = {
  task_id: string;
  attempt: number;
  agent: string;
  started_at: number;
  status: 'succeeded' | 'failed' | 'lost' | null;
  output: string | null;
  error: string | null;
  model_id: string | null;
  provider: string | null;
  tier: number | null;
  input_tokens: number | null;
  output_tokens: number | null;
  cost_micro_usd: number | null;
  cost_estimated: number | null;
  latency_ms: number | null;
  ended_at: number | null;
};

export type TaskRow = {
  task_id: string;
  status: 'succeeded' | 'failed' | 'skipped' | 'cancelled';
  attempts: number;
  output: string | null;
  reason: string | null;
  ended_at: number;
};

export type LeaseRow = { owner: string; token: number; expires_at: number };
