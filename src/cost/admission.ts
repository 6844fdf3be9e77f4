// Answering ADMISSION_REQUESTED: estimate, reserve in the ledger, report what the budgets say.
import { OrchestratorError } from '../errors.ts';
import type { EventPayload } from '../events/events.ts';
import { estimateCall } from './estimate.ts';
import { tightestOf } from './ledger.ts';
import type { BudgetReading, ReserveResult } from './ledger-types.ts';
import * as messages from './messages.ts';
import type { AttemptState, TrackerContext } from './tracker-context.ts';

type Request = EventPayload<'ADMISSION_REQUESTED'>;

/** Decides one admission and emits ADMISSION_DECIDED (after any budget or throttle events). */
export function decideAdmission(context: TrackerContext, request: Request, state: AttemptState): void {
  const { bus, log } = context;
  const key = { runId: request.runId, taskId: request.taskId, attempt: request.attempt };
  state.category = request.category ?? state.category;
  state.model = request.model;
  state.workflowId = request.workflowId;
  const estimate = estimateCall(
    {
      text: state.text,
      contextChars: state.contextChars,
      model: request.model,
      category: state.category,
      routerEstimateMicroUsd: request.estimatedCostMicroUsd,
    },
    context,
  );
  if (!estimate.ok) {
    const reason = messages.priceUnknownReason(request.model.id, request.model.tier);
    log.error({ taskId: request.taskId, model: request.model.id }, reason);
    bus.emit('ADMISSION_DECIDED', { ...key, decision: 'blocked', budget: 'price', reason });
    return;
  }
  if (estimate.priceSource === 'tier-highest' && !context.warnedPrices.has(request.model.id)) {
    context.warnedPrices.add(request.model.id);
    log.warn(
      { model: request.model.id },
      messages.priceUnknownWarning(request.model.id, request.model.tier, estimate.price),
    );
  }
  state.estimate = estimate;
  let result: ReserveResult;
  try {
    result = context.ledger.reserve({
      ...key,
      subject: {
        sessionId: request.sessionId ?? state.sessionId ?? request.runId,
        workflowId: request.workflowId,
        category: state.category,
        modelId: request.model.id,
      },
      priority: request.priority,
      provider: request.model.provider,
      tier: request.model.tier,
      amountMicroUsd: estimate.amountMicroUsd,
      tokens: estimate.inputTokens + estimate.outputTokens,
    });
  } catch (error) {
    const reason = messages.stateFailedReason(error instanceof Error ? error.message : String(error));
    log.error({ taskId: request.taskId }, reason);
    bus.emit('ADMISSION_DECIDED', { ...key, decision: 'blocked', budget: 'state', reason });
    return;
  }
  reportLevel(context, request.runId, result);
  if (result.status === 'reserved') {
    if (!state.reserved) context.open.count++;
    state.reserved = true;
    reportWarnings(context, request.runId, result.readings);
    const reason = messages.allowedReason(estimate, request.model.id, result.level, result.tightest);
    bus.emit('ADMISSION_DECIDED', {
      ...key,
      decision: 'allowed',
      reservedMicroUsd: estimate.amountMicroUsd,
      reason,
      level: result.level,
    });
    return;
  }
  answerRefusal(context, request, result);
}

function answerRefusal(
  context: TrackerContext,
  request: Request,
  result: Exclude<ReserveResult, { status: 'reserved' }>,
): void {
  const { bus, log } = context;
  const key = { runId: request.runId, taskId: request.taskId, attempt: request.attempt };
  const level = result.level;
  switch (result.status) {
    case 'throttled': {
      const { budget: reading, retryAfterMs } = result;
      const reason =
        result.cause === 'level'
          ? messages.levelThrottledReason(reading, level, request.priority, retryAfterMs)
          : messages.inFlightThrottledReason(reading, retryAfterMs);
      log.info({ taskId: request.taskId, retryAfterMs, level }, reason);
      bus.emit('TASK_THROTTLED', { ...key, priority: request.priority, level, retryAfterMs });
      bus.emit('ADMISSION_DECIDED', {
        ...key,
        decision: 'throttled',
        retryAfterMs,
        budget: reading.budget.name,
        reason,
        level,
      });
      return;
    }
    case 'blocked': {
      const message = messages.budgetExceededMessage(result.budget);
      log.warn({ taskId: request.taskId, budget: result.budget.budget.name }, message);
      bus.emit('BUDGET_EXCEEDED', {
        ...budgetFields(request.runId, result.budget),
        taskId: request.taskId,
        message,
      });
      bus.emit('ADMISSION_DECIDED', {
        ...key,
        decision: 'blocked',
        budget: result.budget.budget.name,
        reason: message,
        level,
      });
      return;
    }
    case 'already-settled': {
      const reason = messages.alreadyBookedReason(request.taskId, request.attempt);
      bus.emit('ADMISSION_DECIDED', { ...key, decision: 'blocked', budget: 'ledger', reason, level });
      return;
    }
    default:
      throw new OrchestratorError('INTERNAL', `Unexpected reservation result ${JSON.stringify(result)}.`);
  }
}

function budgetFields(runId: string, reading: BudgetReading) {
  return {
    runId,
    budget: reading.budget.name,
    window: reading.budget.window,
    unit: reading.budget.unit,
    limit: reading.budget.limit,
    spent: reading.spent,
    reserved: reading.reserved,
    scopeKey: reading.scopeKey,
    period: reading.period,
  };
}

/** THROTTLE_LEVEL_CHANGED when a run's level moves; a warning in the log from WARNING up. */
function reportLevel(context: TrackerContext, runId: string, result: ReserveResult): void {
  const from = context.levels.get(runId) ?? 'NONE';
  const to = result.level;
  if (from === to) return;
  context.levels.set(runId, to);
  const tightest = tightestOf(result.readings);
  const message = messages.throttleChangedMessage(from, to, tightest);
  if (to === 'NONE') context.log.info({ runId }, message);
  else context.log.warn({ runId }, message);
  context.bus.emit('THROTTLE_LEVEL_CHANGED', {
    runId,
    from,
    to,
    budget: tightest?.budget.name ?? '',
    ...(tightest === undefined ? {} : { utilisation: tightest.utilisation }),
    message,
  });
}

/** BUDGET_WARNING once per budget period when this reservation takes it to its `warnAt`. */
function reportWarnings(context: TrackerContext, runId: string, readings: readonly BudgetReading[]): void {
  for (const reading of readings) {
    const utilisation = (reading.spent + reading.reserved + reading.requested) / reading.budget.limit;
    if (utilisation < reading.budget.warnAt) continue;
    const id = `${reading.budget.name}|${reading.scopeKey}|${reading.period}`;
    if (context.warnedBudgets.has(id)) continue;
    context.warnedBudgets.add(id);
    const message = messages.budgetWarningMessage(reading, utilisation);
    context.log.warn({ runId, budget: reading.budget.name }, message);
    context.bus.emit('BUDGET_WARNING', { ...budgetFields(runId, reading), utilisation, message });
  }
}
