// The journal as a bus subscriber: every state change of a run it owns becomes a row, each in one
// write transaction that first checks the run's fencing token.
import type { Ledger } from '../cost/ledger.ts';
import type { EventBus } from '../events/bus.ts';
import type { EventPayload, EventType } from '../events/events.ts';
import type { StateDatabase } from '../store/index.ts';
import type { CrashHook } from './crash-hook.ts';
import { leaseLost } from './lease.ts';
import { type AttemptInfo, type BaselineOf, bookFinished, duplicateCompletion } from './settle.ts';
import type { JournalStatements, LeaseRow } from './statements.ts';

/** What the journal holds in memory for a run this process coordinates. */
export type ActiveRun = {
  runId: string;
  token: number;
  /** Ids of the workflow's tasks (not foreach items): a succeeded task commits once. */
  taskIds: ReadonlySet<string>;
  attempts: Map<string, AttemptInfo>;
  /** AGENT_COMPLETED waiting for its TASK_SUCCEEDED (which carries the output), by task id. */
  completed: Map<string, EventPayload<'AGENT_COMPLETED'>>;
  /** Called once when a write finds the lease taken by another coordinator. */
  onLeaseLost: (error: Error) => void;
  lost: boolean;
  /** Stops the lease renewal; set by the journal. */
  stop: () => void;
};

export type RecorderDependencies = {
  db: StateDatabase;
  sql: JournalStatements;
  ledger: Pick<Ledger, 'settle'> | undefined;
  baselineOf: BaselineOf | undefined;
  now: () => number;
  crash: CrashHook;
  runs: Map<string, ActiveRun>;
};

const keyOf = (taskId: string, attempt: number) => `${taskId}\u0000${attempt}`;
const json = (value: unknown) => (value === undefined ? null : JSON.stringify(value));

/** Subscribes the recorder first in line (`onAny`): it commits before any other subscriber sees an event. */
export function subscribeRecorder(bus: EventBus, deps: RecorderDependencies) {
  const handle = <T extends EventType>(type: T, payload: EventPayload<T>) => {
    const runId = (payload as { runId?: string }).runId;
    const run = runId === undefined ? undefined : deps.runs.get(runId);
    if (run !== undefined) recordEvent(deps, run, type, payload);
  };
  return bus.onAny(handle, { name: 'run-journal' });
}

/** Records one event of a run this process coordinates. */
function recordEvent<T extends EventType>(
  deps: RecorderDependencies,
  run: ActiveRun,
  type: T,
  payload: EventPayload<T>,
) {
  switch (type) {
    case 'AGENT_INVOKED':
      return attemptInvoked(deps, run, payload as EventPayload<'AGENT_INVOKED'>);
    case 'MODEL_SELECTED':
      return modelSelected(run, payload as EventPayload<'MODEL_SELECTED'>);
    case 'ADMISSION_DECIDED':
      return admissionDecided(deps, run, payload as EventPayload<'ADMISSION_DECIDED'>);
    case 'AGENT_COMPLETED':
      return attemptCompleted(deps, run, payload as EventPayload<'AGENT_COMPLETED'>);
    case 'AGENT_FAILED':
      return attemptFailed(deps, run, payload as EventPayload<'AGENT_FAILED'>);
    case 'TASK_SUCCEEDED':
      return taskSucceeded(deps, run, payload as EventPayload<'TASK_SUCCEEDED'>);
    case 'TASK_FAILED': {
      const event = payload as EventPayload<'TASK_FAILED'>;
      return write(deps, run, () =>
        taskEnd(deps, run, event.taskId, 'failed', event.attempts, undefined, event.error.message),
      );
    }
    case 'TASK_SKIPPED': {
      const event = payload as EventPayload<'TASK_SKIPPED'>;
      return write(deps, run, () => taskEnd(deps, run, event.taskId, 'skipped', 0, undefined, event.reason));
    }
    case 'TASK_CANCELLED': {
      const event = payload as EventPayload<'TASK_CANCELLED'>;
      return write(deps, run, () =>
        taskEnd(deps, run, event.taskId, 'cancelled', 0, undefined, event.reason),
      );
    }
    case 'WORKFLOW_COMPLETED':
      return runEnded(deps, run, 'succeeded');
    case 'WORKFLOW_FAILED':
      return runEnded(deps, run, 'failed');
    case 'WORKFLOW_CANCELLED':
      return runEnded(deps, run, 'interrupted');
    default:
      return;
  }
}

/** One write transaction that commits only while this coordinator still holds the run's lease. */
function write(deps: RecorderDependencies, run: ActiveRun, work: () => void): void {
  if (run.lost) return;
  try {
    deps.db.transaction(() => {
      const lease = deps.sql.findLease.get(run.runId) as LeaseRow | undefined;
      if (lease?.token !== run.token) throw leaseLost(run.runId, run.token);
      work();
    });
  } catch (error) {
    if ((error as { code?: string }).code === 'RUN_LEASE_HELD' && !run.lost) {
      run.lost = true;
      run.stop();
      run.onLeaseLost(error as Error);
    }
    throw error;
  }
}

