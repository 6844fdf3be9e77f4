// `tierflow report` and `tierflow budgets` (src/cli/commands/report.ts, budgets.ts) on a real ledger file.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { afterAll, describe, expect, it } from 'vitest';
import { registerBudgetsCommand, runBudgets } from '../../src/cli/commands/budgets.ts';
import { registerReportCommand, runReport } from '../../src/cli/commands/report.ts';
import { defaultBudgetConfig } from '../../src/config/budgets.ts';
import { createLedger } from '../../src/cost/ledger.ts';
import { openStateDatabase } from '../../src/store/index.ts';

const directory = mkdtempSync(join(tmpdir(), 'tierflow-cli-cost-'));
afterAll(() => rmSync(directory, { recursive: true, force: true }));
const now = Date.UTC(2026, 10, 22, 12, 0);
const state = join(directory, 'state.db');

{
  const db = openStateDatabase(state);
  const ledger = createLedger({ db, config: defaultBudgetConfig, clock: { now: () => now - 3_600_000 } });
  const subject = {
    sessionId: 'alice',
    workflowId: 'scout-plan-build',
    category: 'FAST',
    modelId: 'claude-haiku-4-5',
  };
  for (const [taskId, cost] of [
    ['scout', 1_250],
    ['plan', 2_500],
  ] as const) {
    const ref = { runId: 'run-1', taskId, attempt: 1 };
    ledger.reserve({ ...ref, subject, priority: 'normal', amountMicroUsd: 5_000, tokens: 2_000 });
    ledger.settle({
      ...ref,
      outcome: 'completed',
      costMicroUsd: cost,
      inputTokens: 900,
      outputTokens: 120,
      baselineMicroUsd: 22_500,
    });
  }
  db.close();
}

function output() {
  const chunks: string[] = [];
  return {
    write: (text: string) => chunks.push(text),
    text: () => chunks.join('').replaceAll(directory, '<tmp>'),
  };
}

describe('tierflow report', () => {
  it('prints spend by model from the ledger named by --state', async () => {
    const out = output();
    expect(await runReport({ state, now: () => now, write: out.write, env: {} })).toBe(0);
    expect(out.text()).toMatchInlineSnapshot(`
      "Spend since 2026-11-15 12:00 UTC by model (<tmp>/state.db)

      model             calls  input tokens  output tokens     cost  all-strongest  savings
      claude-haiku-4-5      2         1,800            240  $0.0038        $0.0450    91.7%
      total                 2         1,800            240  $0.0038        $0.0450    91.7%

      all-strongest: the same calls priced on the strongest model of the catalog.
      "
    `);
  });

  it('prints JSON with exact micro-USD amounts', async () => {
    const out = output();
    await runReport({ state, by: 'session', json: true, now: () => now, write: out.write, env: {} });
    const parsed = JSON.parse(out.text());
    expect(parsed.rows).toEqual([
      expect.objectContaining({
        key: 'alice',
        calls: 2,
        costMicroUsd: 3_750,
        baselineMicroUsd: 45_000,
        savingsPct: 91.7,
      }),
    ]);
  });

  it('prints one run’s cost summary', async () => {
    const out = output();
    await runReport({ state, run: 'run-1', now: () => now, write: out.write, env: {} });
    expect(JSON.parse(out.text())).toMatchObject({ totalUsd: 0.00375, baselineUsd: 0.045, savingsPct: 91.7 });
  });

  it('reads TIERFLOW_STATE and says when there is no ledger yet, creating nothing', async () => {
    const out = output();
    await runReport({
      now: () => now,
      write: out.write,
      env: { TIERFLOW_STATE: join(directory, 'none', 'state.db') },
    });
    expect(out.text()).toMatchInlineSnapshot(`
      "No ledger yet: <tmp>/none/state.db does not exist. Run a workflow first, or point --state at a ledger.
      "
    `);
  });

  it('exits 2 with the expected forms for a bad --since', async () => {
    const program = new Command().exitOverride();
    registerReportCommand(program);
    const errors: string[] = [];
    const write = process.stderr.write;
    process.stderr.write = ((text: string) =>
      errors.push(text) > 0) as unknown as typeof process.stderr.write;
    try {
      await program.parseAsync(['node', 'tierflow', 'report', '--since', 'yesterday', '--state', state]);
    } finally {
      process.stderr.write = write;
    }
    expect(process.exitCode).toBe(2);
    process.exitCode = 0;
    expect(errors.join('')).toMatchInlineSnapshot(`
      "error CLI_INVALID_ARGUMENT: --since "yesterday" is neither a duration nor a date; expected e.g. 30m, 24h, 7d, 2w or 2026-11-01.
        hint: Durations count back from now; dates are UTC.
      "
    `);
  });
});

