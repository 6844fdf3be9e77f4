// Reports from the ledger: totals by dimension, savings, one run's summary, budgets and forecasts.
import { describe, expect, it } from 'vitest';
import { budgetStatus, forecast } from '../../src/cost/budget-status.ts';
import type { Ledger } from '../../src/cost/ledger.ts';
import { costReport, runCostSummary, savingsPct } from '../../src/cost/report.ts';
import { formatBudgetStatus, formatCostReport } from '../../src/cost/report-format.ts';
import { parseSince } from '../../src/cost/since.ts';
import { OrchestratorError } from '../../src/errors.ts';
import { budgets, fakeClock, ledgerOn } from './support.ts';

const day1 = Date.UTC(2026, 10, 20, 9, 0);
const day2 = Date.UTC(2026, 10, 21, 14, 30);

type Call = {
  run: string;
  task: string;
  model: string;
  category: string;
  session: string;
  cost: number | undefined;
  baseline: number;
  input: number;
  output: number;
};

const calls: Call[] = [
  {
    run: 'r1',
    task: 'scout',
    model: 'small',
    category: 'FAST',
    session: 'alice',
    cost: 1_200,
    baseline: 30_000,
    input: 1_000,
    output: 100,
  },
  {
    run: 'r1',
    task: 'plan',
    model: 'strong',
    category: 'COMPLEX',
    session: 'alice',
    cost: 45_000,
    baseline: 45_000,
    input: 2_000,
    output: 200,
  },
  {
    run: 'r1',
    task: 'build',
    model: 'small',
    category: 'NORMAL',
    session: 'alice',
    cost: undefined,
    baseline: 20_000,
    input: 0,
    output: 0,
  },
  {
    run: 'r2',
    task: 'scout',
    model: 'small',
    category: 'FAST',
    session: 'bob',
    cost: 800,
    baseline: 24_000,
    input: 700,
    output: 80,
  },
];

function populate(ledger: Ledger, clock: ReturnType<typeof fakeClock>): void {
  calls.forEach((call, index) => {
    clock.set(call.run === 'r1' ? day1 + index * 60_000 : day2);
    const ref = { runId: call.run, taskId: call.task, attempt: 1 };
    const subject = {
      sessionId: call.session,
      workflowId: 'scout-plan-build',
      category: call.category,
      modelId: call.model,
    };
    ledger.reserve({ ...ref, subject, priority: 'normal', amountMicroUsd: 5_000, tokens: 3_000 });
    ledger.settle({
      ...ref,
      outcome: 'completed',
      costMicroUsd: call.cost,
      inputTokens: call.cost === undefined ? undefined : call.input,
      outputTokens: call.cost === undefined ? undefined : call.output,
      baselineMicroUsd: call.baseline,
    });
  });
}

const config = budgets([
  { name: 'global-monthly-usd', scope: 'global', window: 'month', limitUsd: 0.1 },
  { name: 'session-daily-tokens', scope: 'session', window: 'day', limitTokens: 10_000 },
  {
    name: 'category-fast-monthly',
    scope: 'category',
    match: 'FAST',
    window: 'month',
    limitUsd: 50,
    warnAt: 0.8,
  },
]);

function populated() {
  const clock = fakeClock(day1);
  const { db, ledger } = ledgerOn(config, clock);
  populate(ledger, clock);
  return { db, ledger, clock };
}