/** An attempt started: remembered until it finishes, and journalled as running. */
function attemptInvoked(
  deps: RecorderDependencies,
  run: ActiveRun,
  event: EventPayload<'AGENT_INVOKED'>,
): void {
  run.attempts.set(keyOf(event.taskId, event.attempt), {
    sessionId: event.sessionId,
    workflowId: event.workflowId,
    category: undefined,
    reserved: false,
  });
  write(deps, run, () => {
    deps.sql.insertAttempt.run(run.runId, event.taskId, event.attempt, event.agent, run.token, deps.now());
  });
}

function modelSelected(run: ActiveRun, event: EventPayload<'MODEL_SELECTED'>): void {
  const info = run.attempts.get(keyOf(event.taskId, event.attempt));
  if (info !== undefined) info.category = event.category;
}

/** An allowed attempt holds a reservation in the ledger, which a crash books if nothing else does. */
function admissionDecided(
  deps: RecorderDependencies,
  run: ActiveRun,
  event: EventPayload<'ADMISSION_DECIDED'>,
): void {
  const info = run.attempts.get(keyOf(event.taskId, event.attempt));
  if (event.decision === 'allowed') {
    if (info !== undefined) info.reserved = true;
    deps.crash('before-call');
  }
}

/** A completed attempt is committed with its task's output, when TASK_SUCCEEDED brings it. */
function attemptCompleted(
  deps: RecorderDependencies,
  run: ActiveRun,
  event: EventPayload<'AGENT_COMPLETED'>,
): void {
  deps.crash('after-call');
  run.completed.set(event.taskId, event);
}

function attemptFailed(
  deps: RecorderDependencies,
  run: ActiveRun,
  event: EventPayload<'AGENT_FAILED'>,
): void {
  deps.crash('after-call');
  write(deps, run, () => commitFinished(deps, run, event, { status: 'failed', error: event.error }));
  deps.crash('after-commit');
}

/** The task's last attempt, its output and the task's end commit together. */
function taskSucceeded(
  deps: RecorderDependencies,
  run: ActiveRun,
  event: EventPayload<'TASK_SUCCEEDED'>,
): void {
  const completed = run.completed.get(event.taskId);
  run.completed.delete(event.taskId);
  write(deps, run, () => {
    if (completed !== undefined)
      commitFinished(deps, run, completed, { status: 'succeeded', output: event.output });
    taskEnd(deps, run, event.taskId, 'succeeded', event.attempts, event.output, null);
  });
  if (completed !== undefined) deps.crash('after-commit');
}

/** Books a finished attempt in the ledger and journals its completion, once: a second one throws. */
function commitFinished(
  deps: RecorderDependencies,
  run: ActiveRun,
  event: EventPayload<'AGENT_COMPLETED'> | EventPayload<'AGENT_FAILED'>,
  end: { status: 'succeeded'; output: unknown } | { status: 'failed'; error: unknown },
): void {
  const info = run.attempts.get(keyOf(event.taskId, event.attempt));
  const booked = bookFinished(
    deps.ledger,
    event,
    end.status === 'succeeded' ? 'completed' : 'failed',
    info,
    deps.baselineOf,
  );
  deps.crash('mid-settle');
  const { model, usage } = event;
  const inserted = deps.sql.insertCompletion.run(
    event.runId,
    event.taskId,
    event.attempt,
    end.status,
    end.status === 'succeeded' ? json(end.output) : null,
    end.status === 'failed' ? json(end.error) : null,
    model?.id ?? null,
    model?.provider ?? null,
    model?.tier ?? null,
    usage.inputTokens ?? null,
    usage.outputTokens ?? null,
    booked.costMicroUsd,
    booked.estimated ? 1 : 0,
    event.latencyMs,
    deps.now(),
  );
  if (Number(inserted.changes) !== 1) throw duplicateCompletion(event.runId, event.taskId, event.attempt);
  run.attempts.delete(keyOf(event.taskId, event.attempt));
}

/** Journals how a task ended; a task of the workflow succeeds once (foreach items are not tasks). */
function taskEnd(
  deps: RecorderDependencies,
  run: ActiveRun,
  taskId: string,
  status: 'succeeded' | 'failed' | 'skipped' | 'cancelled',
  attempts: number,
  output: unknown,
  reason: string | null,
): void {
  const result = deps.sql.upsertTask.run(
    run.runId,
    taskId,
    status,
    attempts,
    json(output),
    reason,
    deps.now(),
  );
  if (status === 'succeeded' && Number(result.changes) !== 1 && run.taskIds.has(taskId)) {
    throw duplicateCompletion(run.runId, taskId, attempts);
  }
}

/** The run ended: it is no longer recorded here, and its lease is given up with its status. */
function runEnded(
  deps: RecorderDependencies,
  run: ActiveRun,
  status: 'succeeded' | 'failed' | 'interrupted',
): void {
  deps.runs.delete(run.runId);
  run.stop();
  write(deps, run, () => {
    const now = deps.now();
    deps.sql.endRun.run(status, now, now, run.runId);
    deps.sql.releaseLease.run(run.runId, run.token);
  });
}
