import type { SerializedError } from '../errors.ts';
import type { EventPayload } from '../events/events.ts';
import { attemptKeyOf } from '../events/reply.ts';
import type { Json, ModelRef } from '../events/vocabulary.ts';
import type { Logger } from '../log.ts';
import { type AttemptControl, createAttemptControl } from './attempt-control.ts';
import { admit, applySelection, type Selection } from './decisions.ts';
import type { AttemptOutcome } from './executor.ts';
import { createAttemptLimit } from './limits.ts';
import { checkResult } from './result-check.ts';
import { backoffMs, isRetryable, toEventError } from './retry.ts';
import type { RunContext, Unit } from './state.ts';
import { createMeter, type Meter } from './usage.ts';

export type Upgrade = EventPayload<'MODEL_TIER_UPGRADE'> | undefined;

export type AttemptEnd =
  | { ok: true; output: Json }
  | {
      ok: false;
      error: SerializedError;
      retryable: boolean;
      willRetry: boolean;
      cancelled: boolean;
      model: ModelRef | undefined;
      /** The tier-upgrade answer, when one is awaited; never rejects. */
      upgrade: Promise<Upgrade> | undefined;
    };

const maxTextChars = 8000;

/**
 * Runs one attempt of a unit: AGENT_INVOKED, the model choice, admission, the handler under its
 * limits, then exactly one AGENT_COMPLETED or AGENT_FAILED. Never rejects.
 */
export async function runAttempt(context: RunContext, unit: Unit): Promise<AttemptEnd> {
  const attempt = ++unit.attempts;
  const { record } = unit;
  const control = createAttemptControl();
  context.active.add(control);
  if (context.cancelled !== undefined) control.abort(context.cancelled);
  const invokedAt = context.clock.now();
  if (attempt === 1 && record.definition.deadlineMs !== undefined)
    unit.deadlineAt = invokedAt + record.definition.deadlineMs;
  record.tally.attempts++;
  record.tally.startedAt ??= invokedAt;
  const limit = createAttemptLimit(context, unit, attempt, control);
  limit.armDeadline();

  const routed = !record.deterministic && context.selections !== undefined;
  const key = { runId: context.runId, taskId: unit.id, attempt };
  const reply = routed
    ? context.selections?.expect(
        attemptKeyOf(key),
        context.decisions.modelSelection.timeoutMs,
        control.signal,
      )
    : undefined;
  emitInvoked(context, unit, attempt);

  let selection = applySelection(record.fallbackModel, undefined);
  const meter = createMeter({
    taskId: unit.id,
    agent: record.definition.agent,
    model: () => selection.model,
    control,
    providerFor: context.providerFor,
    priceUsage: context.priceUsage,
  });
  let reserved: number | undefined;
  let startedAt = invokedAt;
  let outcome: AttemptOutcome;
  try {
    if (reply !== undefined) selection = applySelection(record.fallbackModel, await reply);
    if (!record.deterministic && context.admissions !== undefined) {
      reserved = await admit(context, unit, attempt, selection, control);
    }
    startedAt = context.clock.now();
    limit.armHandler();
    outcome = await execute(context, unit, attempt, selection.model, control, meter);
  } catch (error) {
    outcome = { ok: false, error };
  }
  limit.disarm();
  context.active.delete(control);
  return finish(context, unit, attempt, {
    outcome,
    selection,
    meter,
    reserved,
    latencyMs: context.clock.now() - startedAt,
  });
}

function emitInvoked(context: RunContext, unit: Unit, attempt: number): void {
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
    hints: definition.hints,
    tier: definition.tier,
    requestedTier: unit.requestedTier,
    pinnedModel: definition.model,
    defaultModel: fallbackModel,
    excludeModels: unit.excludeModels.slice(),
    sessionId: context.sessionId,
  });
}

function contextChars(unit: Unit): number {
  const input = unit.input;
  const inputChars =
    input === undefined ? 0 : typeof input === 'string' ? input.length : JSON.stringify(input).length;
  return inputChars + (unit.prompt?.length ?? 0);
}

