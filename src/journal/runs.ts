// Reading the journal: one run's record, the list of runs, one run's tasks and attempts.
import { OrchestratorError } from '../errors.ts';
import type { Json } from '../events/vocabulary.ts';
import type { StateDatabase } from '../store/index.ts';
import { holderAlive } from './lease.ts';
import {
  type AttemptRow,
  type JournalStatements,
  type LeaseRow,
  prepareJournalStatements,
  type RunRow,
  type TaskRow,
} from './statements.ts';

/** How a run stands: `crashed` is a run still marked running whose coordinator is gone. */
export type JournalRunStatus = 'running' | 'crashed' | 'succeeded' | 'failed' | 'interrupted';
export const journalRunStatuses: readonly JournalRunStatus[] = [
  'running',
  'crashed',
  'succeeded',
  'failed',
  'interrupted',
];

/** What the journal holds of a run: enough to run it again. */
export type RunRecord = {
  runId: string;
  workflowId: string;
  workflowPath: string | undefined;
  workflowHash: string;
  taskHashes: Record<string, string>;
  taskCount: number;
  input: Record<string, Json>;
  seed: number | undefined;
  sessionId: string | undefined;
  meta: Record<string, Json>;
  status: RunRow['status'];
  resumes: number;
  createdAt: number;
  updatedAt: number;
  endedAt: number | undefined;
};

/** @throws OrchestratorError RUN_NOT_FOUND */
export function readRunRecord(sql: JournalStatements, runId: string, statePath: string): RunRecord {
  const row = sql.findRun.get(runId) as RunRow | undefined;
  if (row === undefined) throw runNotFound(runId, statePath);
  return recordOf(row);
}

function recordOf(row: RunRow): RunRecord {
  return {
    runId: row.run_id,
    workflowId: row.workflow_id,
    workflowPath: row.workflow_path ?? undefined,
    workflowHash: row.workflow_hash,
    taskHashes: JSON.parse(row.task_hashes) as Record<string, string>,
    taskCount: row.task_count,
    input: JSON.parse(row.input) as Record<string, Json>,
    seed: row.seed ?? undefined,
    sessionId: row.session_id ?? undefined,
    meta: JSON.parse(row.options) as Record<string, Json>,
    status: row.status,
    resumes: row.resumes,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    endedAt: row.ended_at ?? undefined,
  };
}

export function runNotFound(runId: string, statePath: string): OrchestratorError {
  return new OrchestratorError('RUN_NOT_FOUND', `No run "${runId}" in the journal of ${statePath}.`, {
    hint: 'List the runs with `tierflow runs`, or point --state at the database the run used.',
  });
}

/** One line of `tierflow runs`. */
export type RunListing = {
  runId: string;
  workflowId: string;
  status: JournalRunStatus;
  startedAt: number;
  endedAt: number | null;
  costMicroUsd: number;
  tasksDone: number;
  tasksTotal: number;
  resumes: number;
};

/** The runs of the journal, newest first. */
export function listRuns(
  db: StateDatabase,
  options: { status?: readonly JournalRunStatus[]; limit?: number; now?: number } = {},
): RunListing[] {
  const now = options.now ?? Date.now();
  const rows = db
    .prepare(
      `SELECT r.*, l.owner, l.token, l.expires_at,
         (SELECT COALESCE(SUM(cost_micro_usd), 0) FROM ledger g WHERE g.run_id = r.run_id) AS cost,
         (SELECT COUNT(*) FROM journal_tasks t WHERE t.run_id = r.run_id AND t.status IN ('succeeded', 'skipped')
            AND instr(t.task_id, '[') = 0) AS done
       FROM journal_runs r LEFT JOIN journal_leases l ON l.run_id = r.run_id
       ORDER BY r.created_at DESC, r.run_id`,
    )
    .all() as (RunRow & Partial<LeaseRow> & { cost: number; done: number })[];
  const listings = rows.map((row) => ({
    runId: row.run_id,
    workflowId: row.workflow_id,
    status: statusOf(row, now),
    startedAt: row.created_at,
    endedAt: row.ended_at,
    costMicroUsd: row.cost,
    tasksDone: row.done,
    tasksTotal: row.task_count,
    resumes: row.resumes,
  }));
  const wanted = options.status;
  const filtered = wanted === undefined ? listings : listings.filter((run) => wanted.includes(run.status));
  return options.limit === undefined ? filtered : filtered.slice(0, options.limit);
}

