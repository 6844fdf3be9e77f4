import { describe, expect, it } from 'vitest';
import { createHashTable, hashKey, hashWord, tableGet } from '../../src/routing/hash-table.ts';

describe('hash tables of word hashes', () => {
  it('finds every key it holds and nothing else, also when keys share a slot', () => {
    // Keys 1, 17, 33 and 49 land in the same slot of a 16-slot table.
    const table = createHashTable<string>(
      [
        [1, 'a'],
        [17, 'b'],
        [33, 'c'],
        [49, 'd'],
        [2, 'e'],
      ],
      (x, y) => x + y,
    );
    expect([1, 17, 33, 49, 2].map((key) => tableGet(table, key))).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(tableGet(table, 65)).toBeUndefined();
    expect(tableGet(table, 3)).toBeUndefined();
  });

  it('merges values under one key', () => {
    const table = createHashTable<string[]>(
      [
        [5, ['x']],
        [5, ['y']],
      ],
      (a, b) => [...a, ...b],
    );
    expect(tableGet(table, 5)).toEqual(['x', 'y']);
  });

  it('keeps keys small positive integers', () => {
    for (const hash of [0, -1, 2 ** 31 - 1, -(2 ** 31), 123_456_789]) {
      const key = hashKey(hash);
      expect(key).toBeGreaterThan(0);
      expect(key).toBeLessThanOrEqual(2 ** 29);
    }
    expect(hashWord('refactor', 3)).toBe(hashWord('ref'));
  });
});
