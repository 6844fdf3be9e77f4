import { OrchestratorError } from '../errors.ts';
import type { OutcomeRecord, Verdict } from './outcome.ts';
import { withVerdict } from './outcome.ts';
import type { OutcomeStore } from './outcome-store.ts';

/**
 * Records a late verdict (a review, a test result) for the latest attempt of a task in `store`, for a
 * process that runs no learner (`tierflow feedback`); learners pick it up when they next start.
 * @throws OrchestratorError RUN_NOT_FOUND when the task has no recorded outcome.
 */
export function recordFeedback(
  store: OutcomeStore,
  runId: string,
  taskId: string,
  verdict: Verdict,
  now: number,
): OutcomeRecord {
  checkVerdict(verdict);
  const previous = store.latest(runId, taskId);
  if (previous === undefined) {
    throw new OrchestratorError(
      'RUN_NOT_FOUND',
      `No outcome is recorded for task "${taskId}" of run "${runId}".`,
      {
        hint: 'Check the run id (`tierflow runs` lists runs) and the task id, and that --state names the same file.',
      },
    );
  }
  const updated = withVerdict(previous, verdict, now);
  store.replace(updated);
  return updated;
}

/** A verdict needs `success` or a `quality` between 0 and 1. */
export function checkVerdict(verdict: Verdict): void {
  if (verdict.quality !== undefined && !(verdict.quality >= 0 && verdict.quality <= 1)) {
    throw new OrchestratorError(
      'CLI_INVALID_ARGUMENT',
      `Quality ${verdict.quality} is out of range; expected 0 to 1.`,
      {
        hint: 'Pass --quality 0.8, or --success / --fail.',
      },
    );
  }
  if (verdict.quality === undefined && verdict.success === undefined) {
    throw new OrchestratorError(
      'CLI_INVALID_ARGUMENT',
      'A verdict needs --success, --fail or --quality <0-1>.',
      {
        hint: 'Example: tierflow feedback <runId> <taskId> --quality 0.8',
      },
    );
  }
}
