import { describe, expect, it } from 'vitest';
import { createAgentRegistry } from '../../src/agents/registry.ts';
import type { AgentHandler } from '../../src/agents/types.ts';
import { createCoordinator } from '../../src/coordinator/index.ts';
import { createEventBus } from '../../src/events/bus.ts';
import { createVirtualClock, recordEvents, task, template, workflow } from './helpers.ts';

function setUp(handler: AgentHandler) {
  const bus = createEventBus();
  const agents = createAgentRegistry({ builtins: false });
  agents.register('work', handler);
  return {
    coordinator: createCoordinator({ bus, agents, clock: createVirtualClock() }),
    recorder: recordEvents(bus),
  };
}

const echoInput: AgentHandler = async (ctx) => ({
  output: { input: ctx.input ?? null, attempt: ctx.attempt },
});

describe('resuming a run', () => {
  it('does not run tasks that succeeded before, feeds their outputs to templates and emits nothing for them', async () => {
    const { coordinator, recorder } = setUp(echoInput);
    const result = await coordinator.run(
      workflow([
        task('a', { agent: 'work' }),
        task('b', { agent: 'work', needs: ['a'], input: template('tasks.a.output') }),
      ]),
      {
        runId: 'r1',
        resume: {
          succeeded: { a: { output: 'from before', attempts: 2 } },
          attempts: { a: { last: 2, counted: 2 } },
        },
      },
    );
    expect(result.tasks.map((t) => [t.id, t.status, t.attempts, t.output])).toEqual([
      ['a', 'succeeded', 2, 'from before'],
      ['b', 'succeeded', 1, { input: 'from before', attempt: 1 }],
    ]);
    expect(recorder.of('WORKFLOW_STARTED')[0]?.resumed).toBe(true);
    expect(recorder.events.filter((entry) => (entry.event as { taskId?: string }).taskId === 'a')).toEqual(
      [],
    );
  });

  it('continues attempt numbers and counts earlier attempts against retries', async () => {
    const { coordinator, recorder } = setUp(async () => {
      throw new Error('still broken');
    });
    const retry = { retries: 2, initialDelayMs: 0, factor: 1, maxDelayMs: 0 };
    const result = await coordinator.run(workflow([task('a', { agent: 'work', retry })]), {
      resume: { succeeded: {}, attempts: { a: { last: 2, counted: 2 } } },
    });
    expect(recorder.of('AGENT_INVOKED').map((event) => event.attempt)).toEqual([3]);
    expect(result.tasks[0]).toMatchObject({
      status: 'failed',
      attempts: 3,
      error: { code: 'ATTEMPTS_EXHAUSTED' },
    });
  });

  it("tells the router the attempts a resumed task can still reach: earlier runs' provider retries count", async () => {
    const { coordinator, recorder } = setUp(async () => {
      throw new Error('still broken');
    });
    const retry = { retries: 3, initialDelayMs: 0, factor: 1, maxDelayMs: 0 };
    // One attempt before, with one provider-level retry: two of the four counted.
    await coordinator.run(workflow([task('a', { agent: 'work', retry })]), {
      resume: { succeeded: {}, attempts: { a: { last: 1, counted: 2 } } },
    });
    const invoked = recorder
      .of('AGENT_INVOKED')
      .map(({ attempt, maxAttempts }) => ({ attempt, maxAttempts }));
    expect(invoked).toEqual([
      { attempt: 2, maxAttempts: 3 },
      { attempt: 3, maxAttempts: 3 },
    ]);
    expect(recorder.of('AGENT_FAILED').map((event) => event.willRetry)).toEqual([true, false]);
  });

  it('runs only the foreach items that had not succeeded', async () => {
    const { coordinator, recorder } = setUp(async (ctx) => ({ output: `did ${String(ctx.item)}` }));
    const result = await coordinator.run(
      workflow([task('each', { agent: 'work', foreach: template('[0, 1, 2]') })]),
      {
        resume: {
          succeeded: { 'each[1]': { output: 'done before', attempts: 1 } },
          attempts: { 'each[1]': { last: 1, counted: 1 } },
        },
      },
    );
    expect(recorder.of('AGENT_INVOKED').map((event) => event.taskId)).toEqual(['each[0]', 'each[2]']);
    expect(result.tasks[0]).toMatchObject({
      status: 'succeeded',
      attempts: 3,
      output: ['did 0', 'done before', 'did 2'],
    });
  });

  it('completes at once when everything succeeded before', async () => {
    const { coordinator, recorder } = setUp(echoInput);
    const result = await coordinator.run(
      workflow([task('a', { agent: 'work' }), task('b', { agent: 'work', needs: ['a'] })]),
      {
        resume: { succeeded: { a: { output: 1, attempts: 1 }, b: { output: 2, attempts: 1 } }, attempts: {} },
      },
    );
    expect(result.status).toBe('succeeded');
    expect(recorder.types()).toEqual(['WORKFLOW_STARTED', 'WORKFLOW_COMPLETED']);
  });
});
