// The newest outcomes of a store, oldest first: what the learned planner fits on.
import { describe, expect, it } from 'vitest';
import {
  createMemoryOutcomeStore,
  createSqliteOutcomeStore,
  type OutcomeStore,
} from '../../src/learning/index.ts';
import { openStateDatabase } from '../../src/store/index.ts';
import { outcome } from './outcome-fixture.ts';

const stores: [string, () => OutcomeStore][] = [
  ['in memory', () => createMemoryOutcomeStore()],
  ['in the state database', () => createSqliteOutcomeStore(openStateDatabase(':memory:'))],
];

describe.each(stores)('an outcome store %s', (_, create) => {
  it('gives the newest outcomes, oldest first', () => {
    const store = create();
    for (let task = 0; task < 5; task += 1)
      store.record(outcome({ taskId: `t${task}`, recordedAt: 1000 + task }));
    expect(store.newest(2).map((record) => record.taskId)).toEqual(['t3', 't4']);
    expect(store.newest(10)).toHaveLength(5);
    expect(store.newest(0)).toEqual([]);
  });
});
