// Throttle levels from utilisation, and who is admitted at each level, end to end through the tracker.
import { afterEach, describe, expect, it } from 'vitest';
import { defaultThrottleThresholds } from '../../src/config/budgets.ts';
import { admitsPriority, type ThrottleLevel, throttleLevelFor } from '../../src/cost/throttle.ts';
import { subscribeCostTracker } from '../../src/cost/tracker.ts';
import type { Priority } from '../../src/events/vocabulary.ts';
import { budgets, fakeClock, ledgerOn, priceBook, quarterTokens, recordedBus, subject } from './support.ts';

describe('throttleLevelFor', () => {
  it.each([
    [0, 'NONE'],
    [0.6999, 'NONE'],
    [0.7, 'WARNING'],
    [0.7999, 'WARNING'],
    [0.8, 'SOFT'],
    [0.8999, 'SOFT'],
    [0.9, 'HARD'],
    [0.95, 'HARD'],
    [0.9501, 'CRITICAL'],
    [1, 'CRITICAL'],
    [1.5, 'CRITICAL'],
  ] as const)('%f -> %s', (utilisation, level) => {
    expect(throttleLevelFor(utilisation, defaultThrottleThresholds)).toBe(level);
  });
});

const utilisationOf: Record<ThrottleLevel, number> = {
  NONE: 0.5,
  WARNING: 0.75,
  SOFT: 0.85,
  HARD: 0.92,
  CRITICAL: 0.97,
};
const admitted: Record<ThrottleLevel, readonly Priority[]> = {
  NONE: ['low', 'normal', 'high', 'critical'],
  WARNING: ['low', 'normal', 'high', 'critical'],
  SOFT: ['normal', 'high', 'critical'],
  HARD: ['high', 'critical'],
  CRITICAL: ['critical'],
};
const cells = (Object.keys(admitted) as ThrottleLevel[]).flatMap((level) =>
  (['low', 'normal', 'high', 'critical'] as const).map((priority) => ({
    level,
    priority,
    decision: admitted[level].includes(priority) ? 'allowed' : 'throttled',
  })),
);

const limitMicroUsd = 100_000_000;
// 03:59:50 UTC: ten seconds before the hourly window frees.
const nearHourEnd = Date.UTC(2026, 10, 22, 3, 59, 50);

describe('admission by level and priority', () => {
  let dispose = () => {};
  afterEach(() => dispose());

  it.each(cells)('$level x $priority -> $decision', ({ level, priority, decision }) => {
    const clock = fakeClock(nearHourEnd);
    const config = budgets([
      { name: 'team-hourly', scope: 'global', window: 'hour', limitUsd: limitMicroUsd / 1e6 },
    ]);
    const { db, ledger } = ledgerOn(config, clock);
    const ref = { runId: 'earlier', taskId: 'spend', attempt: 1 };
    const spend = Math.round(limitMicroUsd * utilisationOf[level]);
    ledger.reserve({ ...ref, subject, priority: 'critical', amountMicroUsd: spend, tokens: 0 });
    ledger.settle({ ...ref, outcome: 'completed', costMicroUsd: spend, inputTokens: 1, outputTokens: 1 });
    const { bus, of } = recordedBus();
    dispose = subscribeCostTracker(bus, { db, priceBook, config, clock, countTokens: quarterTokens });
    bus.emit('ADMISSION_REQUESTED', {
      runId: 'run',
      taskId: 'task',
      attempt: 1,
      workflowId: 'wf',
      model: { id: 'small', provider: 'sim', tier: 1 },
      priority,
    });
    const [answer] = of('ADMISSION_DECIDED');
    expect(answer?.decision).toBe(decision);
    expect(answer?.level).toBe(level);
    expect(admitsPriority(level, priority)).toBe(decision === 'allowed');
    const throttled = of('TASK_THROTTLED');
    if (decision === 'throttled') {
      // Held back until the hourly window frees, ten seconds later by the fake clock.
      expect(answer?.retryAfterMs).toBe(10_000);
      expect(throttled).toEqual([
        { runId: 'run', taskId: 'task', attempt: 1, priority, level, retryAfterMs: 10_000 },
      ]);
    } else {
      expect(throttled).toEqual([]);
    }
    expect(of('THROTTLE_LEVEL_CHANGED').map((event) => event.to)).toEqual(level === 'NONE' ? [] : [level]);
  });

  it('asks a throttled task to come back at most every throttleRetryMs when the window is long', () => {
    const clock = fakeClock(Date.UTC(2026, 10, 22, 3, 0));
    const config = budgets([{ name: 'team-monthly', scope: 'global', window: 'month', limitUsd: 1 }]);
    const { ledger } = ledgerOn(config, clock);
    const ref = { runId: 'earlier', taskId: 'spend', attempt: 1 };
    ledger.reserve({ ...ref, subject, priority: 'critical', amountMicroUsd: 850_000, tokens: 0 });
    const result = ledger.reserve({
      runId: 'r',
      taskId: 't',
      attempt: 1,
      subject,
      priority: 'low',
      amountMicroUsd: 1,
      tokens: 0,
    });
    expect(result).toMatchObject({
      status: 'throttled',
      level: 'SOFT',
      retryAfterMs: config.throttleRetryMs,
      cause: 'level',
    });
  });

  it('admits the low-priority task once the window rolls over', () => {
    const clock = fakeClock(nearHourEnd);
    const config = budgets([{ name: 'team-hourly', scope: 'global', window: 'hour', limitUsd: 1 }]);
    const { ledger } = ledgerOn(config, clock);
    ledger.reserve({
      runId: 'a',
      taskId: 't',
      attempt: 1,
      subject,
      priority: 'critical',
      amountMicroUsd: 990_000,
      tokens: 0,
    });
    const request = {
      runId: 'b',
      taskId: 't',
      attempt: 1,
      subject,
      priority: 'low' as const,
      amountMicroUsd: 5_000,
      tokens: 0,
    };
    const held = ledger.reserve(request);
    expect(held).toMatchObject({ status: 'throttled', retryAfterMs: 10_000 });
    clock.advance(10_000);
    expect(ledger.reserve(request)).toMatchObject({ status: 'reserved', level: 'NONE' });
  });
});
