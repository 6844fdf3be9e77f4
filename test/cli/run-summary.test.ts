import { describe, expect, it } from 'vitest';
import { formatRunSummary } from '../../src/cli/run-summary.ts';
import type { RunResult } from '../../src/index.ts';

const result: RunResult = {
  runId: 'run-1',
  workflow: 'demo',
  status: 'failed',
  startedAt: 0,
  endedAt: 1500,
  durationMs: 1500,
  tasks: [
    {
      id: 'scout',
      agent: 'shell',
      phase: 'scout',
      status: 'succeeded',
      attempts: 1,
      tier: 0,
      model: null,
      provider: null,
      category: null,
      complexity: null,
      costUsd: 0,
      inputTokens: null,
      outputTokens: null,
      startedAt: 0,
      endedAt: 10,
      simulated: false,
    },
    {
      id: 'plan',
      agent: 'llm',
      phase: 'plan',
      status: 'failed',
      attempts: 2,
      tier: 2,
      model: 'mid',
      provider: 'sim',
      category: 'NORMAL',
      complexity: 4,
      costUsd: 0.0123,
      inputTokens: 100,
      outputTokens: 50,
      startedAt: 10,
      endedAt: 1500,
      simulated: true,
      error: { code: 'ATTEMPTS_EXHAUSTED', message: 'used up its attempt budget' },
    },
  ],
  cost: { totalUsd: 0.0123, baselineUsd: 0.1, savingsPct: 87.7 },
};

describe('run summary', () => {
  it('lists tasks with tier, model, attempts and cost, then totals, errors and the simulation note', () => {
    expect(formatRunSummary(result, 'simulation')).toMatchInlineSnapshot(`
      "
      run run-1 (demo): failed in 1.50 s
        task   status     tier  model  attempts  cost
        scout  succeeded  0     -      1         $0.0000
        plan   failed     2     mid    2         $0.0123
        cost $0.0123; all-strongest baseline $0.1000, saved 87.7%
        plan: ATTEMPTS_EXHAUSTED used up its attempt budget
        note: every model answer was simulated offline; set a provider key to call real models (docs/providers.md)
      "
    `);
  });

  it('leaves out the baseline when unknown and the note when real providers answered', () => {
    const summary = formatRunSummary(
      { ...result, cost: { totalUsd: 0.0123, baselineUsd: null, savingsPct: null } },
      'real',
    );
    expect(summary).toContain('  cost $0.0123\n');
    expect(summary).not.toContain('simulated');
  });
});
