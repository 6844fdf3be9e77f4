import { OrchestratorError } from '../errors.ts';
import {
  connectStateDatabase,
  defaultStatePath,
  type StateDatabase,
  type StateDatabaseOptions,
  stateError,
} from './database.ts';
import { applyMigrations, type Migration, stateMigrations } from './migrations.ts';

/**
 * Opens (creating if needed) the state database at `path` (`:memory:` for tests), switches it to WAL,
 * sets the busy timeout and applies pending migrations.
 * @throws OrchestratorError STATE_FAILED when the file cannot be opened or was written by a newer tierflow.
 */
export function openStateDatabase(
  path: string = defaultStatePath,
  options: StateDatabaseOptions & {
    /** @default stateMigrations */
    migrations?: readonly Migration[];
  } = {},
): StateDatabase {
  const db = connectStateDatabase(path, options);
  try {
    applyMigrations(db, options.migrations ?? stateMigrations);
  } catch (error) {
    db.close();
    if (error instanceof OrchestratorError) throw error;
    throw stateError(path, 'cannot be migrated', error);
  }
  return db;
}