function statusOf(row: RunRow & Partial<LeaseRow>, now: number): JournalRunStatus {
  if (row.status !== 'running') return row.status;
  if (row.owner === undefined || row.token === undefined || row.expires_at === undefined) return 'crashed';
  return holderAlive({ owner: row.owner, token: row.token, expires_at: row.expires_at }, now)
    ? 'running'
    : 'crashed';
}

/** One attempt in `tierflow show`. */
export type AttemptDetail = {
  attempt: number;
  /** `cancelled`: cut off by an interrupt; `lost`: cut off by a crash (booked at its reservation). */
  status: 'running' | 'succeeded' | 'failed' | 'cancelled' | 'lost';
  model: string | null;
  tier: number | null;
  costMicroUsd: number | null;
  costEstimated: boolean;
  inputTokens: number | null;
  outputTokens: number | null;
  latencyMs: number | null;
  startedAt: number;
  endedAt: number | null;
  error: { code: string; message: string } | null;
};

/** One task in `tierflow show`. */
export type TaskDetail = {
  taskId: string;
  status: TaskRow['status'] | 'running' | 'pending';
  output: Json | null;
  reason: string | null;
  costMicroUsd: number;
  attempts: AttemptDetail[];
};

/** `tierflow show <runId>`: the run and its tasks in workflow order, then foreach items. */
export type RunDetail = RunListing & {
  workflowPath: string | null;
  sessionId: string | null;
  tasks: TaskDetail[];
};

/** @throws OrchestratorError RUN_NOT_FOUND */
export function showRun(db: StateDatabase, runId: string, now = Date.now()): RunDetail {
  const sql = prepareJournalStatements(db);
  const record = readRunRecord(sql, runId, db.path);
  const listing = listRuns(db, { now }).find((run) => run.runId === runId) as RunListing;
  const ends = new Map((sql.tasksOf.all(runId) as TaskRow[]).map((row) => [row.task_id, row]));
  const attempts = new Map<string, AttemptDetail[]>();
  for (const row of sql.attemptsOf.all(runId) as AttemptRow[]) {
    const list = attempts.get(row.task_id) ?? [];
    list.push(attemptDetail(row));
    attempts.set(row.task_id, list);
  }
  const ids = [...Object.keys(record.taskHashes)];
  for (const id of [...ends.keys(), ...attempts.keys()]) if (!ids.includes(id)) ids.push(id);
  const tasks = ids.map((taskId): TaskDetail => {
    const end = ends.get(taskId);
    const tried = attempts.get(taskId) ?? [];
    const running = tried.some((attempt) => attempt.status === 'running');
    return {
      taskId,
      status: end?.status ?? (running ? 'running' : 'pending'),
      output: end?.output == null ? null : (JSON.parse(end.output) as Json),
      reason: end?.reason ?? null,
      costMicroUsd: tried.reduce((sum, attempt) => sum + (attempt.costMicroUsd ?? 0), 0),
      attempts: tried,
    };
  });
  return {
    ...listing,
    workflowPath: record.workflowPath ?? null,
    sessionId: record.sessionId ?? null,
    tasks,
  };
}

function attemptDetail(row: AttemptRow): AttemptDetail {
  const error = row.error === null ? null : (JSON.parse(row.error) as { code: string; message: string });
  return {
    attempt: row.attempt,
    status:
      row.status === 'failed' && error?.code === 'TASK_CANCELLED' ? 'cancelled' : (row.status ?? 'running'),
    model: row.model_id,
    tier: row.tier,
    costMicroUsd: row.cost_micro_usd,
    costEstimated: row.cost_estimated === 1,
    inputTokens: row.input_tokens,
    outputTokens: row.output_tokens,
    latencyMs: row.latency_ms,
    startedAt: row.started_at,
    endedAt: row.ended_at,
    error: error === null ? null : { code: error.code, message: error.message },
  };
}
