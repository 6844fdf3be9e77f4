// Preparing a resume: what changed in the workflow, which tasks are done, which attempts were in
// flight at the crash (booked now as lost), and where each task's attempt numbering goes on.
import type { Ledger } from '../cost/ledger.ts';
import { OrchestratorError } from '../errors.ts';
import type { Json } from '../events/vocabulary.ts';
import type { Workflow } from '../workflow/model.ts';
import { fingerprintWorkflow } from './hash.ts';
import type { RunRecord } from './runs.ts';
import { bookLost } from './settle.ts';
import type { AttemptRow, JournalStatements, TaskRow } from './statements.ts';

export type ResumeOptions = {
  /** Resume although the workflow changed: changed tasks and their dependants run again. @default false */
  force?: boolean;
};

/** How the workflow differs from the one the run started with. */
export type WorkflowChanges = {
  changed: string[];
  added: string[];
  removed: string[];
  /** Something outside the tasks changed (inputs, concurrency, description). */
  settings: boolean;
};

/** What a resumed run skips, re-runs and continues; `succeeded` and `attempts` go to the coordinator. */
export type ResumePlan = {
  /** Tasks that succeeded before: not run again; their outputs fill templates. */
  succeeded: Record<string, { output: Json; attempts: number }>;
  /** Per task (or foreach item) id: the last attempt number used, and how many count against `retries`. */
  attempts: Record<string, { last: number; counted: number }>;
  /** Attempts in flight when the run stopped, now booked (at their reservation) as lost. */
  lost: { taskId: string; attempt: number; costMicroUsd: number }[];
  /** Tasks that had succeeded and run again because they or a task they need changed (with `force`). */
  rerun: string[];
  changes: WorkflowChanges;
};

/** Builds the plan and records the resume; the caller holds the write transaction and the lease. */
export function prepareResume(
  sql: JournalStatements,
  ledger: Pick<Ledger, 'settle'> | undefined,
  record: RunRecord,
  workflow: Workflow,
  options: ResumeOptions,
  now: number,
): ResumePlan {
  const fingerprint = fingerprintWorkflow(workflow);
  const changes = compare(record, fingerprint.taskHashes, fingerprint.workflowHash);
  const anyChange =
    changes.settings || changes.changed.length + changes.added.length + changes.removed.length > 0;
  if (anyChange && options.force !== true) throw workflowChanged(record, workflow, changes);
  const rerun = dependantsOf(workflow, changes.changed);

  const succeeded: ResumePlan['succeeded'] = {};
  const undone: string[] = [];
  for (const row of sql.tasksOf.all(record.runId) as TaskRow[]) {
    // A foreach item (`task[3]`) stands or falls with its task.
    const taskId = row.task_id.replace(/\[\d+\]$/, '');
    if (row.status !== 'succeeded' || !(taskId in fingerprint.taskHashes)) continue;
    if (rerun.has(taskId)) {
      sql.deleteTask.run(record.runId, row.task_id);
      if (taskId === row.task_id) undone.push(taskId);
    } else
      succeeded[row.task_id] = { output: JSON.parse(row.output ?? 'null') as Json, attempts: row.attempts };
  }

  const attempts: ResumePlan['attempts'] = {};
  const lost: ResumePlan['lost'] = [];
  for (const row of sql.attemptsOf.all(record.runId) as AttemptRow[]) {
    const entry = attempts[row.task_id] ?? { last: 0, counted: 0 };
    entry.last = Math.max(entry.last, row.attempt);
    if (row.status === 'failed' && !wasCancelled(row.error)) entry.counted++;
    attempts[row.task_id] = entry;
    if (row.status !== null) continue;
    const ref = { runId: record.runId, taskId: row.task_id, attempt: row.attempt };
    const booked = bookLost(sql, ledger, ref);
    sql.insertCompletion.run(
      ref.runId,
      ref.taskId,
      ref.attempt,
      'lost',
      null,
      JSON.stringify({ code: 'RUN_INTERRUPTED', message: 'The process stopped while this attempt ran.' }),
      null,
      null,
      null,
      null,
      null,
      booked.costMicroUsd,
      booked.estimated ? 1 : 0,
      null,
      now,
    );
    lost.push({ taskId: ref.taskId, attempt: ref.attempt, costMicroUsd: booked.costMicroUsd });
  }
  sql.resumeRun.run(
    fingerprint.workflowHash,
    JSON.stringify(fingerprint.taskHashes),
    workflow.tasks.length,
    now,
    record.runId,
  );
  const order = workflow.tasks.map((task) => task.id);
  undone.sort((a, b) => order.indexOf(a) - order.indexOf(b));
  return { succeeded, attempts, lost, rerun: undone, changes };
}

function wasCancelled(error: string | null): boolean {
  return error !== null && (JSON.parse(error) as { code?: string }).code === 'TASK_CANCELLED';
}

function compare(record: RunRecord, now: Record<string, string>, workflowHash: string): WorkflowChanges {
  const before = record.taskHashes;
  const changed = Object.keys(now).filter((id) => id in before && before[id] !== now[id]);
  const added = Object.keys(now).filter((id) => !(id in before));
  const removed = Object.keys(before).filter((id) => !(id in now));
  const tasksSame = changed.length + added.length + removed.length === 0;
  return { changed, added, removed, settings: tasksSame && workflowHash !== record.workflowHash };
}

/** The tasks in `roots` and every task that needs one of them, directly or not. */
function dependantsOf(workflow: Workflow, roots: readonly string[]): Set<string> {
  const found = new Set(roots);
  let grew = true;
  while (grew) {
    grew = false;
    for (const task of workflow.tasks) {
      if (found.has(task.id)) continue;
      if (task.needs.some((need) => found.has(need))) {
        found.add(task.id);
        grew = true;
      }
    }
  }
  return found;
}

function workflowChanged(record: RunRecord, workflow: Workflow, changes: WorkflowChanges): OrchestratorError {
  const where = workflow.sourcePath ?? record.workflowPath ?? `workflow "${record.workflowId}"`;
  const parts: string[] = [];
  if (changes.changed.length > 0) parts.push(`changed tasks ${changes.changed.join(', ')}`);
  if (changes.added.length > 0) parts.push(`added tasks ${changes.added.join(', ')}`);
  if (changes.removed.length > 0) parts.push(`removed tasks ${changes.removed.join(', ')}`);
  if (changes.settings) parts.push('the workflow settings (inputs, concurrency or description)');
  return new OrchestratorError(
    'RUN_WORKFLOW_CHANGED',
    `${where} changed since run "${record.runId}" started: ${parts.join('; ')}.`,
    {
      hint: `Resume with --force to re-run the changed tasks and their dependants, or start a new run.`,
    },
  );
}
