// Versioned schema migrations of the state database.
//
// To add one: append `{ version: <last + 1>, name: '<area>-<what>', sql: '...' }` to
// `stateMigrations` (never edit or reorder an applied one). `openStateDatabase` applies pending
// migrations in order, each in its own write transaction, and records them in `schema_migrations`,
// so several processes opening the same file at once migrate it exactly once.
import { OrchestratorError } from '../errors.ts';
import type { StateDatabase } from './database.ts';
import { costLedgerSchemaSql } from './schema-cost.ts';

/** One schema change. `sql` may hold several statements. */
export type Migration = { readonly version: number; readonly name: string; readonly sql: string };

/** Every migration of the state database, in order. Append only. */
export const stateMigrations: readonly Migration[] = [
  { version: 1, name: 'cost-ledger', sql: costLedgerSchemaSql },
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