function execute(
  context: RunContext,
  unit: Unit,
  attempt: number,
  model: ModelRef | undefined,
  control: AttemptControl,
  meter: Meter,
): Promise<AttemptOutcome> {
  return new Promise((resolve) => {
    if (control.aborted) {
      resolve({ ok: false, error: control.reason });
      return;
    }
    control.onAbort = (reason) => resolve({ ok: false, error: reason });
    let log: Logger | undefined;
    const request = {
      agent: unit.record.definition.agent,
      runId: context.runId,
      workflowId: context.workflow.id,
      taskId: unit.id,
      attempt,
      idempotencyKey: `${context.runId}:${unit.id}`,
      input: unit.input,
      prompt: unit.prompt,
      item: unit.item,
      model,
      seed: context.seed,
    };
    const services = {
      get signal() {
        return control.signal;
      },
      llm: meter.llm,
      get log() {
        log ??= context.log.child({ taskId: unit.id, attempt });
        return log;
      },
    };
    context.executor
      .execute(request, services)
      .then(resolve, (error: unknown) => resolve({ ok: false, error }));
  });
}

type Finished = {
  outcome: AttemptOutcome;
  selection: Selection;
  meter: Meter;
  reserved: number | undefined;
  latencyMs: number;
};

function finish(context: RunContext, unit: Unit, attempt: number, finished: Finished): AttemptEnd {
  const { outcome, selection, meter } = finished;
  const { record } = unit;
  let failure: unknown;
  let output: Json = null;
  let quality: number | undefined;
  if (outcome.ok) {
    const checked = checkResult(outcome.result, unit.id, record.definition.agent);
    if (checked instanceof Error) failure = checked;
    else {
      ({ output, quality } = checked);
      if (checked.usage !== undefined) meter.addReported(checked.usage);
    }
  } else failure = outcome.error;

  const costEstimated = meter.unpriced > 0;
  const costMicroUsd =
    meter.costMicroUsd + (costEstimated ? (finished.reserved ?? selection.estimatedCostMicroUsd ?? 0) : 0);
  tally(context, unit, selection, meter, costMicroUsd);
  const base = {
    runId: context.runId,
    taskId: unit.id,
    attempt,
    agent: record.definition.agent,
    model: selection.model,
    usage: meter.usage,
    costMicroUsd,
    costEstimated,
    latencyMs: finished.latencyMs,
    simulated: meter.simulated,
  };
  if (!outcome.ok || failure !== undefined) return failed(context, unit, attempt, failure, base);
  context.bus.emit('AGENT_COMPLETED', quality === undefined ? base : { ...base, quality });
  return { ok: true, output };
}

function tally(
  context: RunContext,
  unit: Unit,
  selection: Selection,
  meter: Meter,
  costMicroUsd: number,
): void {
  const { tally } = unit.record;
  tally.costMicroUsd += costMicroUsd;
  for (const key of ['inputTokens', 'outputTokens'] as const) {
    const count = meter.usage[key];
    if (count !== undefined) tally.usage[key] = (tally.usage[key] ?? 0) + count;
  }
  tally.model = selection.model;
  tally.tier = unit.record.deterministic ? 0 : selection.model?.tier;
  tally.category = selection.category ?? tally.category;
  tally.complexity = selection.complexity ?? tally.complexity;
  if (context.baselineCost !== undefined) {
    const baseline = context.baselineCost({ taskId: unit.id, model: selection.model, usage: meter.usage });
    if (baseline !== undefined) tally.baselineMicroUsd = (tally.baselineMicroUsd ?? 0) + Math.round(baseline);
  }
}

function failed(
  context: RunContext,
  unit: Unit,
  attempt: number,
  error: unknown,
  base: Omit<EventPayload<'AGENT_FAILED'>, 'error' | 'retryable' | 'willRetry'>,
): AttemptEnd {
  const cancelled = context.cancelled !== undefined && error === context.cancelled;
  const retryable = !cancelled && isRetryable(error);
  const { definition } = unit.record;
  const nextAt = context.clock.now() + backoffMs(definition.retry, attempt + 1);
  const willRetry =
    retryable &&
    attempt <= definition.retry.retries &&
    context.cancelled === undefined &&
    (unit.deadlineAt === undefined || nextAt < unit.deadlineAt);
  const upgrade =
    willRetry && !unit.record.deterministic && context.upgrades !== undefined
      ? context.upgrades
          .expect(attemptKeyOf(base), context.decisions.tierUpgrade.timeoutMs, context.signal)
          .catch(() => undefined)
      : undefined;
  const serialized = toEventError(error);
  context.bus.emit('AGENT_FAILED', { ...base, error: serialized, retryable, willRetry });
  return { ok: false, error: serialized, retryable, willRetry, cancelled, model: base.model, upgrade };
}
