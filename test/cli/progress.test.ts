import { describe, expect, it } from 'vitest';
import { showProgress } from '../../src/cli/progress.ts';
import { createEventBus } from '../../src/events/bus.ts';

function drive(live: boolean) {
  const bus = createEventBus();
  let written = '';
  const stop = showProgress(bus, { write: (text) => (written += text), live, taskIds: ['scout', 'plan'] });
  bus.emit('TASK_READY', { runId: 'r', taskId: 'scout', phase: 'scout', priority: 'normal' });
  bus.emit('TASK_SUCCEEDED', { runId: 'r', taskId: 'scout', attempts: 1, output: 'files' });
  bus.emit('TASK_READY', { runId: 'r', taskId: 'plan', phase: 'plan', priority: 'normal' });
  bus.emit('MODEL_SELECTED', {
    runId: 'r',
    taskId: 'plan',
    attempt: 1,
    model: 'small',
    provider: 'sim',
    tier: 1,
    category: 'FAST',
    complexity: 2,
    taskType: 'analysis',
    estimatedCostMicroUsd: 10,
    reason: 'test',
    enforced: true,
  });
  bus.emit('MODEL_TIER_UPGRADE', {
    runId: 'r',
    taskId: 'plan',
    attempt: 1,
    fromTier: 1,
    toTier: 2,
    exhausted: false,
    reason: 'failed at tier 1',
  });
  bus.emit('AGENT_FAILED', {
    runId: 'r',
    taskId: 'plan',
    attempt: 1,
    agent: 'llm',
    error: { code: 'SIMULATED_FAILURE', message: 'missed' },
    retryable: true,
    willRetry: true,
    usage: {},
    costMicroUsd: 120,
    costEstimated: false,
    latencyMs: 5,
    simulated: true,
  });
  bus.emit('TASK_FAILED', {
    runId: 'r',
    taskId: 'plan',
    attempts: 2,
    error: { code: 'ATTEMPTS_EXHAUSTED', message: 'gave up' },
  });
  stop();
  return { written, listeners: bus.totalListenerCount() };
}

describe('progress view', () => {
  it('writes one line per settled task and per retry off a TTY', () => {
    const { written, listeners } = drive(false);
    expect(written).toMatchInlineSnapshot(`
      "✔ scout              scout                                    succeeded
        ↑ plan: tier 1 -> 2 (failed at tier 1)
        ↻ plan attempt 1 failed, retrying: missed
      ✖ plan               plan   tier 1 small                      failed    $0.000120  gave up
      "
    `);
    expect(listeners).toBe(0);
  });

  it('redraws the whole table in place on a TTY', () => {
    const { written } = drive(true);
    const frames = written.split('\u001b[2A');
    expect(frames.length).toBeGreaterThan(3);
    expect(frames.at(-1)).toContain('✖ plan');
    expect(frames.at(-1)).toContain('✔ scout');
  });
});
