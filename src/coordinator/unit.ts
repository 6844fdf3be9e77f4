import { OrchestratorError, type SerializedError } from '../errors.ts';
import type { AttemptEnd } from './attempt.ts';
import { backoffMs } from './retry.ts';
import type { RunContext, TaskEnd, Unit } from './state.ts';

/** What one step of a unit came to: how it ended, or that it runs again after a backoff. */
export type UnitStep = TaskEnd | { status: 'retry'; delayMs: number };

/**
 * What follows an attempt of a unit (begun by beginAttempt, which starts with a check for a cancelled
 * run). On a failure that will be retried it waits for the tier-upgrade answer, if one is awaited,
 * and returns the backoff; the caller sleeps it outside the WIP slot and offers the unit again.
 * An exhausted upgrade chain (no stronger tier) still retries at the same tier while attempts
 * remain, with the models already tried excluded. Synchronous unless an upgrade is awaited.
 */
export function afterAttempt(context: RunContext, unit: Unit, end: AttemptEnd): UnitStep | Promise<UnitStep> {
  if (end.ok) return end;
  if (end.cancelled && context.cancelled !== undefined) return cancelledEnd(context.cancelled);
  excludeTried(unit, end);
  // A retryable failure while the run is being cancelled is not retried because of the cancellation:
  // the task ends cancelled, not "out of attempts".
  if (!end.willRetry && end.retryable && context.cancelled !== undefined)
    return cancelledEnd(context.cancelled);
  if (!end.willRetry) return { status: 'failed', error: finalError(unit, end) };
  if (end.upgrade === undefined) return retryStep(context, unit);
  return end.upgrade.then((upgrade) => {
    if (upgrade?.toTier !== undefined) unit.requestedTier = upgrade.toTier;
    return retryStep(context, unit);
  });
}

/** The attempt's model and the consensus peers it asked are not used again in this chain. */
function excludeTried(unit: Unit, end: Extract<AttemptEnd, { ok: false }>): void {
  const tried = end.model === undefined ? end.peers : [end.model.id, ...end.peers];
  const fresh = tried.filter((id, index) => !unit.excludeModels.includes(id) && tried.indexOf(id) === index);
  // A new list each time: the one sent in an earlier AGENT_INVOKED stays as it was.
  if (fresh.length > 0) unit.excludeModels = [...unit.excludeModels, ...fresh];
}

function retryStep(context: RunContext, unit: Unit): UnitStep {
  if (context.cancelled !== undefined) return cancelledEnd(context.cancelled);
  return { status: 'retry', delayMs: backoffMs(unit.record.definition.retry, unit.attempts + 1) };
}

/** The end of a unit when the run was cancelled. */
export function cancelledEnd(reason: OrchestratorError): TaskEnd {
  return { status: 'cancelled', reason: reason.message };
}

/** The error a task fails with: the last one, or why no further attempt was made. */
function finalError(unit: Unit, end: Extract<AttemptEnd, { ok: false }>): SerializedError {
  if (!end.retryable) return end.error;
  const { retry, deadlineMs } = unit.record.definition;
  const last = `last error ${end.error.code}: ${end.error.message}`;
  if (unit.attempts + unit.priorAdjust + unit.providerRetries <= retry.retries && deadlineMs !== undefined) {
    return new OrchestratorError(
      'TASK_DEADLINE',
      `Task "${unit.id}" has no time left for attempt ${unit.attempts + 1} before its deadline of ${deadlineMs} ms; ${last}`,
      { hint: 'Raise `deadline` on the task, or shorten its retry backoff.' },
    ).toJSON();
  }
  const allowed = retry.retries + 1;
  const budget =
    allowed === 1
      ? 'its only attempt (retries: 0)'
      : `its attempt budget of ${allowed} (retries: ${retry.retries})`;
  const used =
    unit.providerRetries === 0
      ? ''
      : ` after ${unit.attempts} attempt${unit.attempts === 1 ? '' : 's'} and ${unit.providerRetries} provider-level retr${unit.providerRetries === 1 ? 'y' : 'ies'}`;
  return new OrchestratorError('ATTEMPTS_EXHAUSTED', `Task "${unit.id}" used up ${budget}${used}; ${last}`, {
    hint: 'Raise `retries` on the task, or fix the cause of the last error.',
  }).toJSON();
}