describe('costReport', () => {
  it('sums calls, tokens, cost and baseline by model, with savings', () => {
    const { db } = populated();
    const report = costReport(db, { sinceMs: day1 - 1, untilMs: day2 + 1, by: 'model' });
    expect(
      report.rows.map((row) => [row.key, row.calls, row.costMicroUsd, row.baselineMicroUsd, row.savingsPct]),
    ).toEqual([
      ['strong', 1, 45_000, 45_000, 0],
      // The call with unknown usage is booked at its 5,000 micro-USD reservation.
      ['small', 3, 7_000, 74_000, 90.5],
    ]);
    expect(report.total).toMatchObject({
      key: 'total',
      calls: 4,
      estimatedCalls: 1,
      costMicroUsd: 52_000,
      baselineMicroUsd: 119_000,
      inputTokens: 3_700,
      outputTokens: 380,
    });
  });

  it('groups by day in date order and leaves out calls before --since', () => {
    const { db } = populated();
    const byDay = costReport(db, { sinceMs: day1 - 1, untilMs: day2 + 1, by: 'day' });
    expect(byDay.rows.map((row) => [row.key, row.calls])).toEqual([
      ['2026-11-20', 3],
      ['2026-11-21', 1],
    ]);
    const recent = costReport(db, { sinceMs: day2 - 1, untilMs: day2 + 1, by: 'session' });
    expect(recent.rows.map((row) => [row.key, row.costMicroUsd])).toEqual([['bob', 800]]);
  });

  it('reads as a table with the baseline explained', () => {
    const { db } = populated();
    const text = formatCostReport(
      costReport(db, { sinceMs: day1 - 3_600_000, untilMs: day2 + 1, by: 'category' }),
      '.tierflow/state.db',
    );
    expect(text).toMatchInlineSnapshot(`
      "Spend since 2026-11-20 08:00 UTC by category (.tierflow/state.db)

      category  calls  input tokens  output tokens     cost  all-strongest  savings
      COMPLEX       1         2,000            200  $0.0450        $0.0450     0.0%
      NORMAL        1             0              0  $0.0050        $0.0200    75.0%
      FAST          2         1,700            180  $0.0020        $0.0540    96.3%
      total         4         3,700            380  $0.0520        $0.1190    56.3%

      1 call had no reported usage and is booked at the reserved amount.

      all-strongest: the same calls priced on the strongest model of the catalog."
    `);
  });

  it('says so when nothing was booked', () => {
    const { db } = populated();
    expect(
      formatCostReport(costReport(db, { sinceMs: day2 + 1, untilMs: day2 + 2, by: 'model' }), 'state.db'),
    ).toMatchInlineSnapshot(`"No calls booked since 2026-11-21 14:30 UTC in state.db."`);
  });

  it.each([
    [0, 0, 0],
    [50, 100, 50],
    [1, 3, 66.7],
    [120, 100, -20],
  ])('savings of %i against %i is %f%%', (cost, baseline, expected) => {
    expect(savingsPct(cost, baseline)).toBe(expected);
  });
});

describe('runCostSummary', () => {
  it('fills a run summary from exact micro-USD sums', () => {
    const { db } = populated();
    expect(runCostSummary(db, 'r1')).toEqual({
      totalUsd: 0.0512,
      baselineUsd: 0.095,
      totalMicroUsd: 51_200,
      baselineMicroUsd: 95_000,
      savingsPct: 46.1,
      tasks: {
        build: { costUsd: 0.005, inputTokens: 0, outputTokens: 0, estimated: true },
        plan: { costUsd: 0.045, inputTokens: 2_000, outputTokens: 200, estimated: false },
        scout: { costUsd: 0.0012, inputTokens: 1_000, outputTokens: 100, estimated: false },
      },
    });
    expect(runCostSummary(db, 'unknown')).toEqual({
      totalUsd: 0,
      baselineUsd: 0,
      totalMicroUsd: 0,
      baselineMicroUsd: 0,
      savingsPct: 0,
      tasks: {},
    });
  });
});

