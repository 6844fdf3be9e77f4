import { describeThrown, OrchestratorError } from '../errors.ts';
import type { Json } from '../events/vocabulary.ts';
import { attemptOutcome, beginAttempt, endAttempt } from './attempt.ts';
import { Attempt } from './attempt-state.ts';
import { createFanOut, restoreItem, settleItem } from './fan-out.ts';
import { createGates, type GatesFor } from './gates.ts';
import { prepareUnit, renderField } from './prepare.ts';
import { createScheduler, type Gate, type Scheduler } from './scheduler.ts';
import type { RunContext, TaskEnd, TaskRecord, Unit } from './state.ts';
import { createRunScope, type RunScope } from './template-scope.ts';
import { joinOf } from './triggers.ts';
import { afterAttempt, cancelledEnd } from './unit.ts';

export type Run = {
  /** Resolves when every task has settled. */
  done: Promise<void>;
  /** Cancels the run: nothing new starts, running attempts are aborted, the rest end cancelled. */
  cancel: (reason: OrchestratorError) => void;
};

/** One run as it goes: the functions below move its tasks from ready to settled. */
type RunLoop = {
  context: RunContext;
  records: readonly TaskRecord[];
  scope: RunScope;
  gatesFor: GatesFor;
  scheduler: Scheduler<Unit>;
  /** Tasks whose last parent settled, waiting to be evaluated. */
  work: TaskRecord[];
  /** Every unit made in this run; cancellation aborts the attempts running in them. */
  units: Unit[];
  /** A drain is under way: tasks it makes ready join its loop. */
  working: boolean;
  settledCount: number;
  resolveDone: () => void;
};

/**
 * Drives one run: a task is evaluated the moment its last parent settles (no layer barriers),
 * its join and `when` decide whether it runs, and its units go to the scheduler.
 */
export function startRun(
  context: RunContext,
  records: readonly TaskRecord[],
  inputs: Record<string, Json>,
): Run {
  let resolveDone = () => {};
  const done = new Promise<void>((resolve) => {
    resolveDone = resolve;
  });
  const loop: RunLoop = {
    context,
    records,
    scope: createRunScope(context, inputs),
    gatesFor: createGates(context.workflow.concurrency),
    scheduler: createScheduler<Unit>(context.maxConcurrency, (unit) => runUnit(loop, unit)),
    work: [],
    units: [],
    working: false,
    settledCount: 0,
    resolveDone,
  };
  restoreSucceeded(loop);
  for (const record of records)
    if (record.status === undefined && record.pendingParents === 0) loop.work.push(record);
  drain(loop);
  if (loop.settledCount === records.length) resolveDone();
  return { done, cancel: (reason) => cancelRun(loop, reason) };
}

/** A resumed run: tasks that succeeded before settle silently (their events are in the journal). */
function restoreSucceeded(loop: RunLoop): void {
  const { context, records } = loop;
  for (const record of records) {
    const saved = context.resume?.succeeded[record.definition.id];
    if (saved === undefined) continue;
    record.status = 'succeeded';
    record.output = saved.output;
    record.tally.attempts = saved.attempts;
    loop.scope.add(record);
    loop.settledCount++;
    for (const child of record.children) (records[child] as TaskRecord).pendingParents--;
  }
}

function cancelRun(loop: RunLoop, reason: OrchestratorError): void {
  const { context } = loop;
  if (context.cancelled !== undefined || loop.settledCount === loop.records.length) return;
  context.cancelled = reason;
  for (const unit of loop.units) unit.current?.abort(reason);
  for (const unit of loop.scheduler.drain()) finishUnit(loop, unit, cancelledEnd(reason));
  drain(loop);
}

/**
 * Runs one attempt of a unit in its WIP slot. The unit's end is recorded before the slot is given
 * back, so the children it makes ready compete for the slot by priority with everything else.
 */
async function runUnit(loop: RunLoop, unit: Unit): Promise<void> {
  const { context, scheduler } = loop;
  try {
    const begun = beginAttempt(context, unit);
    const end = begun instanceof Attempt ? endAttempt(begun, await attemptOutcome(begun)) : begun;
    let step = afterAttempt(context, unit, end);
    if (step instanceof Promise) step = await step;
    if (step.status === 'retry') {
      scheduler.release(unit);
      void retryLater(loop, unit, step.delayMs);
      return;
    }
    finishUnit(loop, unit, step);
  } catch (error) {
    failOnCoordinatorBug(loop, unit, error);
  }
  scheduler.release(unit);
}

/** Only a bug in the coordinator lands here; the task fails rather than the run hanging. */
function failOnCoordinatorBug(loop: RunLoop, unit: Unit, error: unknown): void {
  loop.context.log.error({ taskId: unit.id, error: describeThrown(error) }, 'coordinator failure');
  if (unit.record.status !== undefined) return;
  finishUnit(loop, unit, {
    status: 'failed',
    error: new OrchestratorError(
      'INTERNAL',
      `Coordinator failure in task "${unit.id}": ${describeThrown(error)}`,
    ).toJSON(),
  });
}

/** The backoff is slept outside the WIP slot; the unit then queues again like any ready unit. */
async function retryLater(loop: RunLoop, unit: Unit, delayMs: number): Promise<void> {
  const { context } = loop;
  if (delayMs > 0) await context.clock.sleep(delayMs, context.signal).catch(() => undefined);
  if (context.cancelled !== undefined) finishUnit(loop, unit, cancelledEnd(context.cancelled));
  else loop.scheduler.offer(unit);
}

