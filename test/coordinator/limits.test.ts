import { describe, expect, it } from 'vitest';
import { createAgentRegistry } from '../../src/agents/registry.ts';
import type { AgentHandler } from '../../src/agents/types.ts';
import { createCoordinator } from '../../src/coordinator/index.ts';
import { createEventBus } from '../../src/events/bus.ts';
import { createVirtualClock, recordEvents, task, workflow } from './helpers.ts';

function setUp(handlers: Record<string, AgentHandler>) {
  const bus = createEventBus();
  const clock = createVirtualClock();
  const agents = createAgentRegistry({ builtins: false });
  for (const [name, handler] of Object.entries(handlers)) agents.register(name, handler);
  return { bus, clock, coordinator: createCoordinator({ bus, agents, clock }), recorder: recordEvents(bus) };
}

describe('timeouts and deadlines', () => {
  it('aborts an attempt at its timeout, reports TASK_TIMED_OUT and retries', async () => {
    const seen: string[] = [];
    const { clock, coordinator, recorder } = setUp({
      slow: async (ctx) => {
        try {
          await clock.sleep(ctx.attempt === 1 ? 1000 : 10, ctx.signal);
        } catch (error) {
          seen.push(`attempt ${ctx.attempt} aborted: ${(error as Error).message}`);
          throw error;
        }
        return { output: `attempt ${ctx.attempt}` };
      },
    });
    const retry = { retries: 1, initialDelayMs: 0, factor: 1, maxDelayMs: 0 };
    const result = await coordinator.run(workflow([task('a', { agent: 'slow', timeoutMs: 100, retry })]));
    expect(result.tasks[0]).toMatchObject({ status: 'succeeded', attempts: 2, output: 'attempt 2' });
    expect(seen).toEqual(['attempt 1 aborted: Task "a" attempt 1 timed out after 100 ms.']);
    expect(recorder.of('TASK_TIMED_OUT')).toEqual([
      { runId: expect.any(String), taskId: 'a', attempt: 1, limitMs: 100, kind: 'timeout' },
    ]);
    expect(recorder.of('AGENT_FAILED')[0]).toMatchObject({
      error: { code: 'TASK_TIMEOUT' },
      retryable: true,
      willRetry: true,
    });
  });

  it('ends an attempt at its timeout even when the handler ignores the signal', async () => {
    const { clock, coordinator } = setUp({
      stubborn: () => clock.sleep(10_000).then(() => ({ output: 'late' })),
    });
    const result = await coordinator.run(workflow([task('a', { agent: 'stubborn', timeoutMs: 50 })]));
    expect(result.tasks[0]?.status).toBe('failed');
    expect(result.tasks[0]?.endedAt).toBeLessThan((result.tasks[0]?.startedAt ?? 0) + 1000);
  });

  it('fails for good at the deadline over all attempts', async () => {
    const { clock, coordinator, recorder } = setUp({
      slow: async (ctx) => clock.sleep(300, ctx.signal).then(() => ({ output: 1 })),
    });
    const retry = { retries: 5, initialDelayMs: 0, factor: 1, maxDelayMs: 0 };
    const result = await coordinator.run(
      workflow([task('a', { agent: 'slow', timeoutMs: 200, deadlineMs: 500, retry })]),
    );
    expect(recorder.of('TASK_TIMED_OUT').map((event) => `${event.attempt}:${event.kind}`)).toEqual([
      '1:timeout',
      '2:timeout',
      '3:deadline',
    ]);
    expect(result.tasks[0]?.error).toMatchInlineSnapshot(`
      {
        "code": "TASK_DEADLINE",
        "hint": "Raise \`deadline\` on the task, or lower its retries or timeout.",
        "message": "Task "a" passed its deadline of 500 ms (over all attempts) during attempt 3.",
      }
    `);
  });

  it('does not start an attempt the backoff would push past the deadline', async () => {
    const { coordinator } = setUp({
      flaky: async () => {
        throw new Error('flaky');
      },
    });
    const retry = { retries: 5, initialDelayMs: 400, factor: 2, maxDelayMs: 10_000 };
    const result = await coordinator.run(workflow([task('a', { agent: 'flaky', deadlineMs: 1000, retry })]));
    expect(result.tasks[0]?.attempts).toBe(2);
    expect(result.tasks[0]?.error?.code).toBe('TASK_DEADLINE');
    expect(result.tasks[0]?.error?.message).toMatchInlineSnapshot(
      `"Task "a" has no time left for attempt 3 before its deadline of 1000 ms; last error AGENT_ERROR: flaky"`,
    );
  });
});

