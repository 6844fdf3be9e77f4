// The cost tracker on a bus: admission answers, exactly-once booking, budget and throttle events,
// and every sentence it says, pinned.
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { BudgetsFile } from '../../src/config/budgets.ts';
import { subscribeCostTracker } from '../../src/cost/tracker.ts';
import type { EventPayload } from '../../src/events/events.ts';
import type { StateDatabase } from '../../src/store/index.ts';
import {
  budgets,
  fakeClock,
  ledgerOn,
  priceBook,
  quarterTokens,
  recordedBus,
  recordingLogger,
} from './support.ts';

const start = Date.UTC(2026, 10, 22, 3, 15);
const key = { runId: 'run-1', taskId: 'plan', attempt: 1 };
const small = { id: 'small', provider: 'sim', tier: 1 as const };

function setUp(
  entries: BudgetsFile['budgets'] = [
    { name: 'session-hourly-usd', scope: 'session', window: 'hour', limitUsd: 1 },
  ],
  settleOnEvents = true,
) {
  const clock = fakeClock(start);
  const config = budgets(entries);
  const { db, ledger } = ledgerOn(config, clock);
  const recorded = recordedBus();
  const logger = recordingLogger();
  const dispose = subscribeCostTracker(recorded.bus, {
    db,
    priceBook,
    config,
    clock,
    logger,
    countTokens: quarterTokens,
    settleOnEvents,
  });
  return { ...recorded, db, ledger, logger, dispose, clock };
}

function invoke(bus: ReturnType<typeof recordedBus>['bus'], text = 'x'.repeat(4_000), sessionId?: string) {
  bus.emit('AGENT_INVOKED', {
    ...key,
    workflowId: 'wf',
    agent: 'llm',
    priority: 'normal',
    text,
    contextChars: text.length,
    hints: {},
    excludeModels: [],
    ...(sessionId === undefined ? {} : { sessionId }),
  });
}

function admit(
  bus: ReturnType<typeof recordedBus>['bus'],
  extra: Partial<EventPayload<'ADMISSION_REQUESTED'>> = {},
) {
  bus.emit('ADMISSION_REQUESTED', { ...key, workflowId: 'wf', model: small, priority: 'normal', ...extra });
}

function complete(
  bus: ReturnType<typeof recordedBus>['bus'],
  usage: EventPayload<'AGENT_COMPLETED'>['usage'],
  costMicroUsd: number,
  costEstimated = false,
) {
  bus.emit('AGENT_COMPLETED', {
    ...key,
    agent: 'llm',
    model: small,
    usage,
    costMicroUsd,
    costEstimated,
    latencyMs: 5,
    simulated: true,
  });
}

const ledgerRows = (db: StateDatabase) =>
  db.prepare('SELECT * FROM ledger').all() as Record<string, unknown>[];
const reservedTotal = (db: StateDatabase) =>
  (
    db.prepare('SELECT COALESCE(SUM(reserved), 0) AS reserved FROM budget_counters').get() as {
      reserved: number;
    }
  ).reserved;

let cleanup = () => {};
afterEach(() => cleanup());

