// The outcome learner's table (src/learning/sqlite-store.ts): one row per (run, task, attempt), so an
// outcome is recorded exactly once across processes.
export const learningOutcomesSchemaSql = `
CREATE TABLE learning_outcomes (
  run_id TEXT NOT NULL,
  task_id TEXT NOT NULL,
  attempt INTEGER NOT NULL,
  recorded_at INTEGER NOT NULL,
  task_type TEXT NOT NULL,
  model TEXT NOT NULL,
  success INTEGER NOT NULL CHECK (success IN (0, 1)),
  quality REAL CHECK (quality IS NULL OR (quality >= 0 AND quality <= 1)),
  source TEXT NOT NULL CHECK (source IN ('run', 'feedback')),
  record TEXT NOT NULL,
  PRIMARY KEY (run_id, task_id, attempt)
);
CREATE INDEX learning_outcomes_type_model ON learning_outcomes (task_type, model);
`;