describe('budgetStatus', () => {
  it('lists each budget period with spent, reserved, level and the monthly forecast', () => {
    const { db, ledger, clock } = populated();
    clock.set(day2 + 60_000);
    const subject = { sessionId: 'bob', workflowId: 'wf', category: 'FAST', modelId: 'small' };
    ledger.reserve({
      runId: 'r3',
      taskId: 't',
      attempt: 1,
      subject,
      priority: 'normal',
      amountMicroUsd: 2_000,
      tokens: 6_000,
    });
    const rows = budgetStatus(db, config, clock.now());
    expect(
      rows.map((row) => [
        row.budget,
        row.scopeKey,
        row.period,
        row.spent,
        row.reserved,
        row.level,
        row.forecast?.kind,
      ]),
    ).toEqual([
      ['global-monthly-usd', '', '2026-11', 52_000, 2_000, 'NONE', 'lasts'],
      ['session-daily-tokens', 'bob', '2026-11-21', 780, 6_000, 'NONE', undefined],
      ['category-fast-monthly', 'FAST', '2026-11', 2_000, 2_000, 'NONE', 'lasts'],
    ]);
    expect(formatBudgetStatus(rows)).toMatchInlineSnapshot(`
      "budget                 scope          period            spent   reserved       limit  used  level  runs out
      global-monthly-usd     global         month 2026-11   $0.0520    $0.0020     $0.1000   54%  NONE   lasts the month ($0.0025/day)
      session-daily-tokens   session bob    day 2026-11-21  780 tok  6,000 tok  10,000 tok   67%  NONE
      category-fast-monthly  category FAST  month 2026-11   $0.0020    $0.0020    $50.0000    0%  NONE   lasts the month ($0.0001/day)

      runs out: when a monthly budget is spent if this month's average rate goes on."
    `);
  });

  it('shows an idle budget once, with nothing spent', () => {
    const { db } = ledgerOn(config, fakeClock(day1));
    expect(
      budgetStatus(db, config, day1).map((row) => [row.budget, row.scopeKey, row.spent, row.forecast?.kind]),
    ).toEqual([
      ['global-monthly-usd', '', 0, 'no-spend'],
      ['session-daily-tokens', undefined, 0, undefined],
      ['category-fast-monthly', 'FAST', 0, 'no-spend'],
    ]);
  });

  it.each([
    ['halfway through the month, half spent: lasts', 500, 0, { kind: 'lasts' }],
    [
      'halfway, three quarters spent: runs out on the 20th',
      750,
      0,
      { kind: 'runs-out', atMs: Date.UTC(2026, 10, 21) },
    ],
    ['already over: runs out now', 900, 200, { kind: 'runs-out', atMs: Date.UTC(2026, 10, 16) }],
  ])('%s', (_, spent, reserved, expected) => {
    const now = Date.UTC(2026, 10, 16); // 15 of 30 days gone
    expect(forecast({ window: 'month', limit: 1_000 }, spent, reserved, now)).toMatchObject(expected);
  });
});

describe('parseSince', () => {
  const now = Date.UTC(2026, 10, 22, 12, 0);
  it.each([
    ['30m', now - 1_800_000],
    ['24h', now - 86_400_000],
    ['7d', now - 7 * 86_400_000],
    ['2w', now - 14 * 86_400_000],
    ['2026-11-01', Date.UTC(2026, 10, 1)],
    ['2026-11-01T08:30', Date.UTC(2026, 10, 1, 8, 30)],
    ['2026-11-01T08:30+02:00', Date.UTC(2026, 10, 1, 6, 30)],
  ])('%s', (text, expected) => {
    expect(parseSince(text, now)).toBe(expected);
  });

  it('rejects anything else, saying what it expected', () => {
    let error: unknown;
    try {
      parseSince('last week', now);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(OrchestratorError);
    expect((error as OrchestratorError).code).toBe('CLI_INVALID_ARGUMENT');
    expect((error as OrchestratorError).message).toMatchInlineSnapshot(
      `"--since "last week" is neither a duration nor a date; expected e.g. 30m, 24h, 7d, 2w or 2026-11-01."`,
    );
  });
});

describe('the baseline of an estimated booking', () => {
  it('is at least what was booked, so a cut-off call never shows negative savings', () => {
    const clock = fakeClock(day1);
    const { db, ledger } = ledgerOn(config, clock);
    const ref = { runId: 'r9', taskId: 'review', attempt: 1 };
    const subject = { sessionId: 's', workflowId: 'w', category: 'FAST', modelId: 'small' };
    ledger.reserve({ ...ref, subject, priority: 'normal', amountMicroUsd: 18_000, tokens: 1_000 });
    // Cancelled mid-stream: 85 input tokens known, priced on the strongest model at 1,300 micro-USD.
    ledger.settle({
      ...ref,
      outcome: 'failed',
      costMicroUsd: undefined,
      inputTokens: 85,
      outputTokens: undefined,
      baselineMicroUsd: 1_300,
    });
    const report = costReport(db, { sinceMs: day1 - 1, untilMs: day1 + 1, by: 'model' });
    expect(report.rows.map((row) => [row.costMicroUsd, row.baselineMicroUsd, row.savingsPct])).toEqual([
      [18_000, 18_000, 0],
    ]);
  });
});
