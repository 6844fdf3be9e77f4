import { describe, expect, it } from 'vitest';
import { type TierField, tierRangeOf, tierRangeProblem } from '../../src/workflow/tier.ts';

describe('tierRangeOf', () => {
  it.each<[TierField, ReturnType<typeof tierRangeOf>]>([
    [0, { min: 0, max: 4, start: 0 }],
    [3, { min: 3, max: 4, start: 3 }],
    ['weak', { min: 1, max: 4, start: 1 }],
    ['base', { min: 2, max: 4, start: 2 }],
    ['strong', { min: 4, max: 4, start: 4 }],
    [
      { min: 'base', max: 'strong' },
      { min: 2, max: 4 },
    ],
    [{ max: 'weak' }, { min: 0, max: 1 }],
    [
      { min: 1, start: 'base' },
      { min: 1, max: 4, start: 2 },
    ],
    [{}, { min: 0, max: 4 }],
  ])('%j is the window %j', (field, range) => {
    expect(tierRangeOf(field)).toEqual(range);
  });

  it.each([
    [{ min: 4, max: 1 }, 'tier.min 4 is above tier.max 1'],
    [{ min: 1, max: 2, start: 3 }, 'tier.start 3 is outside tier.min 1 .. tier.max 2'],
    [{ min: 1, max: 2, start: 0 }, 'tier.start 0 is outside tier.min 1 .. tier.max 2'],
    [{ min: 2, max: 2, start: 2 }, undefined],
  ] as const)('%j: %s', (range, problem) => {
    expect(tierRangeProblem(range)).toBe(problem);
  });
});
