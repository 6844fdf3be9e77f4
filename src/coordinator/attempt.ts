import { maxAnswerChars } from '../agents/read-answer.ts';
import type { AgentResult } from '../agents/types.ts';
import type { SerializedError } from '../errors.ts';
import type { EventPayload } from '../events/events.ts';
import { attemptKeyOf } from '../events/reply.ts';
import type { Json, ModelRef } from '../events/vocabulary.ts';
import { Attempt, AttemptContext } from './attempt-state.ts';
import { admit, applySelection } from './decisions.ts';
import type { AttemptOutcome } from './executor.ts';
import { emitInvoked } from './invoked.ts';
import { armDeadline, armHandler, disarm } from './limits.ts';
import { checkResult } from './result-check.ts';
import { backoffMs, isRetryable, redactError, toEventError } from './retry.ts';
import type { RunContext, Unit } from './state.ts';
import { checkTaskBudget } from './task-budget.ts';
import { validateOutcome } from './validation.ts';

export type Upgrade = EventPayload<'MODEL_TIER_UPGRADE'> | undefined;

export type AttemptEnd =
  | { ok: true; status: 'succeeded'; output: Json }
  | {
      ok: false;
      error: SerializedError;
      retryable: boolean;
      willRetry: boolean;
      cancelled: boolean;
      model: ModelRef | undefined;
      /** Consensus peers asked in the attempt: a retry excludes them with `model`. */
      peers: readonly string[];
      /** The tier-upgrade answer, when one is awaited; never rejects. */
      upgrade: Promise<Upgrade> | undefined;
    };

/**
 * Starts one attempt of a unit: counts it, arms the deadline, emits AGENT_INVOKED (after asking for
 * the router's answer, when awaited). Returns the attempt, or how the unit ends when the run is
 * already cancelled. Then `attemptOutcome` runs it and `endAttempt` reports it: together they emit
 * exactly one AGENT_COMPLETED or AGENT_FAILED per AGENT_INVOKED, and never throw or reject.
 * Three steps rather than one async function: the hot path then costs one await, in the caller.
 */
export function beginAttempt(context: RunContext, unit: Unit): Attempt | AttemptEnd {
  const { record } = unit;
  if (context.cancelled !== undefined) return cancelledBeforeStart(context);
  const attempt = new Attempt(context, unit, ++unit.attempts, record.fallbackSelection);
  unit.current = attempt;
  const invokedAt = context.clock.now();
  attempt.startedAt = invokedAt;
  const { deadlineMs } = record.definition;
  // The first attempt of this process: a resumed task gets its deadline from its first re-run.
  if (unit.deadlineAt === undefined && deadlineMs !== undefined) unit.deadlineAt = invokedAt + deadlineMs;
  record.tally.attempts++;
  record.tally.startedAt ??= invokedAt;
  if (unit.deadlineAt !== undefined) armDeadline(attempt);
  if (!record.deterministic && context.selections !== undefined) {
    const key = attemptKeyOf({ runId: context.runId, taskId: unit.id, attempt: attempt.number });
    attempt.reply = context.selections.expect(
      key,
      context.decisions.modelSelection.timeoutMs,
      attempt.signal,
    );
  }
  emitInvoked(context, unit, attempt.number);
  return attempt;
}

/** Runs the attempt: the awaited decisions (if any), then the handler under its limits. Never rejects. */
export function attemptOutcome(attempt: Attempt): Promise<AttemptOutcome> {
  const { context, unit } = attempt;
  const decides =
    attempt.reply !== undefined ||
    (!unit.record.deterministic &&
      (context.admissions !== undefined || unit.record.definition.budget !== undefined));
  if (decides) return decideThenExecute(attempt);
  if (unit.record.definition.timeoutMs !== undefined || unit.deadlineAt !== undefined) armHandler(attempt);
  return unit.validator === undefined ? execute(attempt) : executeValidated(attempt);
}

