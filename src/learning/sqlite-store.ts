import type { StateDatabase } from '../store/index.ts';
import type { OutcomeRecord } from './outcome.ts';
import type { OutcomeStore } from './outcome-store.ts';

/**
 * An outcome store in the state database the cost ledger uses (its table is migration 3 of
 * src/store/migrations.ts, indexed by time in 4), so learning carries across runs and processes. A second
 * process recording the same attempt is ignored by the primary key.
 */
export function createSqliteOutcomeStore(db: StateDatabase): OutcomeStore {
  const insert = db.prepare(
    `INSERT OR IGNORE INTO learning_outcomes (run_id, task_id, attempt, recorded_at, task_type, model, success, quality, source, record)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const update = db.prepare(
    `UPDATE learning_outcomes SET recorded_at = ?, success = ?, quality = ?, source = ?, record = ?
     WHERE run_id = ? AND task_id = ? AND attempt = ?`,
  );
  const latest = db.prepare(
    'SELECT record FROM learning_outcomes WHERE run_id = ? AND task_id = ? ORDER BY attempt DESC LIMIT 1',
  );
  const all = db.prepare(
    'SELECT record FROM learning_outcomes ORDER BY recorded_at, run_id, task_id, attempt',
  );
  const newest = db.prepare(
    `SELECT record FROM (
       SELECT record, recorded_at, run_id, task_id, attempt FROM learning_outcomes
       ORDER BY recorded_at DESC, run_id DESC, task_id DESC, attempt DESC LIMIT ?
     ) ORDER BY recorded_at, run_id, task_id, attempt`,
  );
  const parse = (row: unknown) => JSON.parse((row as { record: string }).record) as OutcomeRecord;
  return {
    record: (outcome) =>
      Number(
        insert.run(
          outcome.runId,
          outcome.taskId,
          outcome.attempt,
          outcome.recordedAt,
          outcome.taskType,
          outcome.model,
          outcome.success ? 1 : 0,
          outcome.quality ?? null,
          outcome.source,
          JSON.stringify(outcome),
        ).changes,
      ) === 1,
    latest: (runId, taskId) => {
      const row = latest.get(runId, taskId);
      return row === undefined ? undefined : parse(row);
    },
    replace: (outcome) => {
      update.run(
        outcome.recordedAt,
        outcome.success ? 1 : 0,
        outcome.quality ?? null,
        outcome.source,
        JSON.stringify(outcome),
        outcome.runId,
        outcome.taskId,
        outcome.attempt,
      );
    },
    all: () => all.all().map(parse),
    newest: (limit) => (limit <= 0 ? [] : newest.all(Math.floor(limit)).map(parse)),
    close: () => {},
  };
}
