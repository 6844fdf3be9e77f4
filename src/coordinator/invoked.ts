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
    maxAttempts: unit.record.deterministic ? undefined : definition.retry.retries + 1,
  });
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