/** The handler, then the task's validator, both within the attempt's limits. */
async function executeValidated(attempt: Attempt): Promise<AttemptOutcome> {
  return validateOutcome(attempt, await execute(attempt));
}

async function decideThenExecute(attempt: Attempt): Promise<AttemptOutcome> {
  const { context, unit } = attempt;
  try {
    if (attempt.reply !== undefined)
      attempt.selection = applySelection(unit.record.fallbackModel, await attempt.reply);
    if (!unit.record.deterministic) {
      checkTaskBudget(unit.record, attempt, attempt.selection.estimatedCostMicroUsd ?? 0);
      if (context.admissions !== undefined) attempt.reserved = await admit(attempt);
    }
    attempt.startedAt = context.clock.now();
    if (unit.record.definition.timeoutMs !== undefined || unit.deadlineAt !== undefined) armHandler(attempt);
    return await (unit.validator === undefined ? execute(attempt) : executeValidated(attempt));
  } catch (error) {
    return { ok: false, error };
  }
}

/** Reports how the attempt went: exactly one AGENT_COMPLETED or AGENT_FAILED. */
export function endAttempt(attempt: Attempt, outcome: AttemptOutcome): AttemptEnd {
  const { context, unit } = attempt;
  if (attempt.timer !== undefined) disarm(attempt);
  unit.current = undefined;
  const endedAt = context.clock.now();
  unit.record.tally.endedAt = endedAt;
  return finish(attempt, outcome, attempt.reserved, endedAt - attempt.startedAt);
}

function cancelledBeforeStart(context: RunContext): AttemptEnd {
  const error = (context.cancelled as NonNullable<RunContext['cancelled']>).toJSON();
  return {
    ok: false,
    error,
    retryable: false,
    willRetry: false,
    cancelled: true,
    model: undefined,
    peers: [],
    upgrade: undefined,
  };
}

/** Runs the handler through the executor; an abort (timeout, deadline, cancel) ends the wait at once. */
function execute(attempt: Attempt): Promise<AttemptOutcome> {
  return new Promise((resolve) => {
    if (attempt.aborted) {
      resolve({ ok: false, error: attempt.reason });
      return;
    }
    attempt.settle = resolve;
    const { context, unit } = attempt;
    const { executor } = context;
    if (executor.runHere !== undefined) {
      // The in-process fast path: the handler's ctx reads the attempt directly, no request copy.
      executor
        .runHere(unit.record.definition.agent, new AttemptContext(attempt))
        .then(resolve, (error: unknown) => resolve({ ok: false, error }));
      return;
    }
    const request = {
      agent: unit.record.definition.agent,
      runId: context.runId,
      workflowId: context.workflow.id,
      taskId: unit.id,
      attempt: attempt.number,
      idempotencyKey: `${context.runId}:${unit.id}`,
      input: unit.input,
      prompt: unit.prompt,
      item: unit.item,
      model: attempt.selection.model,
      seed: context.seed,
    };
    executor.execute(request, attempt).then(resolve, (error: unknown) => resolve({ ok: false, error }));
  });
}

function finish(
  attempt: Attempt,
  outcome: AttemptOutcome,
  reserved: number | undefined,
  latencyMs: number,
): AttemptEnd {
  const { context, unit, selection } = attempt;
  const { record } = unit;
  let failure: unknown;
  let output: Json = null;
  let quality: number | undefined;
  if (outcome.ok) {
    failure = checkResult(outcome.result, unit.id, record.definition.agent);
    if (failure === undefined) {
      const result = outcome.result as AgentResult;
      output = result.output;
      quality = result.quality;
      if (result.usage !== undefined) attempt.spend(selection.model, result.usage);
    }
  } else failure = outcome.error;

  unit.providerRetries += Math.max(0, attempt.providerRequests - attempt.calls);
  const costEstimated = attempt.unpriced > 0;
  // An estimated cost is what the ledger books for it: the reservation (the estimated maximum),
  // unless what is known to be spent is already more.
  const costMicroUsd = costEstimated
    ? Math.max(attempt.costMicroUsd, reserved ?? selection.estimatedCostMicroUsd ?? 0)
    : attempt.costMicroUsd;
  tally(attempt, costMicroUsd);
  const base = {
    runId: context.runId,
    taskId: unit.id,
    attempt: attempt.number,
    agent: record.definition.agent,
    model: selection.model,
    usage: attempt.usage,
    costMicroUsd,
    costEstimated,
    latencyMs,
    simulated: attempt.simulated,
    ...consensusOf(attempt),
  };
  if (!outcome.ok || failure !== undefined) return failed(attempt, failure, base);
  context.bus.emit('AGENT_COMPLETED', quality === undefined ? base : { ...base, quality });
  return { ok: true, status: 'succeeded', output };
}

