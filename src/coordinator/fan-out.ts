import { OrchestratorError } from '../errors.ts';
import type { Json } from '../events/vocabulary.ts';
import { describeNonJson, isJson } from './json.ts';
import type { Gate } from './scheduler.ts';
import type { TaskEnd, TaskRecord, Unit } from './state.ts';

export type FanOutStart = { kind: 'empty'; reason: string } | { kind: 'items'; items: Json[]; gate: Gate };

/** Starts the dynamic fan-out of a `foreach` task from its rendered items. */
export function createFanOut(record: TaskRecord, items: unknown): FanOutStart {
  const { definition } = record;
  if (!Array.isArray(items) || !isJson(items)) {
    const got = Array.isArray(items) ? 'an array holding values that are not JSON' : describeItems(items);
    throw new OrchestratorError(
      'FOREACH_NOT_ARRAY',
      `Task "${definition.id}" foreach ${definition.foreach} gave ${got}; expected an array.`,
      {
        hint: 'Point foreach at a list, such as the output of a task that returns an array.',
      },
    );
  }
  if (items.length === 0) return { kind: 'empty', reason: `foreach ${definition.foreach} gave no items` };
  record.fanOut = {
    outputs: items.map(() => null),
    remaining: items.length,
    failure: undefined,
    cancelled: undefined,
  };
  return {
    kind: 'items',
    items,
    gate: { limit: definition.maxParallel ?? Number.POSITIVE_INFINITY, running: 0 },
  };
}

/** Takes an item that succeeded before a resume as done; returns the whole task's end if it was the last. */
export function restoreItem(
  record: TaskRecord,
  index: number,
  saved: { output: Json; attempts: number },
): TaskEnd | undefined {
  const fanOut = record.fanOut;
  if (fanOut === undefined) return undefined;
  fanOut.outputs[index] = saved.output;
  fanOut.remaining--;
  record.tally.attempts += saved.attempts;
  return fanOut.remaining === 0 ? { status: 'succeeded', output: fanOut.outputs } : undefined;
}

/** Records how one item ended; returns how the whole task ends once its last item has. */
export function settleItem(record: TaskRecord, unit: Unit, end: TaskEnd): TaskEnd | undefined {
  const fanOut = record.fanOut;
  if (fanOut === undefined) return end;
  fanOut.remaining--;
  if (end.status === 'succeeded') fanOut.outputs[unit.itemIndex] = end.output;
  else if (end.status === 'failed') fanOut.failure ??= { index: unit.itemIndex, error: end.error };
  else if (end.status === 'cancelled') fanOut.cancelled ??= end.reason;
  if (fanOut.remaining > 0) return undefined;
  if (fanOut.cancelled !== undefined) return { status: 'cancelled', reason: fanOut.cancelled };
  if (fanOut.failure !== undefined) {
    const { index, error } = fanOut.failure;
    const count = fanOut.outputs.length;
    const message = `Item ${index} of ${count} ("${record.definition.id}[${index}]") failed: ${error.message}`;
    return { status: 'failed', error: { ...error, message } };
  }
  return { status: 'succeeded', output: fanOut.outputs };
}

function describeItems(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value === 'string')
    return `the string ${JSON.stringify(value.length > 60 ? `${value.slice(0, 60)}...` : value)}`;
  if (typeof value === 'object') return 'an object';
  return describeNonJson(value);
}
