// Every throttle sentence, for each level; the other messages are pinned where they are produced.
import { describe, expect, it } from 'vitest';
import type { BudgetDefinition } from '../../src/config/budgets.ts';
import { formatDuration, formatUsd } from '../../src/cost/format.ts';
import type { BudgetReading } from '../../src/cost/ledger-types.ts';
import {
  budgetExceededMessage,
  levelThrottledReason,
  throttleChangedMessage,
} from '../../src/cost/messages.ts';

const budget: BudgetDefinition = {
  name: 'team-daily',
  scope: 'workflow',
  match: undefined,
  window: 'day',
  unit: 'usd',
  limit: 20_000_000,
  warnAt: 0.7,
};
const reading = (utilisation: number): BudgetReading => ({
  budget,
  scopeKey: 'code-review',
  period: '2026-11-22',
  spent: Math.round(budget.limit * utilisation),
  reserved: 0,
  utilisation,
  requested: 12_345,
});

describe('throttle messages', () => {
  it.each([
    [
      'SOFT',
      0.85,
      'low',
      'budget "team-daily" is at 85% (SOFT): normal priority and above run, so this low-priority task waits; asking again in 2m 5s',
    ],
    [
      'HARD',
      0.92,
      'normal',
      'budget "team-daily" is at 92% (HARD): only high and critical run, so this normal-priority task waits; asking again in 2m 5s',
    ],
    [
      'CRITICAL',
      0.97,
      'high',
      'budget "team-daily" is at 97% (CRITICAL): only critical runs, so this high-priority task waits; asking again in 2m 5s',
    ],
  ] as const)('a %s wait', (level, utilisation, priority, expected) => {
    expect(levelThrottledReason(reading(utilisation), level, priority, 125_000)).toBe(expected);
  });

  it.each([
    [
      'NONE',
      'WARNING',
      0.72,
      'Throttle NONE -> WARNING (budget "team-daily" at 72%): every task still runs.',
    ],
    [
      'WARNING',
      'SOFT',
      0.81,
      'Throttle WARNING -> SOFT (budget "team-daily" at 81%): low-priority tasks wait.',
    ],
    [
      'SOFT',
      'HARD',
      0.9,
      'Throttle SOFT -> HARD (budget "team-daily" at 90%): only high and critical tasks run.',
    ],
    [
      'HARD',
      'CRITICAL',
      0.96,
      'Throttle HARD -> CRITICAL (budget "team-daily" at 96%): only critical tasks run.',
    ],
    ['CRITICAL', 'NONE', 0.1, 'Throttle CRITICAL -> NONE (budget "team-daily" at 10%): every task runs.'],
  ] as const)('%s -> %s', (from, to, utilisation, expected) => {
    expect(throttleChangedMessage(from, to, reading(utilisation))).toBe(expected);
  });

  it('names a workflow budget by its workflow', () => {
    expect(budgetExceededMessage(reading(0.9995))).toMatchInlineSnapshot(
      `"Budget "team-daily" (workflow "code-review", day 2026-11-22) would be exceeded: limit $20.00, spent $19.99, reserved $0.00; this call needs up to $0.012345."`,
    );
  });
});

describe('amounts and durations', () => {
  it.each([
    [0, '$0.00'],
    [1, '$0.000001'],
    [12_300, '$0.0123'],
    [4_900_000, '$4.90'],
    [1_000_000_000, '$1,000.00'],
    [-2_500_000, '-$2.50'],
  ])('%i micro-USD reads %s', (microUsd, expected) => {
    expect(formatUsd(microUsd)).toBe(expected);
  });

  it.each([
    [950, '950ms'],
    [1_000, '1s'],
    [30_000, '30s'],
    [60_000, '1m'],
    [125_000, '2m 5s'],
    [3_600_000, '1h'],
    [11_100_000, '3h 5m'],
    [86_400_000, '1d'],
    [187_200_000, '2d 4h'],
  ])('%i ms reads %s', (ms, expected) => {
    expect(formatDuration(ms)).toBe(expected);
  });
});