/**
 * A copy of what a consensus compared, for the end event (absent for other attempts): the answers
 * through the run's `redact`, like the error message that quotes them.
 */
function consensusOf(attempt: Attempt): { consensus?: EventPayload<'AGENT_COMPLETED'>['consensus'] } {
  const { consensus } = attempt;
  if (consensus === undefined) return {};
  const { redact } = attempt.context;
  return {
    consensus: {
      answer: redactAnswer(consensus.answer, redact),
      peers: consensus.peers.map((peer) => ({ ...peer, answer: redactAnswer(peer.answer, redact) })),
    },
  };
}

/** An answer with `redact` applied, cut back to the longest answer an event holds (a mask may be longer). */
function redactAnswer(answer: string | null, redact: ((text: string) => string) | undefined): string | null {
  if (answer === null || redact === undefined) return answer;
  return redact(answer).slice(0, maxAnswerChars);
}

function tally(attempt: Attempt, costMicroUsd: number): void {
  const { context, unit, selection, usage } = attempt;
  const { tally } = unit.record;
  tally.costMicroUsd += costMicroUsd;
  tally.simulated ||= attempt.simulated;
  if (usage.inputTokens !== undefined) tally.inputTokens = (tally.inputTokens ?? 0) + usage.inputTokens;
  if (usage.outputTokens !== undefined) tally.outputTokens = (tally.outputTokens ?? 0) + usage.outputTokens;
  tally.model = selection.model;
  tally.tier = unit.record.deterministic ? 0 : selection.model?.tier;
  if (selection.category !== undefined) tally.category = selection.category;
  if (selection.complexity !== undefined) tally.complexity = selection.complexity;
  if (context.baselineCost !== undefined) {
    const baseline = context.baselineCost({ taskId: unit.id, model: selection.model, usage });
    if (baseline !== undefined) tally.baselineMicroUsd = (tally.baselineMicroUsd ?? 0) + Math.round(baseline);
  }
}

function failed(
  attempt: Attempt,
  error: unknown,
  base: Omit<EventPayload<'AGENT_FAILED'>, 'error' | 'retryable' | 'willRetry'>,
): AttemptEnd {
  const { context, unit } = attempt;
  const cancelled = context.cancelled !== undefined && error === context.cancelled;
  const retryable = !cancelled && isRetryable(error);
  const { definition } = unit.record;
  const nextAt = context.clock.now() + backoffMs(definition.retry, attempt.number + 1);
  const willRetry =
    retryable &&
    attempt.number + unit.priorAdjust + unit.providerRetries <= definition.retry.retries &&
    context.cancelled === undefined &&
    (unit.deadlineAt === undefined || nextAt < unit.deadlineAt);
  const upgrade =
    willRetry && !unit.record.deterministic && context.upgrades !== undefined
      ? context.upgrades
          .expect(attemptKeyOf(base), context.decisions.tierUpgrade.timeoutMs, context.signal)
          .catch(() => undefined)
      : undefined;
  const serialized = redactError(toEventError(error), context.redact);
  context.bus.emit('AGENT_FAILED', { ...base, error: serialized, retryable, willRetry });
  return {
    ok: false,
    error: serialized,
    retryable,
    willRetry,
    cancelled,
    model: base.model,
    peers: attempt.peersAsked,
    upgrade,
  };
}