/** A unit ended: its task settles, or for a `foreach` item, the task once its last item has. */
function finishUnit(loop: RunLoop, unit: Unit, end: TaskEnd): void {
  if (unit.record.fanOut === undefined) settle(loop, unit.record, end);
  else {
    emitEnd(loop.context, unit.id, end, unit.attempts);
    const whole = settleItem(unit.record, unit, end);
    if (whole !== undefined) settle(loop, unit.record, whole);
  }
  drain(loop);
}

/** A task ended: its events go out, and each child whose last parent it was becomes work. */
function settle(loop: RunLoop, record: TaskRecord, end: TaskEnd): void {
  const { context, records } = loop;
  emitEnd(context, record.definition.id, end, record.tally.attempts);
  record.status = end.status;
  if (end.status === 'succeeded') record.output = end.output;
  if (end.status === 'failed') record.error = end.error;
  // A task that ran ended when its last attempt did (set by the attempt); others end now.
  if (record.tally.endedAt === undefined || record.fanOut !== undefined)
    record.tally.endedAt = context.clock.now();
  loop.scope.add(record);
  loop.settledCount++;
  for (const child of record.children) {
    const next = records[child] as TaskRecord;
    if (--next.pendingParents === 0) loop.work.push(next);
  }
  if (loop.settledCount === records.length) loop.resolveDone();
}

function drain(loop: RunLoop): void {
  if (loop.working) return;
  loop.working = true;
  const { work } = loop;
  // Evaluating may settle tasks (skips), which queues their children: the loop takes those too.
  for (let index = 0; index < work.length; index++) evaluate(loop, work[index] as TaskRecord);
  work.length = 0;
  loop.working = false;
}

/** A task whose last parent settled: it is skipped (join, `when`, no items) or its units are offered. */
function evaluate(loop: RunLoop, record: TaskRecord) {
  const { context } = loop;
  const { definition } = record;
  if (record.status !== undefined) return; // restored by a resume
  if (context.cancelled !== undefined) return settle(loop, record, cancelledEnd(context.cancelled));
  const join = joinOf(record, loop.records);
  if (!join.run) {
    record.failedRoot = join.failedRoot;
    return settle(loop, record, { status: 'skipped', cause: join.cause, reason: join.reason });
  }
  const gates = loop.gatesFor(definition.phase, definition.group);
  try {
    if (
      definition.when !== undefined &&
      !isTruthy(renderField(context, record, 'when', definition.when, loop.scope.get))
    ) {
      return settle(loop, record, {
        status: 'skipped',
        cause: 'condition_false',
        reason: `condition ${definition.when} is false`,
      });
    }
    if (definition.foreach === undefined)
      return offer(loop, prepareUnit(context, record, loop.scope.get, gates, undefined, 0));
    offerItems(loop, record, gates);
  } catch (error) {
    settle(loop, record, {
      status: 'failed',
      error: (error instanceof OrchestratorError
        ? error
        : new OrchestratorError('INTERNAL', describeThrown(error))
      ).toJSON(),
    });
  }
}

/**
 * A `foreach` task: one unit per item, each under the task's gates and the fan-out's own. Items that
 * succeeded before a resume are restored, not run; when all of them had, the task settles now.
 */
function offerItems(loop: RunLoop, record: TaskRecord, gates: readonly Gate[]) {
  const { context } = loop;
  const { definition } = record;
  const items = renderField(context, record, 'foreach', definition.foreach, loop.scope.get);
  const fanOut = createFanOut(record, items);
  if (fanOut.kind === 'empty')
    return settle(loop, record, { status: 'skipped', cause: 'no_items', reason: fanOut.reason });
  const itemGates = [...gates, fanOut.gate];
  const units: Unit[] = [];
  let whole: TaskEnd | undefined;
  fanOut.items.forEach((item, index) => {
    const saved = context.resume?.succeeded[`${definition.id}[${index}]`];
    if (saved === undefined) units.push(prepareUnit(context, record, loop.scope.get, itemGates, item, index));
    else whole = restoreItem(record, index, saved);
  });
  if (whole !== undefined) return settle(loop, record, whole);
  for (const unit of units) offer(loop, unit);
}

function offer(loop: RunLoop, unit: Unit): void {
  loop.context.bus.emit('TASK_READY', {
    runId: loop.context.runId,
    taskId: unit.id,
    phase: unit.record.definition.phase,
    priority: unit.record.definition.priority,
  });
  loop.units.push(unit);
  loop.scheduler.offer(unit);
}

/** `when` is false for false, null, 0, "", "false" and "0"; anything else runs the task. */
export function isTruthy(value: unknown): boolean {
  if (typeof value === 'string') return value !== '' && value !== 'false' && value !== '0';
  return Boolean(value) && value !== undefined;
}

function emitEnd(context: RunContext, taskId: string, end: TaskEnd, attempts: number): void {
  const { bus, runId } = context;
  switch (end.status) {
    case 'succeeded':
      bus.emit('TASK_SUCCEEDED', { runId, taskId, attempts, output: end.output });
      break;
    case 'failed':
      bus.emit('TASK_FAILED', { runId, taskId, attempts, error: end.error });
      break;
    case 'skipped':
      bus.emit('TASK_SKIPPED', { runId, taskId, reason: end.reason, cause: end.cause });
      break;
    case 'cancelled':
      bus.emit('TASK_CANCELLED', { runId, taskId, reason: end.reason });
      break;
  }
  bus.emit('TASK_SETTLED', { runId, taskId, status: end.status, attempts });
}
