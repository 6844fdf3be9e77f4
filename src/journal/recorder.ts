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
  const { db, sql, runs, crash } = deps;

  // One write transaction that commits only while this coordinator still holds the run's lease.
  const write = (run: ActiveRun, work: () => void) => {
    if (run.lost) return;
    try {
      db.transaction(() => {
        const lease = sql.findLease.get(run.runId) as LeaseRow | undefined;
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
  };

  const commitFinished = (
    run: ActiveRun,
    event: EventPayload<'AGENT_COMPLETED'> | EventPayload<'AGENT_FAILED'>,
    end: { status: 'succeeded'; output: unknown } | { status: 'failed'; error: unknown },
  ) => {
    const info = run.attempts.get(keyOf(event.taskId, event.attempt));
    const booked = bookFinished(
      deps.ledger,
      event,
      end.status === 'succeeded' ? 'completed' : 'failed',
      info,
      deps.baselineOf,
    );
    crash('mid-settle');
    const { model, usage } = event;
    const inserted = sql.insertCompletion.run(
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
  };

  const taskEnd = (
    run: ActiveRun,
    event: { taskId: string },
    status: 'succeeded' | 'failed' | 'skipped' | 'cancelled',
    attempts: number,
    output: unknown,
    reason: string | null,
  ) => {
    const result = sql.upsertTask.run(
      run.runId,
      event.taskId,
      status,
      attempts,
      json(output),
      reason,
      deps.now(),
    );
    if (status === 'succeeded' && Number(result.changes) !== 1 && run.taskIds.has(event.taskId)) {
      throw duplicateCompletion(run.runId, event.taskId, attempts);
    }
  };

  const handle = <T extends EventType>(type: T, payload: EventPayload<T>) => {
    const runId = (payload as { runId?: string }).runId;
    const run = runId === undefined ? undefined : runs.get(runId);
    if (run === undefined) return;
    switch (type) {
      case 'AGENT_INVOKED': {
        const event = payload as EventPayload<'AGENT_INVOKED'>;
        run.attempts.set(keyOf(event.taskId, event.attempt), {
          sessionId: event.sessionId,
          workflowId: event.workflowId,
          category: undefined,
          reserved: false,
        });
        write(run, () => {
          sql.insertAttempt.run(run.runId, event.taskId, event.attempt, event.agent, run.token, deps.now());
        });
        return;
      }
      case 'MODEL_SELECTED': {
        const event = payload as EventPayload<'MODEL_SELECTED'>;
        const info = run.attempts.get(keyOf(event.taskId, event.attempt));
        if (info !== undefined) info.category = event.category;
        return;
      }
      case 'ADMISSION_DECIDED': {
        const event = payload as EventPayload<'ADMISSION_DECIDED'>;
        const info = run.attempts.get(keyOf(event.taskId, event.attempt));
        if (event.decision === 'allowed') {
          if (info !== undefined) info.reserved = true;
          crash('before-call');
        }
        return;
      }
      case 'AGENT_COMPLETED': {
        const event = payload as EventPayload<'AGENT_COMPLETED'>;
        crash('after-call');
        run.completed.set(event.taskId, event);
        return;
      }
      case 'AGENT_FAILED': {
        const event = payload as EventPayload<'AGENT_FAILED'>;
        crash('after-call');
        write(run, () => commitFinished(run, event, { status: 'failed', error: event.error }));
        crash('after-commit');
        return;
      }
      case 'TASK_SUCCEEDED': {
        const event = payload as EventPayload<'TASK_SUCCEEDED'>;
        const completed = run.completed.get(event.taskId);
        run.completed.delete(event.taskId);
        write(run, () => {
          if (completed !== undefined)
            commitFinished(run, completed, { status: 'succeeded', output: event.output });
          taskEnd(run, event, 'succeeded', event.attempts, event.output, null);
        });
        if (completed !== undefined) crash('after-commit');
        return;
      }
      case 'TASK_FAILED': {
        const event = payload as EventPayload<'TASK_FAILED'>;
        write(run, () => taskEnd(run, event, 'failed', event.attempts, undefined, event.error.message));
        return;
      }
      case 'TASK_SKIPPED': {
        const event = payload as EventPayload<'TASK_SKIPPED'>;
        write(run, () => taskEnd(run, event, 'skipped', 0, undefined, event.reason));
        return;
      }
      case 'TASK_CANCELLED': {
        const event = payload as EventPayload<'TASK_CANCELLED'>;
        write(run, () => taskEnd(run, event, 'cancelled', 0, undefined, event.reason));
        return;
      }
      case 'WORKFLOW_COMPLETED':
      case 'WORKFLOW_FAILED':
      case 'WORKFLOW_CANCELLED': {
        const status =
          type === 'WORKFLOW_COMPLETED' ? 'succeeded' : type === 'WORKFLOW_FAILED' ? 'failed' : 'interrupted';
        runs.delete(run.runId);
        run.stop();
        write(run, () => {
          const now = deps.now();
          sql.endRun.run(status, now, now, run.runId);
          sql.releaseLease.run(run.runId, run.token);
        });
        return;
      }
      default:
        return;
    }
  };
  return bus.onAny(handle, { name: 'run-journal' });
}