describe('admission', () => {
  it('reserves the tokenizer estimate at the catalog price and says so', () => {
    const { bus, of, dispose } = setUp();
    cleanup = dispose;
    invoke(bus);
    admit(bus);
    const [answer] = of('ADMISSION_DECIDED');
    // 1,000 input tokens x $1/M + 1,000 expected output tokens x $2/M = 3,000 micro-USD.
    expect(answer).toMatchObject({ decision: 'allowed', reservedMicroUsd: 3_000, level: 'NONE' });
    expect(answer?.reason).toMatchInlineSnapshot(
      `"reserved $0.003 (1,000 input + 1,000 output tokens on "small"); throttle NONE, tightest budget "session-hourly-usd" at 0%"`,
    );
  });

  it('never reserves less than the router estimated', () => {
    const { bus, of, dispose } = setUp();
    cleanup = dispose;
    invoke(bus);
    admit(bus, { estimatedCostMicroUsd: 9_999 });
    expect(of('ADMISSION_DECIDED')[0]?.reservedMicroUsd).toBe(9_999);
  });

  it('estimates an unknown model at the highest price of its tier, with a warning', () => {
    const { bus, of, logger, dispose } = setUp();
    cleanup = dispose;
    invoke(bus);
    admit(bus, { model: { id: 'mystery', provider: 'sim', tier: 1 } });
    // Highest tier-1 prices: $3/M in, $4/M out -> 3,000 + 4,000.
    expect(of('ADMISSION_DECIDED')[0]?.reservedMicroUsd).toBe(7_000);
    expect(
      logger.lines.filter((line) => line.level === 'warn').map((line) => line.message),
    ).toMatchInlineSnapshot(`
      [
        "no price for model "mystery"; estimating at the highest tier-1 price ($3.00/MTok in, $4.00/MTok out)",
      ]
    `);
  });

  it('refuses a model with no price and no priced model in its tier', () => {
    const { bus, of, dispose } = setUp();
    cleanup = dispose;
    admit(bus, { model: { id: 'mystery', provider: 'sim', tier: 3 } });
    expect(of('ADMISSION_DECIDED')[0]).toMatchObject({ decision: 'blocked', budget: 'price' });
    expect(of('ADMISSION_DECIDED')[0]?.reason).toMatchInlineSnapshot(
      `"no price for model "mystery" nor for any tier-3 model in the catalog; refusing the call rather than guessing its cost"`,
    );
  });

  it('blocks a call that would exceed a budget, naming it', () => {
    const { bus, of, ledger, dispose } = setUp();
    cleanup = dispose;
    const earlier = { runId: 'run-1', taskId: 'earlier', attempt: 1 };
    const subject = { sessionId: 'run-1', workflowId: 'wf', category: undefined, modelId: 'small' };
    ledger.reserve({ ...earlier, subject, priority: 'critical', amountMicroUsd: 999_000, tokens: 0 });
    ledger.settle({
      ...earlier,
      outcome: 'completed',
      costMicroUsd: 998_000,
      inputTokens: 1,
      outputTokens: 1,
    });
    invoke(bus);
    admit(bus, { priority: 'critical' });
    const [exceeded] = of('BUDGET_EXCEEDED');
    expect(exceeded).toMatchObject({
      budget: 'session-hourly-usd',
      unit: 'usd',
      limit: 1_000_000,
      spent: 998_000,
      reserved: 0,
      taskId: 'plan',
    });
    expect(exceeded?.message).toMatchInlineSnapshot(
      `"Budget "session-hourly-usd" (session "run-1", hour 2026-11-22T03) would be exceeded: limit $1.00, spent $0.998, reserved $0.00; this call needs up to $0.003."`,
    );
    expect(of('ADMISSION_DECIDED')[0]).toMatchObject({
      decision: 'blocked',
      budget: 'session-hourly-usd',
      reason: exceeded?.message,
    });
  });

  it('says when a call needs more than a whole budget', () => {
    const { bus, of, dispose } = setUp([{ name: 'tiny', scope: 'global', window: 'day', limitTokens: 100 }]);
    cleanup = dispose;
    invoke(bus);
    admit(bus, { priority: 'critical' });
    expect(of('BUDGET_EXCEEDED')[0]?.message).toMatchInlineSnapshot(
      `"Budget "tiny" (global, day 2026-11-22) would be exceeded: limit 100 tokens, spent 0 tokens, reserved 0 tokens; this call needs up to 2,000 tokens, more than the whole limit."`,
    );
  });

  it('holds a call back while calls in flight hold the rest of the budget', () => {
    const { bus, of, ledger, dispose } = setUp();
    cleanup = dispose;
    const subject = { sessionId: 'run-1', workflowId: 'wf', category: undefined, modelId: 'small' };
    ledger.reserve({
      runId: 'run-1',
      taskId: 'other',
      attempt: 1,
      subject,
      priority: 'critical',
      amountMicroUsd: 998_000,
      tokens: 0,
    });
    invoke(bus);
    admit(bus, { priority: 'critical' });
    expect(of('ADMISSION_DECIDED')[0]).toMatchObject({ decision: 'throttled', retryAfterMs: 1_000 });
    expect(of('ADMISSION_DECIDED')[0]?.reason).toMatchInlineSnapshot(
      `"budget "session-hourly-usd" has $0.998 of $1.00 spent or held by calls in flight, and this call needs up to $0.003; asking again in 1s"`,
    );
    expect(of('TASK_THROTTLED')).toEqual([
      { ...key, priority: 'critical', level: 'CRITICAL', retryAfterMs: 1_000 },
    ]);
  });

  it('explains a throttle by level', () => {
    const { bus, of, ledger, dispose } = setUp();
    cleanup = dispose;
    const subject = { sessionId: 'run-1', workflowId: 'wf', category: undefined, modelId: 'small' };
    ledger.reserve({
      runId: 'run-1',
      taskId: 'other',
      attempt: 1,
      subject,
      priority: 'critical',
      amountMicroUsd: 850_000,
      tokens: 0,
    });
    invoke(bus);
    admit(bus, { priority: 'low' });
    expect(of('ADMISSION_DECIDED')[0]?.reason).toMatchInlineSnapshot(
      `"budget "session-hourly-usd" is at 85% (SOFT): normal priority and above run, so this low-priority task waits; asking again in 30s"`,
    );
    expect(of('THROTTLE_LEVEL_CHANGED')).toEqual([
      {
        runId: 'run-1',
        from: 'NONE',
        to: 'SOFT',
        budget: 'session-hourly-usd',
        utilisation: 0.85,
        message: 'Throttle NONE -> SOFT (budget "session-hourly-usd" at 85%): low-priority tasks wait.',
      },
    ]);
  });

  it('warns once per budget period when a reservation reaches warnAt', () => {
    const { bus, of, ledger, dispose } = setUp([
      { name: 'monthly', scope: 'global', window: 'month', limitUsd: 0.01, warnAt: 0.8 },
    ]);
    cleanup = dispose;
    const subject = { sessionId: 's', workflowId: 'wf', category: undefined, modelId: 'small' };
    ledger.reserve({
      runId: 'x',
      taskId: 'other',
      attempt: 1,
      subject,
      priority: 'critical',
      amountMicroUsd: 5_500,
      tokens: 0,
    });
    invoke(bus);
    admit(bus);
    bus.emit('ADMISSION_REQUESTED', {
      ...key,
      attempt: 2,
      workflowId: 'wf',
      model: small,
      priority: 'normal',
    });
    expect(of('BUDGET_WARNING')).toHaveLength(1);
    expect(of('BUDGET_WARNING')[0]).toMatchObject({
      budget: 'monthly',
      utilisation: 0.85,
      period: '2026-11',
      scopeKey: '',
    });
    expect(of('BUDGET_WARNING')[0]?.message).toMatchInlineSnapshot(
      `"Budget "monthly" (global, month 2026-11) is at 85%: $0.0085 of $0.01 spent or reserved."`,
    );
  });

  it('budgets a call under its session, else under its run', () => {
    const { bus, db, dispose } = setUp();
    cleanup = dispose;
    invoke(bus, 'short', 'team-a');
    admit(bus);
    bus.emit('ADMISSION_REQUESTED', {
      ...key,
      taskId: 'other',
      workflowId: 'wf',
      model: small,
      priority: 'normal',
    });
    const keys = db
      .prepare('SELECT scope_key AS key FROM budget_counters ORDER BY key')
      .all()
      .map((row) => row.key);
    expect(keys).toEqual(['run-1', 'team-a']);
  });

  it('refuses the call when the ledger cannot be written', () => {
    const { bus, of, db, dispose } = setUp();
    cleanup = dispose;
    db.close();
    admit(bus);
    expect(of('ADMISSION_DECIDED')[0]).toMatchObject({ decision: 'blocked', budget: 'state' });
    expect(of('ADMISSION_DECIDED')[0]?.reason).toMatchInlineSnapshot(
      `"the cost ledger could not be updated (database is not open); refusing the call rather than spending unrecorded money"`,
    );
  });
});