describe('tierflow budgets', () => {
  it('shows every budget with spent, reserved, limit, level and forecast', async () => {
    const out = output();
    expect(await runBudgets({ state, configDir: 'config', now: () => now, write: out.write, env: {} })).toBe(
      0,
    );
    expect(out.text()).toMatchInlineSnapshot(`
      "Budgets from config/budgets.yaml; ledger <tmp>/state.db

      budget                         scope                  period                  spent  reserved          limit  used  level  runs out
      session-hourly-tokens          session -              hour 2026-11-22T12      0 tok     0 tok    100,000 tok    0%  NONE
      session-daily-tokens           session alice          day 2026-11-22      2,040 tok     0 tok  1,000,000 tok    0%  NONE
      session-hourly-usd             session -              hour 2026-11-22T12    $0.0000   $0.0000        $5.0000    0%  NONE
      session-daily-usd              session alice          day 2026-11-22        $0.0038   $0.0000       $50.0000    0%  NONE
      global-hourly-tokens           global                 hour 2026-11-22T12      0 tok     0 tok    500,000 tok    0%  NONE
      global-daily-tokens            global                 day 2026-11-22      2,040 tok     0 tok  5,000,000 tok    0%  NONE
      global-monthly-usd             global                 month 2026-11         $0.0038   $0.0000    $1,000.0000    0%  NONE   lasts the month ($0.0002/day)
      category-fast-monthly          category FAST          month 2026-11         $0.0038   $0.0000       $50.0000    0%  NONE   lasts the month ($0.0002/day)
      category-normal-monthly        category NORMAL        month 2026-11         $0.0000   $0.0000      $200.0000    0%  NONE   no spend yet
      category-complex-monthly       category COMPLEX       month 2026-11         $0.0000   $0.0000      $150.0000    0%  NONE   no spend yet
      category-high-complex-monthly  category HIGH_COMPLEX  month 2026-11         $0.0000   $0.0000       $50.0000    0%  NONE   no spend yet

      runs out: when a monthly budget is spent if this month's average rate goes on.
      "
    `);
  });

  it('prints JSON', async () => {
    const out = output();
    await runBudgets({ state, configDir: 'config', json: true, now: () => now, write: out.write, env: {} });
    const parsed = JSON.parse(out.text());
    expect(
      parsed.budgets.find((row: { budget: string }) => row.budget === 'global-monthly-usd'),
    ).toMatchObject({
      spent: 3_750,
      reserved: 0,
      limit: 1_000_000_000,
      level: 'NONE',
      forecast: { kind: 'lasts' },
    });
  });

  it('reports a broken budgets.yaml with its position', async () => {
    const configDir = join(directory, 'config');
    mkdirSync(configDir, { recursive: true });
    writeFileSync(
      join(configDir, 'budgets.yaml'),
      'version: 1\nbudgets:\n  - { name: a, scope: global, window: year, limitUsd: 1 }\n',
    );
    const program = new Command().exitOverride();
    registerBudgetsCommand(program);
    const errors: string[] = [];
    const write = process.stderr.write;
    process.stderr.write = ((text: string) =>
      errors.push(text) > 0) as unknown as typeof process.stderr.write;
    try {
      await program.parseAsync(['node', 'tierflow', 'budgets', '--config', configDir, '--state', state]);
    } finally {
      process.stderr.write = write;
    }
    expect(process.exitCode).toBe(2);
    process.exitCode = 0;
    expect(errors.join('').replaceAll(directory, '<tmp>')).toMatchInlineSnapshot(`
      "<tmp>/config/budgets.yaml:3:39 error CONFIG_INVALID at budgets[0].window
        expected one of "hour" | "day" | "month", got "year"
      "
    `);
  });
});
