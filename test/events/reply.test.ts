import { afterEach, describe, expect, it, vi } from 'vitest';
import { createEventBus } from '../../src/events/bus.ts';
import type { EventPayload } from '../../src/events/events.ts';
import { attemptKeyOf, createReplyWaiter } from '../../src/events/reply.ts';

const selected = (taskId: string, attempt: number): EventPayload<'MODEL_SELECTED'> => ({
  runId: 'r1',
  taskId,
  attempt,
  model: 'small',
  provider: 'sim',
  tier: 1,
  category: 'FAST',
  complexity: 2,
  taskType: 'coding',
  estimatedCostMicroUsd: 10,
  reason: 'test',
  enforced: true,
});

describe('reply waiter', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('resolves with the reply that matches run, task and attempt, ignoring others', async () => {
    const bus = createEventBus();
    const waiter = createReplyWaiter(bus, 'MODEL_SELECTED', attemptKeyOf);
    const pending = waiter.expect(attemptKeyOf({ runId: 'r1', taskId: 'plan', attempt: 2 }), 1000);
    bus.emit('MODEL_SELECTED', selected('plan', 1));
    bus.emit('MODEL_SELECTED', selected('build', 2));
    bus.emit('MODEL_SELECTED', selected('plan', 2));
    await expect(pending).resolves.toMatchObject({ taskId: 'plan', attempt: 2 });
    waiter.dispose();
  });

  it('receives a reply given synchronously during the request emit', async () => {
    const bus = createEventBus();
    bus.on('AGENT_INVOKED', (event) => bus.emit('MODEL_SELECTED', selected(event.taskId, event.attempt)));
    const waiter = createReplyWaiter(bus, 'MODEL_SELECTED', attemptKeyOf);
    const key = { runId: 'r1', taskId: 'scout', attempt: 1 };
    const pending = waiter.expect(attemptKeyOf(key), 1000);
    bus.emit('AGENT_INVOKED', {
      ...key,
      workflowId: 'w',
      agent: 'llm',
      priority: 'normal',
      text: 'scout the repo',
      contextChars: 14,
      hints: {},
      excludeModels: [],
    });
    await expect(pending).resolves.toMatchObject({ model: 'small' });
    waiter.dispose();
  });

  it('resolves undefined when nobody answers within the timeout', async () => {
    vi.useFakeTimers();
    const bus = createEventBus();
    const waiter = createReplyWaiter(bus, 'MODEL_SELECTED', attemptKeyOf);
    const pending = waiter.expect('nobody', 250);
    await vi.advanceTimersByTimeAsync(249);
    let settled = false;
    void pending.then(() => {
      settled = true;
    });
    await Promise.resolve();
    expect(settled).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    await expect(pending).resolves.toBeUndefined();
    waiter.dispose();
  });

  it('rejects with the abort reason when the signal aborts first', async () => {
    const bus = createEventBus();
    const waiter = createReplyWaiter(bus, 'MODEL_SELECTED', attemptKeyOf);
    const controller = new AbortController();
    const pending = waiter.expect('k', 10_000, controller.signal);
    controller.abort(new Error('run cancelled'));
    await expect(pending).rejects.toThrow('run cancelled');
    waiter.dispose();
  });

  it('leaves no listener behind after dispose, and resolves pending waits undefined', async () => {
    const bus = createEventBus();
    const waiter = createReplyWaiter(bus, 'MODEL_SELECTED', attemptKeyOf);
    const pending = waiter.expect('k', 10_000);
    waiter.dispose();
    await expect(pending).resolves.toBeUndefined();
    expect(bus.totalListenerCount()).toBe(0);
  });
});

describe('reply waiter on an injected clock', () => {
  it('times out when the clock passes the timeout, not on wall time', async () => {
    const { createManualClock } = await import('../../src/testing.ts');
    const clock = createManualClock();
    const bus = createEventBus();
    const waiter = createReplyWaiter(bus, 'MODEL_SELECTED', attemptKeyOf, clock);
    let settled = false;
    const pending = waiter.expect('k', 100).then((reply) => {
      settled = true;
      return reply;
    });
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(settled).toBe(false);
    await clock.advance(100);
    await expect(pending).resolves.toBeUndefined();
    waiter.dispose();
  });
});
