import type { TaskStatus } from '../events/vocabulary.ts';
import type { Trigger } from '../workflow/model.ts';
import type { TaskRecord } from './state.ts';

/** What a join needs to know of one settled parent. */
export type ParentState = {
  id: string;
  status: TaskStatus;
  continueOnError: boolean;
  /** For a parent skipped because of a failure further up: the task that failed. */
  failedRoot: string | undefined;
};

export type JoinDecision =
  | { run: true }
  | {
      run: false;
      cause: 'upstream_failed' | 'trigger_not_met';
      reason: string;
      failedRoot: string | undefined;
    };

type Kind = 'success' | 'failed' | 'skipped' | 'cancelled';

const runs: JoinDecision = { run: true };

/**
 * The join decision for a task of a run whose parents have all settled. Every join rule runs a task
 * whose parents all succeeded: that common case skips decideJoin.
 */
export function joinOf(record: TaskRecord, records: readonly TaskRecord[]): JoinDecision {
  if (allSucceeded(record, records)) return runs;
  return decideJoin(
    record.definition.trigger,
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
}

function allSucceeded(record: TaskRecord, records: readonly TaskRecord[]): boolean {
  for (const index of record.parents) if ((records[index] as TaskRecord).status !== 'succeeded') return false;
  return true;
}

/**
 * Decides whether a task whose parents have all settled runs. A failed parent with
 * `continueOnError` counts as succeeded; a parent skipped because of a failure counts as failed,
 * so a failure skips the whole branch below it (except under `all_done`).
 */
export function decideJoin(trigger: Trigger, parents: readonly ParentState[]): JoinDecision {
  if (trigger === 'all_done') return { run: true };
  let anySuccess = false;
  let failed: ParentState | undefined;
  let other: ParentState | undefined;
  for (const parent of parents) {
    const kind = kindOf(parent);
    if (kind === 'success') anySuccess = true;
    else if (kind === 'failed') failed ??= parent;
    else if (trigger === 'all_success' || kind === 'cancelled') other ??= parent;
  }
  if (trigger === 'one_success') {
    if (anySuccess || parents.length === 0) return { run: true };
    if (failed !== undefined) return failure(failed, 'no parent succeeded: ');
    return {
      run: false,
      cause: 'trigger_not_met',
      reason: 'no parent succeeded (trigger one_success)',
      failedRoot: undefined,
    };
  }
  if (failed !== undefined) return failure(failed, '');
  if (other !== undefined) {
    const how = other.status === 'cancelled' ? 'was cancelled' : 'was skipped';
    return {
      run: false,
      cause: 'trigger_not_met',
      reason: `parent "${other.id}" ${how} (trigger ${trigger})`,
      failedRoot: undefined,
    };
  }
  return { run: true };
}

function kindOf(parent: ParentState): Kind {
  switch (parent.status) {
    case 'succeeded':
      return 'success';
    case 'failed':
      return parent.continueOnError ? 'success' : 'failed';
    case 'skipped':
      return parent.failedRoot === undefined ? 'skipped' : 'failed';
    case 'cancelled':
      return 'cancelled';
  }
}

function failure(parent: ParentState, prefix: string): JoinDecision {
  const root = parent.failedRoot ?? parent.id;
  const reason =
    parent.failedRoot === undefined
      ? `${prefix}parent "${parent.id}" failed`
      : `${prefix}parent "${parent.id}" was skipped because "${root}" failed`;
  return { run: false, cause: 'upstream_failed', reason, failedRoot: root };
}
