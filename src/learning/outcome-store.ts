import { attemptKeyOf } from '../events/reply.ts';
import type { OutcomeRecord } from './outcome.ts';

/** Where outcomes live; the learner rebuilds its estimates from `all()` when it starts. */
export type OutcomeStore = {
  /** Stores the outcome of one attempt; false when that attempt was already recorded. */
  record: (outcome: OutcomeRecord) => boolean;
  /** The latest recorded attempt of a task, if any. */
  latest: (runId: string, taskId: string) => OutcomeRecord | undefined;
  /** Replaces a recorded attempt (same run, task and attempt) with `outcome`. */
  replace: (outcome: OutcomeRecord) => void;
  /** Every outcome, oldest first. */
  all: () => OutcomeRecord[];
  /** The newest `limit` outcomes, oldest first. */
  newest: (limit: number) => OutcomeRecord[];
  close: () => void;
};

/** An outcome store in memory (for tests, the eval, and runs without a state file), optionally seeded. */
export function createMemoryOutcomeStore(seed: readonly OutcomeRecord[] = []): OutcomeStore {
  const records = new Map<string, OutcomeRecord>();
  const latestAttempt = new Map<string, number>();
  const store: OutcomeStore = {
    record: (outcome) => {
      const key = attemptKeyOf(outcome);
      if (records.has(key)) return false;
      records.set(key, outcome);
      const taskKey = `${outcome.runId}\u0000${outcome.taskId}`;
      latestAttempt.set(taskKey, Math.max(latestAttempt.get(taskKey) ?? 0, outcome.attempt));
      return true;
    },
    latest: (runId, taskId) => {
      const attempt = latestAttempt.get(`${runId}\u0000${taskId}`);
      return attempt === undefined ? undefined : records.get(attemptKeyOf({ runId, taskId, attempt }));
    },
    replace: (outcome) => {
      records.set(attemptKeyOf(outcome), outcome);
    },
    all: () => [...records.values()],
    newest: (limit) => (limit <= 0 ? [] : [...records.values()].slice(-limit)),
    close: () => {},
  };
  for (const record of seed) store.record(record);
  return store;
}
