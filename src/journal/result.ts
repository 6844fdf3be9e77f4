// The result of a resumed run covers the whole run: tasks restored from the journal get their model,
// cost, tokens and times back, and the cost is the run's ledger total, not only this process's share.
import type { RunResult, TaskSummary } from '../coordinator/index.ts';
import { runCostSummary } from '../cost/report.ts';
import type { Tier } from '../events/vocabulary.ts';
import type { StateDatabase } from '../store/index.ts';
import { type AttemptDetail, showRun } from './runs.ts';

/** `result` with the tasks in `restored` filled from the journal and the cost of the whole run. */
export function wholeRunResult(result: RunResult, db: StateDatabase, restored: readonly string[]): RunResult {
  const detail = showRun(db, result.runId);
  const byId = new Map(detail.tasks.map((task) => [task.taskId, task]));
  const ledger = runCostSummary(db, result.runId);
  const tasks = result.tasks.map((task): TaskSummary => {
    const journalled = byId.get(task.id);
    if (!restored.includes(task.id) || journalled === undefined) {
      const booked = ledger.tasks[task.id];
      return booked === undefined ? task : { ...task, costUsd: booked.costUsd };
    }
    const attempts = journalled.attempts;
    const last = [...attempts].reverse().find((attempt) => attempt.model !== null);
    const sum = (pick: (attempt: AttemptDetail) => number | null) =>
      attempts.some((attempt) => pick(attempt) !== null)
        ? attempts.reduce((total, attempt) => total + (pick(attempt) ?? 0), 0)
        : null;
    return {
      ...task,
      tier: last?.tier === undefined || last.tier === null ? task.tier : (last.tier as Tier),
      model: last?.model ?? task.model,
      costUsd: ledger.tasks[task.id]?.costUsd ?? journalled.costMicroUsd / 1_000_000,
      inputTokens: sum((attempt) => attempt.inputTokens),
      outputTokens: sum((attempt) => attempt.outputTokens),
      startedAt: attempts[0]?.startedAt ?? task.startedAt,
      endedAt: attempts.at(-1)?.endedAt ?? task.endedAt,
    };
  });
  return {
    ...result,
    tasks,
    cost: {
      totalUsd: ledger.totalUsd,
      baselineUsd: result.cost.baselineUsd === null ? null : ledger.baselineUsd,
      savingsPct: result.cost.baselineUsd === null ? null : ledger.savingsPct,
    },
  };
}