describe('settlement', () => {
  it('books the reported cost once, with the all-strongest baseline, and frees the reservation', () => {
    const { bus, db, of, dispose } = setUp();
    cleanup = dispose;
    invoke(bus);
    admit(bus);
    complete(bus, { inputTokens: 800, outputTokens: 400 }, 1_600);
    complete(bus, { inputTokens: 800, outputTokens: 400 }, 1_600);
    expect(ledgerRows(db)).toEqual([
      expect.objectContaining({
        cost_micro_usd: 1_600,
        estimated: 0,
        input_tokens: 800,
        output_tokens: 400,
        reserved_micro_usd: 3_000,
        baseline_micro_usd: 42_000,
        outcome: 'completed',
      }),
    ]);
    expect(reservedTotal(db)).toBe(0);
    expect(of('SUBSCRIBER_FAILED')).toEqual([]);
  });

  it('books the reserved amount, flagged estimated, when usage is unknown', () => {
    const { bus, db, dispose } = setUp();
    cleanup = dispose;
    invoke(bus);
    admit(bus);
    bus.emit('AGENT_FAILED', {
      ...key,
      agent: 'llm',
      model: small,
      error: { code: 'PROVIDER_ABORTED', message: 'aborted' },
      retryable: true,
      willRetry: false,
      usage: {},
      costMicroUsd: 0,
      costEstimated: true,
      latencyMs: 5,
      simulated: true,
    });
    expect(ledgerRows(db)).toEqual([
      expect.objectContaining({ cost_micro_usd: 3_000, estimated: 1, outcome: 'failed', input_tokens: null }),
    ]);
  });

  it('books nothing for an attempt that never reached a model', () => {
    const { bus, db, dispose } = setUp();
    cleanup = dispose;
    bus.emit('AGENT_COMPLETED', {
      ...key,
      agent: 'shell',
      usage: {},
      costMicroUsd: 0,
      costEstimated: false,
      latencyMs: 1,
      simulated: false,
    });
    expect(ledgerRows(db)).toEqual([]);
  });

  it('leaves booking to the journal when settleOnEvents is off', () => {
    const { bus, db, dispose } = setUp(undefined, false);
    cleanup = dispose;
    invoke(bus);
    admit(bus);
    complete(bus, { inputTokens: 1, outputTokens: 1 }, 3);
    expect(ledgerRows(db)).toEqual([]);
    expect(reservedTotal(db)).toBe(3_000);
  });

  it('answers a re-admission of a booked attempt with a refusal', () => {
    const { bus, of, dispose } = setUp();
    cleanup = dispose;
    invoke(bus);
    admit(bus);
    complete(bus, { inputTokens: 1, outputTokens: 1 }, 3);
    admit(bus);
    expect(of('ADMISSION_DECIDED')[1]?.reason).toMatchInlineSnapshot(
      `"attempt 1 of task "plan" is already booked in the ledger; it is not admitted twice"`,
    );
  });

  it('leaves no listener behind once disposed', () => {
    const { bus, dispose } = setUp();
    const before = bus.totalListenerCount();
    dispose();
    dispose();
    expect(before - bus.totalListenerCount()).toBe(8);
  });
});

describe('leases', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('renews the lease of calls still in flight, so only a dead process loses its reservations', () => {
    vi.useFakeTimers();
    const { bus, db, clock, dispose } = setUp();
    cleanup = dispose;
    invoke(bus);
    admit(bus);
    const lease = () =>
      (db.prepare('SELECT lease_expires_at AS at FROM reservations').get() as { at: number }).at;
    const first = lease();
    expect(first).toBe(start + 600_000);
    clock.advance(200_000);
    vi.advanceTimersByTime(200_000);
    expect(lease()).toBe(start + 200_000 + 600_000);
  });

  it('forgets a run’s attempts when the run ends', () => {
    const { bus, db, dispose } = setUp();
    cleanup = dispose;
    invoke(bus);
    admit(bus);
    bus.emit('WORKFLOW_COMPLETED', {
      runId: 'run-1',
      workflowId: 'wf',
      durationMs: 1,
      succeeded: 1,
      failed: 0,
      skipped: 0,
      cancelled: 0,
    });
    // Without the remembered estimate the settlement falls back to the reservation, still booked once.
    complete(bus, {}, 0, true);
    expect(ledgerRows(db)).toEqual([expect.objectContaining({ cost_micro_usd: 3_000, estimated: 1 })]);
  });
});
