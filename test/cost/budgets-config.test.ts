// config/budgets.yaml (src/config/budgets.ts): the shipped defaults, and every problem a user can make, positioned.
import { describe, expect, it } from 'vitest';
import {
  defaultBudgetConfig,
  loadBudgetConfig,
  loadBudgetConfigFromDir,
  parseBudgetConfig,
} from '../../src/config/budgets.ts';
import { formatDiagnostics } from '../../src/diagnostics/index.ts';
import { ConfigError } from '../../src/errors.ts';

describe('config/budgets.yaml', () => {
  it('says exactly what the built-in defaults say', async () => {
    expect(await loadBudgetConfig('config/budgets.yaml')).toEqual(defaultBudgetConfig);
  });

  it('holds the defaults of the issue', () => {
    const limits = Object.fromEntries(
      defaultBudgetConfig.budgets.map((b) => [
        b.name,
        [b.scope, b.match, b.window, b.unit, b.limit, b.warnAt],
      ]),
    );
    expect(limits).toEqual({
      'session-hourly-tokens': ['session', undefined, 'hour', 'tokens', 100_000, 0.7],
      'session-daily-tokens': ['session', undefined, 'day', 'tokens', 1_000_000, 0.7],
      'session-hourly-usd': ['session', undefined, 'hour', 'usd', 5_000_000, 0.7],
      'session-daily-usd': ['session', undefined, 'day', 'usd', 50_000_000, 0.7],
      'global-hourly-tokens': ['global', undefined, 'hour', 'tokens', 500_000, 0.7],
      'global-daily-tokens': ['global', undefined, 'day', 'tokens', 5_000_000, 0.7],
      'global-monthly-usd': ['global', undefined, 'month', 'usd', 1_000_000_000, 0.7],
      'category-fast-monthly': ['category', 'FAST', 'month', 'usd', 50_000_000, 0.8],
      'category-normal-monthly': ['category', 'NORMAL', 'month', 'usd', 200_000_000, 0.8],
      'category-complex-monthly': ['category', 'COMPLEX', 'month', 'usd', 150_000_000, 0.8],
      'category-high-complex-monthly': ['category', 'HIGH_COMPLEX', 'month', 'usd', 50_000_000, 0.8],
    });
  });

  it('falls back to the defaults when a config directory has no budgets.yaml', async () => {
    expect(await loadBudgetConfigFromDir('test/cost')).toEqual({
      config: defaultBudgetConfig,
      path: undefined,
    });
  });
});

function problems(text: string): string {
  try {
    parseBudgetConfig(text, 'config/budgets.yaml');
  } catch (error) {
    if (error instanceof ConfigError) return formatDiagnostics(error.diagnostics);
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('problems in budgets.yaml', () => {
  it('points at an unknown key and suggests the right one', () => {
    expect(
      problems(`version: 1
budgets:
  - name: a
    scope: global
    window: month
    limitUSD: 5
`),
    ).toMatchInlineSnapshot(`
      "config/budgets.yaml:3:5 error CONFIG_INVALID at budgets[0]
        set exactly one of "limitUsd" or "limitTokens"

      config/budgets.yaml:6:5 error CONFIG_UNKNOWN_KEY at budgets[0].limitUSD
        unknown key "limitUSD"
        hint: did you mean "limitUsd"?"
    `);
  });

  it('names wrong scopes, windows, matches and duplicate names', () => {
    expect(
      problems(`version: 1
budgets:
  - { name: a, scope: sesion, window: hour, limitUsd: 5 }
  - { name: b, scope: session, match: me, window: hour, limitTokens: 10 }
  - { name: c, scope: category, match: EASY, window: weekly, limitUsd: 5 }
  - { name: a, scope: global, window: day, limitUsd: -1 }
`),
    ).toMatchInlineSnapshot(`
      "config/budgets.yaml:3:23 error CONFIG_INVALID at budgets[0].scope
        expected one of "global" | "session" | "category" | "workflow" | "model", got "sesion"
        hint: did you mean "session"?

      config/budgets.yaml:4:39 error CONFIG_INVALID at budgets[1].match
        "match" narrows a category, workflow or model budget, not a session one

      config/budgets.yaml:5:40 error CONFIG_INVALID at budgets[2].match
        expected one of "FAST" | "NORMAL" | "COMPLEX" | "HIGH_COMPLEX", got "EASY"

      config/budgets.yaml:5:54 error CONFIG_INVALID at budgets[2].window
        expected one of "hour" | "day" | "month", got "weekly"

      config/budgets.yaml:6:13 error CONFIG_INVALID at budgets[3].name
        duplicate budget name "a"; budgets[0] has the same name

      config/budgets.yaml:6:54 error CONFIG_INVALID at budgets[3].limitUsd
        expected a number more than 0, got -1"
    `);
  });

  it('requires the throttle thresholds in order', () => {
    expect(
      problems(`version: 1
throttle: { warning: 0.9, soft: 0.8, hard: 0.95, critical: 0.99 }
budgets: []
`),
    ).toMatchInlineSnapshot(`
      "config/budgets.yaml:2:11 error CONFIG_INVALID at throttle
        expected warning < soft < hard < critical, got { warning: 0.9, soft: 0.8, hard: 0.95, critical: 0.99 }"
    `);
  });
});
