import { OrchestratorError } from '../errors.ts';
import type { Attempt } from './attempt-state.ts';

/** Arms the deadline of the task (if any) for the start of an attempt, while it waits for decisions. */
export function armDeadline(attempt: Attempt): void {
  const left = remaining(attempt);
  if (left !== undefined) arm(attempt, left, 'deadline');
}

/** Re-arms for the handler: the per-attempt timeout or what is left of the deadline, the sooner. */
export function armHandler(attempt: Attempt): void {
  const left = remaining(attempt);
  const timeout = attempt.unit.record.definition.timeoutMs;
  if (timeout !== undefined && (left === undefined || timeout <= left)) arm(attempt, timeout, 'timeout');
  else if (left !== undefined) arm(attempt, left, 'deadline');
}

export function disarm(attempt: Attempt): void {
  attempt.timer?.abort();
  attempt.timer = undefined;
}

function remaining(attempt: Attempt): number | undefined {
  const { deadlineAt } = attempt.unit;
  return deadlineAt === undefined ? undefined : deadlineAt - attempt.context.clock.now();
}

function arm(attempt: Attempt, limitMs: number, kind: 'timeout' | 'deadline'): void {
  disarm(attempt);
  const own = new AbortController();
  attempt.timer = own;
  const { context, unit, number } = attempt;
  const { definition } = unit.record;
  context.clock.sleep(Math.max(0, limitMs), own.signal).then(
    () => {
      if (own.signal.aborted || attempt.aborted) return;
      const limit =
        kind === 'timeout' ? (definition.timeoutMs ?? limitMs) : (definition.deadlineMs ?? limitMs);
      context.bus.emit('TASK_TIMED_OUT', {
        runId: context.runId,
        taskId: unit.id,
        attempt: number,
        limitMs: limit,
        kind,
      });
      attempt.abort(
        kind === 'timeout' ? timeoutError(unit.id, number, limit) : deadlineError(unit.id, number, limit),
      );
    },
    () => undefined,
  );
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

function deadlineError(taskId: string, attempt: number, limitMs: number): OrchestratorError {
  return new OrchestratorError(
    'TASK_DEADLINE',
    `Task "${taskId}" passed its deadline of ${limitMs} ms (over all attempts) during attempt ${attempt}.`,
    { hint: 'Raise `deadline` on the task, or lower its retries or timeout.' },
  );
}
