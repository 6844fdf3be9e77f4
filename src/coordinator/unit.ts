import { OrchestratorError, type SerializedError } from '../errors.ts';
import { type AttemptEnd, runAttempt } from './attempt.ts';
import { backoffMs } from './retry.ts';
import type { RunContext, TaskEnd, Unit } from './state.ts';

/**
 * Runs a unit's attempt chain: retries per the task's policy with backoff on the injected clock,
 * at the tier the tier-upgrade answer asks for. An exhausted upgrade chain (no stronger tier)
 * still retries at the same tier while attempts remain, with the tried models excluded.
 */
export async function runUnit(context: RunContext, unit: Unit): Promise<TaskEnd> {
  for (;;) {
    if (context.cancelled !== undefined) return cancelledEnd(context.cancelled);
    const end = await runAttempt(context, unit);
    if (end.ok) return { status: 'succeeded', output: end.output };
    if (end.cancelled && context.cancelled !== undefined) return cancelledEnd(context.cancelled);
    if (end.model !== undefined && !unit.excludeModels.includes(end.model.id))
      unit.excludeModels.push(end.model.id);
    if (!end.willRetry) return { status: 'failed', error: finalError(unit, end) };
    const upgrade = end.upgrade === undefined ? undefined : await end.upgrade;
    if (upgrade?.toTier !== undefined) unit.requestedTier = upgrade.toTier;
    const delayMs = backoffMs(unit.record.definition.retry, unit.attempts + 1);
    if (delayMs > 0) {
      try {
        await context.clock.sleep(delayMs, context.signal);
      } catch {
        if (context.cancelled !== undefined) return cancelledEnd(context.cancelled);
      }
    }
  }
}

function cancelledEnd(reason: OrchestratorError): TaskEnd {
  return { status: 'cancelled', reason: reason.message };
}

/** The error a task fails with: the last one, or why no further attempt was made. */
function finalError(unit: Unit, end: Extract<AttemptEnd, { ok: false }>): SerializedError {
  if (!end.retryable) return end.error;
  const { retry, deadlineMs } = unit.record.definition;
  const last = `last error ${end.error.code}: ${end.error.message}`;
  if (unit.attempts <= retry.retries && deadlineMs !== undefined) {
    return new OrchestratorError(
      'TASK_DEADLINE',
      `Task "${unit.id}" has no time left for attempt ${unit.attempts + 1} before its deadline of ${deadlineMs} ms; ${last}`,
      { hint: 'Raise `deadline` on the task, or shorten its retry backoff.' },
    ).toJSON();
  }
  const budget =
    retry.retries === 0
      ? 'its only attempt (retries: 0)'
      : `all ${retry.retries + 1} attempts (retries: ${retry.retries})`;
  return new OrchestratorError('ATTEMPTS_EXHAUSTED', `Task "${unit.id}" failed on ${budget}; ${last}`, {
    hint: 'Raise `retries` on the task, or fix the cause of the last error.',
  }).toJSON();
}
