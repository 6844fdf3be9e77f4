// The embedded state database: one node:sqlite file shared by the cost ledger, the learner and the
// run journal, in WAL mode so readers never block the one writer, with versioned migrations.
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { DatabaseSync, type StatementSync } from 'node:sqlite';
import { OrchestratorError } from '../errors.ts';

export type { StatementSync as Statement };

/** Values a statement accepts as parameters. */
export type SqlValue = null | number | bigint | string | Uint8Array;

/** An open state database. Synchronous on purpose: a transaction never spans an `await`. */
export type StateDatabase = {
  readonly path: string;
  /** Compiles a statement once; keep the result and reuse it. */
  prepare: (sql: string) => StatementSync;
  exec: (sql: string) => void;
  /**
   * Runs `work` in a write transaction (`BEGIN IMMEDIATE`, so the write lock is taken up front and
   * two processes never both read-then-write) and commits, or rolls back if it throws. Called
   * inside another transaction it becomes a savepoint, so callers compose.
   */
  transaction: <T>(work: () => T) => T;
  /** The schema version after migrations: the highest applied migration. */
  schemaVersion: () => number;
  close: () => void;
};

export type StateDatabaseOptions = {
  /** How long a writer waits for another process's lock before failing. @default 10000 */
  busyTimeoutMs?: number;
  /** `NORMAL` survives process crashes (WAL); `FULL` also survives power loss, slower. @default 'NORMAL' */
  synchronous?: 'NORMAL' | 'FULL';
};

/** Where the state database lives unless `--state`, the `state` config key or TIERFLOW_STATE say otherwise. */
export const defaultStatePath = '.tierflow/state.db';

/**
 * Connects to (creating if needed) the database file at `path` (`:memory:` for tests) in WAL mode
 * with a busy timeout, without migrating it; `openStateDatabase` also migrates.
 */
export function connectStateDatabase(path: string, options: StateDatabaseOptions = {}): StateDatabase {
  const busyTimeoutMs = options.busyTimeoutMs ?? 10_000;
  let db: DatabaseSync;
  try {
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
    db = new DatabaseSync(path, { timeout: busyTimeoutMs });
    db.exec(`PRAGMA busy_timeout = ${Math.trunc(busyTimeoutMs)}`);
    if (path !== ':memory:') db.exec('PRAGMA journal_mode = WAL');
    db.exec(`PRAGMA synchronous = ${options.synchronous ?? 'NORMAL'}`);
    db.exec('PRAGMA foreign_keys = ON');
  } catch (error) {
    throw stateError(path, 'cannot be opened', error);
  }
  let savepoints = 0;
  const state: StateDatabase = {
    path,
    prepare: (sql) => db.prepare(sql),
    exec: (sql) => db.exec(sql),
    transaction: (work) => {
      if (db.isTransaction) return inSavepoint(db, `sp${++savepoints}`, work);
      db.exec('BEGIN IMMEDIATE');
      try {
        const result = work();
        db.exec('COMMIT');
        return result;
      } catch (error) {
        if (db.isTransaction) db.exec('ROLLBACK');
        throw error;
      }
    },
    schemaVersion: () => {
      const row = db.prepare('SELECT MAX(version) AS version FROM schema_migrations').get() as {
        version: number | null;
      };
      return row.version ?? 0;
    },
    close: () => {
      if (db.isOpen) db.close();
    },
  };
  return state;
}

function inSavepoint<T>(db: DatabaseSync, name: string, work: () => T): T {
  db.exec(`SAVEPOINT ${name}`);
  try {
    const result = work();
    db.exec(`RELEASE ${name}`);
    return result;
  } catch (error) {
    db.exec(`ROLLBACK TO ${name}`);
    db.exec(`RELEASE ${name}`);
    throw error;
  }
}

export function stateError(path: string, what: string, cause: unknown): OrchestratorError {
  const detail = cause instanceof Error ? cause.message : String(cause);
  return new OrchestratorError('STATE_FAILED', `State database "${path}" ${what}: ${detail}.`, {
    hint: 'Check that the directory is writable, or point --state (or TIERFLOW_STATE) at another file.',
    cause,
  });
}
