import { describe, expect, it } from 'vitest';
import type { ThrottleLevel } from '../../src/config/routing.ts';
import type { Tier, TierRange } from '../../src/events/vocabulary.ts';
import { describeTiers, tierWindow } from '../../src/routing/tier-window.ts';

type Row = [
  string,
  Tier[],
  TierRange | undefined,
  Tier | undefined,
  number,
  ThrottleLevel,
  Tier | undefined,
  Tier[],
];

describe('tierWindow', () => {
  it.each<Row>([
    ['the category tiers by default', [1, 2], undefined, undefined, 1, 'NONE', undefined, [1, 2]],
    ['a task range narrows them', [1, 2], { min: 2, max: 4 }, undefined, 1, 'NONE', undefined, [2]],
    ['a disjoint task range clamps them', [1], { min: 3, max: 4 }, undefined, 1, 'NONE', undefined, [3]],
    [
      'tier.start holds for the first attempt',
      [1, 2],
      { min: 1, max: 4, start: 3 },
      undefined,
      1,
      'NONE',
      undefined,
      [3],
    ],
    [
      'tier.start is gone on a retry',
      [1, 2],
      { min: 1, max: 4, start: 3 },
      undefined,
      2,
      'NONE',
      undefined,
      [1, 2],
    ],
    ['a requested tier replaces the window', [1], undefined, 3, 2, 'NONE', undefined, [3]],
    ['a requested tier stays within the task range', [1], { min: 1, max: 2 }, 4, 2, 'NONE', undefined, [2]],
    ['a throttle cap removes tiers above it', [3, 4], undefined, undefined, 1, 'HARD', 3, [3]],
    ['a throttle cap below every tier moves to the cap', [3, 4], undefined, undefined, 1, 'CRITICAL', 1, [1]],
    ['the task minimum wins over the throttle', [3, 4], { min: 3, max: 4 }, undefined, 1, 'CRITICAL', 1, [3]],
    ['no cap at NONE', [3, 4], undefined, undefined, 1, 'NONE', 1, [3, 4]],
  ])('%s', (_rule, categoryTiers, task, requestedTier, attempt, throttle, throttleCap, expected) => {
    const window = tierWindow({ categoryTiers, task, requestedTier, attempt, throttle, throttleCap });
    expect(window.tiers).toEqual(expected);
    expect(window.allowed.flatMap((allowed, tier) => (allowed ? [tier] : []))).toEqual(expected);
  });

  it('says what moved the window', () => {
    const window = tierWindow({
      categoryTiers: [1, 2],
      task: { min: 2, max: 4 },
      requestedTier: 4,
      attempt: 3,
      throttle: 'HARD',
      throttleCap: 2,
    });
    expect(window.notes).toMatchInlineSnapshot(`
      [
        "task tier 2-4 gives tier 2",
        "tier 4 requested by the tier upgrade after attempt 2 failed",
        "throttle HARD caps tiers at 2",
      ]
    `);
  });
});

describe('describeTiers', () => {
  it.each([
    [[2], 'tier 2'],
    [[1, 2, 3], 'tiers 1-3'],
    [[1, 3], 'tiers 1, 3'],
  ] as [Tier[], string][])('%j reads %s', (tiers, text) => {
    expect(describeTiers(tiers)).toBe(text);
  });
});