describe('cancellation', () => {
  it('aborts running handlers, starts nothing new and ends the rest cancelled', async () => {
    const controller = new AbortController();
    const aborted: string[] = [];
    const { clock, coordinator, recorder } = setUp({
      work: async (ctx) => {
        if (ctx.taskId === 'b') queueMicrotask(() => controller.abort(new Error('user pressed ctrl-c')));
        try {
          await clock.sleep(ctx.taskId === 'a' ? 1 : 60_000, ctx.signal);
        } catch (error) {
          aborted.push(ctx.taskId);
          throw error;
        }
        return { output: ctx.taskId };
      },
    });
    const result = await coordinator.run(
      workflow(
        [
          task('a', { agent: 'work' }),
          task('b', { agent: 'work', needs: ['a'] }),
          task('c', { agent: 'work', needs: ['b'] }),
          task('d', { agent: 'work', needs: ['a'] }),
        ],
        {
          concurrency: { max: 1, phases: {}, groups: {} },
        },
      ),
      { signal: controller.signal },
    );
    expect(result.status).toBe('cancelled');
    expect(result.tasks.map((t) => `${t.id}:${t.status}`)).toEqual([
      'a:succeeded',
      'b:cancelled',
      'c:cancelled',
      'd:cancelled',
    ]);
    expect(aborted).toEqual(['b']);
    expect(recorder.of('AGENT_INVOKED').map((event) => event.taskId)).toEqual(['a', 'b']);
    expect(
      recorder.of('AGENT_FAILED').map((event) => [event.taskId, event.error.code, event.willRetry]),
    ).toEqual([['b', 'TASK_CANCELLED', false]]);
    expect(recorder.of('WORKFLOW_CANCELLED')[0]?.reason).toMatch(/was cancelled: user pressed ctrl-c$/);
    expect(recorder.types().filter((type) => type === 'TASK_SETTLED')).toHaveLength(4);
  });

  it('cancels everything without invoking an agent when the signal is already aborted', async () => {
    const { coordinator, recorder } = setUp({ work: async () => ({ output: 1 }) });
    const result = await coordinator.run(
      workflow([task('a', { agent: 'work' }), task('b', { agent: 'work', needs: ['a'] })]),
      {
        signal: AbortSignal.abort(),
      },
    );
    expect(result.status).toBe('cancelled');
    expect(result.tasks.map((t) => t.status)).toEqual(['cancelled', 'cancelled']);
    expect(recorder.of('AGENT_INVOKED')).toHaveLength(0);
  });

  it('cancels a task waiting out its retry backoff', async () => {
    const controller = new AbortController();
    const bus = createEventBus();
    const agents = createAgentRegistry({ builtins: false });
    agents.register('flaky', async () => {
      throw new Error('flaky');
    });
    // The real clock: the 60 s backoff must be cut short by the abort 10 ms in.
    const coordinator = createCoordinator({ bus, agents });
    bus.on('AGENT_FAILED', () => {
      setTimeout(() => controller.abort(), 10);
    });
    const retry = { retries: 3, initialDelayMs: 60_000, factor: 1, maxDelayMs: 60_000 };
    const result = await coordinator.run(workflow([task('a', { agent: 'flaky', retry })]), {
      signal: controller.signal,
    });
    expect(result.tasks[0]).toMatchObject({ status: 'cancelled', attempts: 1 });
  });
});
