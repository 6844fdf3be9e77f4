import { describeThrown, OrchestratorError } from '../errors.ts';
import type { Json } from '../events/vocabulary.ts';
import type { TemplateScope } from '../workflow/model.ts';
import { attemptOutcome, beginAttempt, endAttempt } from './attempt.ts';
import { Attempt } from './attempt-state.ts';
import { createFanOut, restoreItem, settleItem } from './fan-out.ts';
import { prepareUnit, renderField } from './prepare.ts';
import { createScheduler, type Gate } from './scheduler.ts';
import type { RunContext, TaskEnd, TaskRecord, Unit } from './state.ts';
import { decideJoin } from './triggers.ts';
import { afterAttempt, cancelledEnd } from './unit.ts';

export type Run = {
  /** Resolves when every task has settled. */
  done: Promise<void>;
  /** Cancels the run: nothing new starts, running attempts are aborted, the rest end cancelled. */
  cancel: (reason: OrchestratorError) => void;
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
  const { concurrency } = context.workflow;
  // Runs one attempt of a unit in its WIP slot. The unit's end is recorded before the slot is given
  // back, so the children it makes ready compete for the slot by priority with everything else.
  const start = async (unit: Unit) => {
    try {
      const begun = beginAttempt(context, unit);
      const end = begun instanceof Attempt ? endAttempt(begun, await attemptOutcome(begun)) : begun;
      let step = afterAttempt(context, unit, end);
      if (step instanceof Promise) step = await step;
      if (step.status === 'retry') {
        scheduler.release(unit);
        void retryLater(unit, step.delayMs);
        return;
      }
      finishUnit(unit, step);
    } catch (error) {
      // Only a bug in the coordinator lands here; the task fails rather than the run hanging.
      context.log.error({ taskId: unit.id, error: describeThrown(error) }, 'coordinator failure');
      if (unit.record.status === undefined)
        finishUnit(unit, {
          status: 'failed',
          error: new OrchestratorError(
            'INTERNAL',
            `Coordinator failure in task "${unit.id}": ${describeThrown(error)}`,
          ).toJSON(),
        });
    }
    scheduler.release(unit);
  };
  const scheduler = createScheduler<Unit>(context.maxConcurrency, start);
  const phaseGates = gatesOf(concurrency.phases);
  const groupGates = gatesOf(concurrency.groups);
  const scopeTasks: Record<string, { output: Json | undefined; status: string }> = {};
  // Settled tasks enter the template scope only when a template is about to be rendered: a run
  // without templates never builds it.
  const unscoped: TaskRecord[] = [];
  const scopeOf = (): TemplateScope => {
    for (const record of unscoped) {
      scopeTasks[record.definition.id] = { output: record.output, status: record.status ?? 'cancelled' };
    }
    unscoped.length = 0;
    return scope;
  };
  const scope: TemplateScope = {
    inputs,
    tasks: scopeTasks,
    run: { id: context.runId, workflowId: context.workflow.id },
  };
  const work: TaskRecord[] = [];
  /** Every unit made in this run; cancellation aborts the attempts running in them. */
  const units: Unit[] = [];
  let working = false;
  let settledCount = 0;
  let resolveDone = () => {};
  const done = new Promise<void>((resolve) => {
    resolveDone = resolve;
  });

  // Every join rule runs a task whose parents all succeeded: the common case skips decideJoin.
  const allSucceeded = (record: TaskRecord) => {
    for (const index of record.parents)
      if ((records[index] as TaskRecord).status !== 'succeeded') return false;
    return true;
  };

  const gateSets = new Map<string, readonly Gate[]>();
  const gatesFor = (phase: string | undefined, group: string | undefined): readonly Gate[] => {
    if (phase === undefined && group === undefined) return noGates;
    const key = `${phase ?? ''}\u0000${group ?? ''}`;
    let gates = gateSets.get(key);
    if (gates === undefined) {
      const found: Gate[] = [];
      if (phase !== undefined) pushGate(found, phaseGates.get(phase));
      if (group !== undefined) pushGate(found, groupGates.get(group));
      gates = found;
      gateSets.set(key, gates);
    }
    return gates;
  };

  const settle = (record: TaskRecord, end: TaskEnd) => {
    emitEnd(context, record.definition.id, end, record.tally.attempts);
    record.status = end.status;
    if (end.status === 'succeeded') record.output = end.output;
    if (end.status === 'failed') record.error = end.error;
    // A task that ran ended when its last attempt did (set by the attempt); others end now.
    if (record.tally.endedAt === undefined || record.fanOut !== undefined)
      record.tally.endedAt = context.clock.now();
    unscoped.push(record);
    settledCount++;
    for (const child of record.children) {
      const next = records[child] as TaskRecord;
      if (--next.pendingParents === 0) work.push(next);
    }
    if (settledCount === records.length) resolveDone();
  };

  const offer = (unit: Unit) => {
    context.bus.emit('TASK_READY', {
      runId: context.runId,
      taskId: unit.id,
      phase: unit.record.definition.phase,
      priority: unit.record.definition.priority,
    });
    units.push(unit);
    scheduler.offer(unit);
  };

  // The backoff is slept outside the WIP slot; the unit then queues again like any ready unit.
  const retryLater = async (unit: Unit, delayMs: number) => {
    if (delayMs > 0) await context.clock.sleep(delayMs, context.signal).catch(() => undefined);
    if (context.cancelled !== undefined) finishUnit(unit, cancelledEnd(context.cancelled));
    else scheduler.offer(unit);
  };

  const finishUnit = (unit: Unit, end: TaskEnd) => {
    if (unit.record.fanOut === undefined) settle(unit.record, end);
    else {
      emitEnd(context, unit.id, end, unit.attempts);
      const whole = settleItem(unit.record, unit, end);
      if (whole !== undefined) settle(unit.record, whole);
    }
    drain();
  };

  const evaluate = (record: TaskRecord) => {
    const { definition } = record;
    if (record.status !== undefined) return; // restored by a resume
    if (context.cancelled !== undefined)
      return settle(record, { status: 'cancelled', reason: context.cancelled.message });
    if (!allSucceeded(record)) {
      const join = decideJoin(
        definition.trigger,
        record.parents.map((index) => {
          const parent = records[index] as TaskRecord;
          return {
            id: parent.definition.id,
            status: parent.status ?? 'cancelled',
            continueOnError: parent.definition.continueOnError,
            failedRoot: parent.failedRoot,
          };
        }),
      );
      if (!join.run) {
        record.failedRoot = join.failedRoot;
        return settle(record, { status: 'skipped', cause: join.cause, reason: join.reason });
      }
    }
    const gates = gatesFor(definition.phase, definition.group);
    try {
      if (
        definition.when !== undefined &&
        !isTruthy(renderField(context, record, 'when', definition.when, scopeOf))
      ) {
        return settle(record, {
          status: 'skipped',
          cause: 'condition_false',
          reason: `condition ${definition.when} is false`,
        });
      }
      if (definition.foreach === undefined)
        return offer(prepareUnit(context, record, scopeOf, gates, undefined, 0));
      const items = renderField(context, record, 'foreach', definition.foreach, scopeOf);
      const fanOut = createFanOut(record, items);
      if (fanOut.kind === 'empty')
        return settle(record, { status: 'skipped', cause: 'no_items', reason: fanOut.reason });
      const itemGates = [...gates, fanOut.gate];
      const units: Unit[] = [];
      let whole: TaskEnd | undefined;
      fanOut.items.forEach((item, index) => {
        const saved = context.resume?.succeeded[`${definition.id}[${index}]`];
        if (saved === undefined) units.push(prepareUnit(context, record, scopeOf, itemGates, item, index));
        else whole = restoreItem(record, index, saved);
      });
      if (whole !== undefined) return settle(record, whole);
      for (const unit of units) offer(unit);
    } catch (error) {
      settle(record, {
        status: 'failed',
        error: (error instanceof OrchestratorError
          ? error
          : new OrchestratorError('INTERNAL', describeThrown(error))
        ).toJSON(),
      });
    }
  };

  const drain = () => {
    if (working) return;
    working = true;
    // Evaluating may settle tasks (skips), which queues their children: the loop takes those too.
    for (let index = 0; index < work.length; index++) evaluate(work[index] as TaskRecord);
    work.length = 0;
    working = false;
  };

  // A resumed run: tasks that succeeded before settle silently (their events are in the journal).
  for (const record of records) {
    const saved = context.resume?.succeeded[record.definition.id];
    if (saved === undefined) continue;
    record.status = 'succeeded';
    record.output = saved.output;
    record.tally.attempts = saved.attempts;
    unscoped.push(record);
    settledCount++;
    for (const child of record.children) (records[child] as TaskRecord).pendingParents--;
  }
  for (const record of records)
    if (record.status === undefined && record.pendingParents === 0) work.push(record);
  drain();
  if (settledCount === records.length) resolveDone();

  return {
    done,
    cancel: (reason) => {
      if (context.cancelled !== undefined || settledCount === records.length) return;
      context.cancelled = reason;
      for (const unit of units) unit.current?.abort(reason);
      for (const unit of scheduler.drain()) finishUnit(unit, { status: 'cancelled', reason: reason.message });
      drain();
    },
  };
}

const noGates: readonly Gate[] = Object.freeze([]);

function gatesOf(limits: Readonly<Record<string, number>>): Map<string, Gate> {
  return new Map(Object.entries(limits).map(([name, limit]) => [name, { limit, running: 0 }]));
}

function pushGate(gates: Gate[], gate: Gate | undefined): void {
  if (gate !== undefined) gates.push(gate);
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
