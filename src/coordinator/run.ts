import { OrchestratorError } from '../errors.ts';
import type { Json } from '../events/vocabulary.ts';
import type { TemplateScope } from '../workflow/model.ts';
import { createFanOut, settleItem } from './fan-out.ts';
import { prepareUnit, renderField } from './prepare.ts';
import { createScheduler, type Gate } from './scheduler.ts';
import type { RunContext, TaskEnd, TaskRecord, Unit } from './state.ts';
import { decideJoin } from './triggers.ts';
import { runUnit } from './unit.ts';

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
  const scheduler = createScheduler(context.maxConcurrency);
  const phaseGates = gatesOf(concurrency.phases);
  const groupGates = gatesOf(concurrency.groups);
  const scopeTasks: Record<string, { output: Json | undefined; status: string }> = {};
  const scope: TemplateScope = {
    inputs,
    tasks: scopeTasks,
    run: { id: context.runId, workflowId: context.workflow.id },
  };
  let work: TaskRecord[] = [];
  let working = false;
  let settledCount = 0;
  let resolveDone = () => {};
  const done = new Promise<void>((resolve) => {
    resolveDone = resolve;
  });

  const settle = (record: TaskRecord, end: TaskEnd) => {
    emitEnd(context, record.definition.id, end, record.tally.attempts);
    record.status = end.status;
    if (end.status === 'succeeded') record.output = end.output;
    if (end.status === 'failed') record.error = end.error;
    record.tally.endedAt = context.clock.now();
    scopeTasks[record.definition.id] = { output: record.output, status: end.status };
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
    unit.start = async () => {
      const end = await runUnit(context, unit);
      finishUnit(unit, end);
    };
    scheduler.offer(unit);
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
    if (context.cancelled !== undefined)
      return settle(record, { status: 'cancelled', reason: context.cancelled.message });
    const parents = record.parents.map((index) => records[index] as TaskRecord);
    const join = decideJoin(
      definition.trigger,
      parents.map((parent) => ({
        id: parent.definition.id,
        status: parent.status ?? 'cancelled',
        continueOnError: parent.definition.continueOnError,
        failedRoot: parent.failedRoot,
      })),
    );
    if (!join.run) {
      record.failedRoot = join.failedRoot;
      return settle(record, { status: 'skipped', cause: join.cause, reason: join.reason });
    }
    const gates: Gate[] = [];
    if (definition.phase !== undefined) pushGate(gates, phaseGates.get(definition.phase));
    if (definition.group !== undefined) pushGate(gates, groupGates.get(definition.group));
    try {
      if (
        definition.when !== undefined &&
        !isTruthy(renderField(context, record, 'when', definition.when, scope))
      ) {
        return settle(record, {
          status: 'skipped',
          cause: 'condition_false',
          reason: `condition ${definition.when} is false`,
        });
      }
      if (definition.foreach === undefined)
        return offer(prepareUnit(context, record, scope, gates, undefined, 0));
      const items = renderField(context, record, 'foreach', definition.foreach, scope);
      const fanOut = createFanOut(record, items);
      if (fanOut.kind === 'empty')
        return settle(record, { status: 'skipped', cause: 'no_items', reason: fanOut.reason });
      const units = fanOut.items.map((item, index) =>
        prepareUnit(context, record, scope, [...gates, fanOut.gate], item, index),
      );
      for (const unit of units) offer(unit);
    } catch (error) {
      settle(record, {
        status: 'failed',
        error: (error instanceof OrchestratorError
          ? error
          : new OrchestratorError('INTERNAL', String(error))
        ).toJSON(),
      });
    }
  };

  const drain = () => {
    if (working) return;
    working = true;
    // Evaluating may settle tasks (skips), which queues their children: loop until nothing is left.
    while (work.length > 0) {
      const batch = work;
      work = [];
      for (const record of batch) evaluate(record);
    }
    working = false;
  };

  for (const record of records) if (record.pendingParents === 0) work.push(record);
  drain();

  return {
    done,
    cancel: (reason) => {
      if (context.cancelled !== undefined || settledCount === records.length) return;
      context.cancelled = reason;
      for (const control of [...context.active]) control.abort(reason);
      for (const unit of scheduler.drain())
        finishUnit(unit as Unit, { status: 'cancelled', reason: reason.message });
      drain();
    },
  };
}

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
  const key = { runId: context.runId, taskId };
  switch (end.status) {
    case 'succeeded':
      context.bus.emit('TASK_SUCCEEDED', { ...key, attempts, output: end.output });
      break;
    case 'failed':
      context.bus.emit('TASK_FAILED', { ...key, attempts, error: end.error });
      break;
    case 'skipped':
      context.bus.emit('TASK_SKIPPED', { ...key, reason: end.reason, cause: end.cause });
      break;
    case 'cancelled':
      context.bus.emit('TASK_CANCELLED', { ...key, reason: end.reason });
      break;
  }
  context.bus.emit('TASK_SETTLED', { ...key, status: end.status, attempts });
}
