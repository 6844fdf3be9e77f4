import { OrchestratorError } from '../errors.ts';
import type { AttemptControl } from './attempt-control.ts';
import type { RunContext, Unit } from './state.ts';

/** The one timer of an attempt: the task's deadline while it waits for decisions, then its timeout. */
export type AttemptLimit = {
  /** Arms the deadline (if any) at the start of the attempt. */
  armDeadline: () => void;
  /** Re-arms for the handler: the per-attempt timeout or what is left of the deadline, the sooner. */
  armHandler: () => void;
  disarm: () => void;
};

export function createAttemptLimit(
  context: RunContext,
  unit: Unit,
  attempt: number,
  control: AttemptControl,
): AttemptLimit {
  const { definition } = unit.record;
  let stop: AbortController | undefined;

  const arm = (limitMs: number, kind: 'timeout' | 'deadline') => {
    stop?.abort();
    const own = new AbortController();
    stop = own;
    context.clock.sleep(Math.max(0, limitMs), own.signal).then(
      () => {
        if (own.signal.aborted || control.aborted) return;
        const limit =
          kind === 'timeout' ? (definition.timeoutMs ?? limitMs) : (definition.deadlineMs ?? limitMs);
        context.bus.emit('TASK_TIMED_OUT', {
          runId: context.runId,
          taskId: unit.id,
          attempt,
          limitMs: limit,
          kind,
        });
        control.abort(
          kind === 'timeout' ? timeoutError(unit.id, attempt, limit) : deadlineError(unit.id, attempt, limit),
        );
      },
      () => undefined,
    );
  };

  const remaining = () => (unit.deadlineAt === undefined ? undefined : unit.deadlineAt - context.clock.now());

  return {
    armDeadline: () => {
      const left = remaining();
      if (left !== undefined) arm(left, 'deadline');
    },
    armHandler: () => {
      const left = remaining();
      const timeout = definition.timeoutMs;
      if (timeout !== undefined && (left === undefined || timeout <= left)) arm(timeout, 'timeout');
      else if (left !== undefined) arm(left, 'deadline');
    },
    disarm: () => {
      stop?.abort();
      stop = undefined;
    },
  };
}

function timeoutError(taskId: string, attempt: number, limitMs: number): OrchestratorError {
  return new OrchestratorError(
    'TASK_TIMEOUT',
    `Task "${taskId}" attempt ${attempt} timed out after ${limitMs} ms.`,
    {
      hint: 'Raise `timeout` on the task, or make the agent finish sooner.',
    },
  );
}

/** The error of a task whose deadline (over all its attempts) has passed. */
export function deadlineError(taskId: string, attempt: number, limitMs: number): OrchestratorError {
  return new OrchestratorError(
    'TASK_DEADLINE',
    `Task "${taskId}" passed its deadline of ${limitMs} ms (over all attempts) during attempt ${attempt}.`,
    { hint: 'Raise `deadline` on the task, or lower its retries or timeout.' },
  );
}
