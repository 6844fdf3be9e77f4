// Runs a task's validator on a successful attempt's output, inside the attempt: under its signal, its
// timeout and deadline, before AGENT_COMPLETED. A failed check fails the attempt with VALIDATION_FAILED.
// Commands and predicates go through the validator registry; a consensus asks models (consensus.ts).
import { quoteValidatorCommand } from '../agents/command-validator.ts';
import type { AgentResult } from '../agents/types.ts';
import { assertNever, OrchestratorError } from '../errors.ts';
import type { Json } from '../events/vocabulary.ts';
import type { CommandValidator, PredicateValidator, Validator } from '../workflow/model.ts';
import type { Attempt } from './attempt-state.ts';
import { checkConsensus } from './consensus.ts';
import type { AttemptOutcome } from './executor.ts';
import { checkResult } from './result-check.ts';

/**
 * The outcome of an attempt once its output is validated: a pass keeps the output with the
 * validator's quality (else the handler's, else 1; a consensus gives the handler's only: agreeing is
 * not verifying); a fail becomes VALIDATION_FAILED (retryable).
 * The handler's usage is booked on the attempt first, so a failed check still counts what it cost.
 * An abort of the attempt ends the wait at once, like the handler's.
 */
export function validateOutcome(
  attempt: Attempt,
  outcome: AttemptOutcome,
): Promise<AttemptOutcome> | AttemptOutcome {
  const { unit } = attempt;
  const validator = unit.validator;
  if (validator === undefined || !outcome.ok || attempt.aborted) return outcome;
  // An invalid result is reported by the attempt as AGENT_OUTPUT_INVALID, unvalidated.
  if (checkResult(outcome.result, unit.id, unit.record.definition.agent) !== undefined) return outcome;
  const result = outcome.result as AgentResult;
  if (result.usage !== undefined) attempt.spend(attempt.selection.model, result.usage);
  return new Promise((resolve) => {
    attempt.settle = resolve;
    const limit = armLimit(attempt, validator);
    // A validator registry given in code may throw instead of rejecting: both fail the attempt.
    Promise.resolve()
      .then(() => check(attempt, validator, result.output, limit?.signal))
      .then(
        (checked): AttemptOutcome =>
          checked.ok
            ? {
                ok: true,
                result: { output: result.output, quality: passQuality(validator, checked, result) },
              }
            : { ok: false, error: validationFailed(attempt, checked.why) },
        (error: unknown): AttemptOutcome =>
          limit?.timedOut === true
            ? { ok: false, error: validationFailed(attempt, limit.reason) }
            : { ok: false, error },
      )
      .then((end) => {
        limit?.stop.abort();
        resolve(end);
      });
  });
}

/** A checked output: a pass with the validator's quality, or a fail with why, for the message. */
type Checked = { ok: true; quality: number | undefined } | { ok: false; why: string };

function passQuality(
  validator: Validator,
  checked: { quality: number | undefined },
  result: AgentResult,
): number | undefined {
  if (validator.kind === 'consensus') return result.quality;
  return checked.quality ?? result.quality ?? 1;
}

async function check(
  attempt: Attempt,
  validator: Validator,
  output: Json,
  limit: AbortSignal | undefined,
): Promise<Checked> {
  if (validator.kind === 'consensus') {
    // A consensus always says why it failed.
    const verdict = await checkConsensus(attempt, validator, output);
    return verdict.ok ? { ok: true, quality: undefined } : { ok: false, why: `consensus: ${verdict.reason}` };
  }
  const { context, unit } = attempt;
  const signal = limit === undefined ? attempt.signal : AbortSignal.any([attempt.signal, limit]);
  const validation = await context.validators.check(validator, output, {
    runId: context.runId,
    workflowId: context.workflow.id,
    taskId: unit.id,
    attempt: attempt.number,
    input: unit.input,
    prompt: unit.prompt,
    item: unit.item,
    model: attempt.selection.model,
    signal,
    log: attempt.log,
  });
  return validation.ok
    ? { ok: true, quality: validation.quality }
    : { ok: false, why: failureOf(validator, validation.reason) };
}

type Limit = { signal: AbortSignal; stop: AbortController; timedOut: boolean; reason: string };

/** The command's own `timeout`, on the coordinator's clock. */
function armLimit(attempt: Attempt, validator: Validator): Limit | undefined {
  if (validator.kind !== 'command' || validator.timeoutMs === undefined) return undefined;
  const own = new AbortController();
  const limit: Limit = {
    signal: own.signal,
    stop: new AbortController(),
    timedOut: false,
    reason: `command ${quoteValidatorCommand(validator.command)} did not finish within its timeout of ${validator.timeoutMs} ms`,
  };
  attempt.context.clock.sleep(validator.timeoutMs, limit.stop.signal).then(
    () => {
      limit.timedOut = true;
      own.abort(new Error(limit.reason));
    },
    () => undefined,
  );
  return limit;
}

/** VALIDATION_FAILED for the attempt; `why` is the validator's own failure (failureOf for a registry check). */
function validationFailed(attempt: Attempt, why: string): OrchestratorError {
  const { unit, number, selection } = attempt;
  const on = selection.model === undefined ? '' : `, model ${selection.model.id}`;
  return new OrchestratorError(
    'VALIDATION_FAILED',
    `Task "${unit.id}" failed validation (attempt ${number}${on}): ${why}`,
    {
      hint: 'A retry runs on a stronger tier while `retries` allow; raise `retries` on the task to climb further.',
    },
  );
}

/** Why a command or a predicate failed, from the reason the registry gave, if any. */
function failureOf(validator: CommandValidator | PredicateValidator, reason: string | undefined): string {
  switch (validator.kind) {
    case 'command':
      return reason ?? `command ${quoteValidatorCommand(validator.command)} failed`;
    case 'predicate':
      return `predicate "${validator.predicate}" ${reason === undefined ? 'returned false' : `failed: ${reason}`}`;
    default:
      return assertNever(validator);
  }
}
