import { describe, expect, it } from 'vitest';
import { parseDuration } from '../../src/workflow/duration.ts';

describe('parseDuration', () => {
  it.each([
    ['500ms', 500],
    ['30s', 30_000],
    ['1.5s', 1500],
    ['2m', 120_000],
    ['1h', 3_600_000],
    ['1h30m', 5_400_000],
    ['1d', 86_400_000],
    [' 2m 5s ', 125_000],
    [0, 0],
    [2500, 2500],
  ] as const)('%j is %i ms', (value, ms) => {
    expect(parseDuration(value)).toBe(ms);
  });

  it.each([['soon'], ['10'], ['5 minutes'], ['-1s'], ['1.5'], [''], [-5], [1.5]] as const)(
    '%j is not a duration',
    (value) => {
      expect(parseDuration(value)).toBeUndefined();
    },
  );
});
