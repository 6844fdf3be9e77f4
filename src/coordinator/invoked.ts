// AGENT_INVOKED: the request a router answers, with what it needs to choose (and plan) a model.
import type { EventPayload } from '../events/events.ts';
import type { Validator } from '../workflow/model.ts';
import type { RunContext, Unit } from './state.ts';

const maxTextChars = 8000;

/** Emits the AGENT_INVOKED of an attempt of a unit. */
export function emitInvoked(context: RunContext, unit: Unit, attempt: number): void {
  const { definition, fallbackModel } = unit.record;
  const text = unit.prompt ?? definition.description ?? definition.id;
  context.bus.emit('AGENT_INVOKED', {
    runId: context.runId,
    taskId: unit.id,
    attempt,
    workflowId: context.workflow.id,
    agent: definition.agent,
    phase: definition.phase,
    priority: unit.priority,
    text: text.length > maxTextChars ? text.slice(0, maxTextChars) : text,
    contextChars: contextChars(unit),
    hints: unit.record.hints,
    tier: definition.tier,
    requestedTier: unit.requestedTier,
    pinnedModel: definition.model,
    defaultModel: fallbackModel,
    excludeModels: unit.excludeModels as string[],
    sessionId: context.sessionId,
    deterministic: unit.record.deterministic,
    validator: invokedValidator(unit.validator),
    maxAttempts: unit.record.deterministic ? undefined : reachableAttempts(unit, attempt),
  });
}

/**
 * The attempts the task can really reach, this one included: `retries` + 1, less what counts against
 * the same budget beyond the attempt numbers (a resumed run's `priorAdjust`, the provider-level
 * retries of earlier attempts), and never fewer than this attempt. So `attempt === maxAttempts`
 * exactly when a failure of this attempt would not be retried (`willRetry` in attempt.ts), as far as
 * is known at invocation: this attempt's own provider retries, and the deadline, can end it sooner.
 */
function reachableAttempts(unit: Unit, attempt: number): number {
  const { retries } = unit.record.definition.retry;
  return Math.max(attempt, retries + 1 - unit.priorAdjust - unit.providerRetries);
}

/** What AGENT_INVOKED says of the validator: its kind, and for a consensus how many peers it asks. */
function invokedValidator(validator: Validator | undefined): EventPayload<'AGENT_INVOKED'>['validator'] {
  if (validator === undefined) return undefined;
  return validator.kind === 'consensus'
    ? { kind: 'consensus', peers: validator.peers }
    : { kind: validator.kind };
}

function contextChars(unit: Unit): number {
  const input = unit.input;
  const inputChars =
    input === undefined ? 0 : typeof input === 'string' ? input.length : JSON.stringify(input).length;
  return inputChars + (unit.prompt?.length ?? 0);
}
