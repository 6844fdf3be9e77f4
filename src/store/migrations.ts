// Versioned schema migrations of the state database.
//
// To add one: append `{ version: <last + 1>, name: '<area>-<what>', sql: '...' }` to
// `stateMigrations` (never edit or reorder an applied one). `openStateDatabase` applies pending
// migrations in order, each in its own write transaction, and records them in `schema_migrations`,
// so several processes opening the same file at once migrate it exactly once.
import { OrchestratorError } from '../errors.ts';
import type { StateDatabase } from './database.ts';
import { costLedgerSchemaSql } from './schema-cost.ts';
import { learningOutcomesSchemaSql } from './schema-learning.ts';

/** One schema change. `sql` may hold several statements. */
export type Migration = { readonly version: number; readonly name: string; readonly sql: string };

/** Every migration of the state database, in order. Append only. */
export const stateMigrations: readonly Migration[] = [
  { version: 1, name: 'cost-ledger', sql: costLedgerSchemaSql },
  // The run journal (src/journal/): runs, the lease of the one coordinator per run (fencing token),
  // attempts started, attempts finished (one row per run, task, attempt: never twice), task ends.
  {
    version: 2,
    name: 'run-journal',
    sql: `
CREATE TABLE journal_runs (
  run_id TEXT PRIMARY KEY,
  workflow_id TEXT NOT NULL,
  workflow_path TEXT,
  workflow_hash TEXT NOT NULL,
  task_hashes TEXT NOT NULL,
  task_count INTEGER NOT NULL,
  input TEXT NOT NULL,
  seed INTEGER,
  session_id TEXT,
  options TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('running', 'succeeded', 'failed', 'interrupted')),
  resumes INTEGER NOT NULL DEFAULT 0,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  ended_at INTEGER
) WITHOUT ROWID;
CREATE INDEX journal_runs_by_time ON journal_runs (created_at);
CREATE TABLE journal_leases (
  run_id TEXT PRIMARY KEY,
  owner TEXT NOT NULL,
  token INTEGER NOT NULL,
  expires_at INTEGER NOT NULL
) WITHOUT ROWID;
CREATE TABLE journal_attempts (
  run_id TEXT NOT NULL,
  task_id TEXT NOT NULL,
  attempt INTEGER NOT NULL,
  agent TEXT NOT NULL,
  token INTEGER NOT NULL,
  started_at INTEGER NOT NULL,
  PRIMARY KEY (run_id, task_id, attempt)
) WITHOUT ROWID;
CREATE TABLE journal_completions (
  run_id TEXT NOT NULL,
  task_id TEXT NOT NULL,
  attempt INTEGER NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('succeeded', 'failed', 'lost')),
  output TEXT,
  error TEXT,
  model_id TEXT,
  provider TEXT,
  tier INTEGER,
  input_tokens INTEGER,
  output_tokens INTEGER,
  cost_micro_usd INTEGER NOT NULL CHECK (cost_micro_usd >= 0),
  cost_estimated INTEGER NOT NULL CHECK (cost_estimated IN (0, 1)),
  latency_ms REAL,
  ended_at INTEGER NOT NULL,
  PRIMARY KEY (run_id, task_id, attempt)
) WITHOUT ROWID;
CREATE TABLE journal_tasks (
  run_id TEXT NOT NULL,
  task_id TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('succeeded', 'failed', 'skipped', 'cancelled')),
  attempts INTEGER NOT NULL,
  output TEXT,
  reason TEXT,
  ended_at INTEGER NOT NULL,
  PRIMARY KEY (run_id, task_id)
) WITHOUT ROWID;
`,
  },
  { version: 3, name: 'learning-outcomes', sql: learningOutcomesSchemaSql },
  // The learned planner fits on the newest outcomes: read them without sorting the whole table.
  {
    version: 4,
    name: 'learning-outcomes-by-time',
    sql: 'CREATE INDEX learning_outcomes_by_time ON learning_outcomes (recorded_at, run_id, task_id, attempt);',
  },
];

/** Applies the migrations `db` has not seen yet; refuses a database written by a newer tierflow. */
export function applyMigrations(db: StateDatabase, migrations: readonly Migration[]): void {
  checkOrder(migrations);
  db.exec(
    'CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL)',
  );
  const applied = db.prepare('SELECT version, name FROM schema_migrations WHERE version = ?');
  const record = db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)');
  const latest = migrations.at(-1)?.version ?? 0;
  if (db.schemaVersion() > latest) {
    throw new OrchestratorError(
      'STATE_FAILED',
      `State database "${db.path}" has schema version ${db.schemaVersion()}, newer than this tierflow knows (${latest}).`,
      { hint: 'Upgrade tierflow, or point --state at another file.' },
    );
  }
  for (const migration of migrations) {
    db.transaction(() => {
      const row = applied.get(migration.version) as { name: string } | undefined;
      if (row !== undefined) {
        if (row.name !== migration.name) throw mismatch(db.path, migration, row.name);
        return;
      }
      db.exec(migration.sql);
      record.run(migration.version, migration.name, Date.now());
    });
  }
}

function checkOrder(migrations: readonly Migration[]): void {
  migrations.forEach((migration, index) => {
    if (migration.version !== index + 1) {
      throw new OrchestratorError(
        'INTERNAL',
        `Migration "${migration.name}" has version ${migration.version}; expected ${index + 1} (versions run 1, 2, 3, ...).`,
      );
    }
  });
}

function mismatch(path: string, migration: Migration, found: string): OrchestratorError {
  return new OrchestratorError(
    'STATE_FAILED',
    `State database "${path}" applied migration ${migration.version} as "${found}", but this tierflow calls it "${migration.name}".`,
    { hint: 'The file was written by a different build of tierflow; point --state at another file.' },
  );
}
