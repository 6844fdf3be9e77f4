// Plain-text views of the journal for `tierflow runs` and `tierflow show`.
import { formatUsd } from '../config/pricing.ts';
import { formatTable } from '../cost/table.ts';
import type { Json } from '../events/vocabulary.ts';
import type { RunDetail, RunListing, TaskDetail } from './runs.ts';

/** `2026-11-22 00:41:07` (UTC). */
export function formatTime(ms: number | null): string {
  return ms === null ? '-' : new Date(ms).toISOString().slice(0, 19).replace('T', ' ');
}

/** The table of `tierflow runs`. */
export function formatRunList(runs: readonly RunListing[], statePath: string): string {
  if (runs.length === 0) return `No runs in the journal of ${statePath}.`;
  const rows = runs.map((run) => [
    run.runId,
    run.workflowId,
    run.status,
    formatTime(run.startedAt),
    formatUsd(run.costMicroUsd),
    `${run.tasksDone}/${run.tasksTotal}`,
    String(run.resumes),
  ]);
  const table = formatTable(
    ['RUN', 'WORKFLOW', 'STATUS', 'STARTED (UTC)', 'COST', 'TASKS', 'RESUMES'],
    rows,
    [false, false, false, false, true, true, true],
  );
  const resumable = runs.filter((run) => run.status === 'crashed' || run.status === 'interrupted');
  const tip = resumable[0] === undefined ? '' : `\nresume one with: tierflow resume ${resumable[0].runId}`;
  return `${table}${tip}`;
}

/** The view of `tierflow show <runId>`: the run, then one line per task and its output. */
export function formatRunDetail(run: RunDetail): string {
  const head = [
    `run ${run.runId}  workflow ${run.workflowId}${run.workflowPath === null ? '' : ` (${run.workflowPath})`}`,
    `status ${run.status}  tasks ${run.tasksDone}/${run.tasksTotal}  cost ${formatUsd(run.costMicroUsd)}  resumes ${run.resumes}`,
    `started ${formatTime(run.startedAt)}  ended ${formatTime(run.endedAt)} (UTC)${run.sessionId === null ? '' : `  session ${run.sessionId}`}`,
  ];
  const rows = run.tasks.map((task) => [
    task.taskId,
    task.status,
    attemptsText(task),
    lastModel(task),
    formatUsd(task.costMicroUsd),
    durationText(task),
  ]);
  const table = formatTable(['TASK', 'STATUS', 'ATTEMPTS', 'MODEL', 'COST', 'TIME'], rows, [
    false,
    false,
    false,
    false,
    true,
    true,
  ]);
  const outputs = run.tasks
    .filter((task) => task.output !== null || task.reason !== null)
    .map((task) =>
      task.output === null ? `  ${task.taskId}: ${task.reason}` : `  ${task.taskId}: ${preview(task.output)}`,
    );
  return [...head, '', table, ...(outputs.length > 0 ? ['', 'outputs:', ...outputs] : [])].join('\n');
}

function attemptsText(task: TaskDetail): string {
  if (task.attempts.length === 0) return '-';
  return task.attempts
    .map((attempt) =>
      attempt.status === 'succeeded' ? String(attempt.attempt) : `${attempt.attempt}:${attempt.status}`,
    )
    .join(' ');
}

function lastModel(task: TaskDetail): string {
  const attempt = [...task.attempts].reverse().find((entry) => entry.model !== null);
  return attempt?.model ?? '-';
}

function durationText(task: TaskDetail): string {
  const first = task.attempts[0];
  const last = task.attempts.at(-1);
  if (first === undefined || last?.endedAt == null) return '-';
  return `${Math.max(0, last.endedAt - first.startedAt)} ms`;
}

function preview(output: Json): string {
  const text = typeof output === 'string' ? output : JSON.stringify(output);
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > 100 ? `${line.slice(0, 97)}...` : line;
}
