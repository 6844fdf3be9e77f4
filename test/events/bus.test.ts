import { afterEach, describe, expect, it, vi } from 'vitest';
import { createEventBus } from '../../src/events/bus.ts';
import type { EventPayload } from '../../src/events/events.ts';

const ready: EventPayload<'TASK_READY'> = { runId: 'r1', taskId: 't1', priority: 'normal' };

describe('event bus', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('delivers a payload to every listener of its type, in subscription order', () => {
    const bus = createEventBus();
    const seen: string[] = [];
    bus.on('TASK_READY', (event) => {
      seen.push(`a:${event.taskId}`);
    });
    bus.on('TASK_READY', (event) => {
      seen.push(`b:${event.taskId}`);
    });
    bus.on('TASK_SKIPPED', () => {
      seen.push('wrong');
    });
    bus.emit('TASK_READY', ready);
    expect(seen).toEqual(['a:t1', 'b:t1']);
  });

  it('keeps delivering after a listener throws, and reports the failure once', () => {
    const bus = createEventBus();
    const failures: EventPayload<'SUBSCRIBER_FAILED'>[] = [];
    bus.on('SUBSCRIBER_FAILED', (event) => {
      failures.push(event);
    });
    bus.on(
      'TASK_READY',
      () => {
        throw new Error('boom');
      },
      { name: 'exploding' },
    );
    const after = vi.fn();
    bus.on('TASK_READY', after);
    expect(() => bus.emit('TASK_READY', ready)).not.toThrow();
    expect(after).toHaveBeenCalledOnce();
    expect(failures).toMatchInlineSnapshot(`
      [
        {
          "error": {
            "code": "INTERNAL",
            "message": "boom",
          },
          "event": "TASK_READY",
          "runId": "r1",
          "subscriber": "exploding",
        },
      ]
    `);
  });

  it('turns a rejected promise into one SUBSCRIBER_FAILED, never an unhandled rejection', async () => {
    const bus = createEventBus();
    const unhandled = vi.fn();
    process.on('unhandledRejection', unhandled);
    const failures: string[] = [];
    bus.on('SUBSCRIBER_FAILED', (event) => {
      failures.push(`${event.subscriber}: ${event.error.message}`);
    });
    bus.on('TASK_READY', async function slowAndBroken() {
      await new Promise((resolve) => setTimeout(resolve, 5));
      throw Object.assign(new Error('late failure'), { code: 'PROVIDER_FAILED' });
    });
    bus.emit('TASK_READY', ready);
    await bus.settled();
    await new Promise((resolve) => setImmediate(resolve));
    process.off('unhandledRejection', unhandled);
    expect(failures).toEqual(['slowAndBroken: late failure']);
    expect(unhandled).not.toHaveBeenCalled();
  });

  it.each([
    ['an object without a prototype', () => Object.create(null) as unknown],
    [
      'an object whose toString throws',
      () => ({
        toString: () => {
          throw new Error('no');
        },
      }),
    ],
  ])('reports a listener that throws %s, and the next listener still runs', async (_name, thrown) => {
    const bus = createEventBus();
    const failures: string[] = [];
    bus.on('SUBSCRIBER_FAILED', (event) => {
      failures.push(`${event.subscriber}: ${event.error.message}`);
    });
    bus.on(
      'TASK_READY',
      () => {
        throw thrown();
      },
      { name: 'sync' },
    );
    bus.on(
      'TASK_READY',
      async () => {
        throw thrown();
      },
      { name: 'async' },
    );
    const after = vi.fn();
    bus.on('TASK_READY', after);
    expect(() => bus.emit('TASK_READY', ready)).not.toThrow();
    await bus.settled();
    expect(after).toHaveBeenCalledOnce();
    expect(failures).toEqual(['sync: [object Object]', 'async: [object Object]']);
  });

  it('does not recurse when a SUBSCRIBER_FAILED listener itself throws', () => {
    const bus = createEventBus();
    let calls = 0;
    bus.on('SUBSCRIBER_FAILED', () => {
      calls += 1;
      throw new Error('reporter broken');
    });
    bus.on('TASK_READY', () => {
      throw new Error('boom');
    });
    expect(() => bus.emit('TASK_READY', ready)).not.toThrow();
    expect(calls).toBe(1);
  });

  it('settled() waits for async listeners, including ones started by other listeners', async () => {
    const bus = createEventBus();
    const order: string[] = [];
    bus.on('TASK_READY', async () => {
      await new Promise((resolve) => setTimeout(resolve, 10));
      order.push('first');
      bus.emit('TASK_SKIPPED', { runId: 'r1', taskId: 't2', reason: 'x', cause: 'condition_false' });
    });
    bus.on('TASK_SKIPPED', async () => {
      await new Promise((resolve) => setTimeout(resolve, 10));
      order.push('second');
    });
    bus.emit('TASK_READY', ready);
    await bus.settled();
    expect(order).toEqual(['first', 'second']);
  });

  it('returns disposers that remove exactly their subscription, and are safe to call twice', () => {
    const bus = createEventBus();
    const listener = vi.fn();
    const dispose = bus.on('TASK_READY', listener);
    const disposeAny = bus.onAny(() => {});
    expect(bus.totalListenerCount()).toBe(2);
    dispose();
    dispose();
    disposeAny();
    disposeAny();
    bus.emit('TASK_READY', ready);
    expect(listener).not.toHaveBeenCalled();
    expect(bus.totalListenerCount()).toBe(0);
  });

  it('off() removes a listener by the function it was given', () => {
    const bus = createEventBus();
    const listener = vi.fn();
    bus.on('TASK_READY', listener);
    bus.off('TASK_READY', listener);
    bus.emit('TASK_READY', ready);
    expect(listener).not.toHaveBeenCalled();
    expect(bus.listenerCount('TASK_READY')).toBe(0);
  });

  it('once() delivers a single event', () => {
    const bus = createEventBus();
    const listener = vi.fn();
    bus.once('TASK_READY', listener);
    bus.emit('TASK_READY', ready);
    bus.emit('TASK_READY', ready);
    expect(listener).toHaveBeenCalledOnce();
    expect(bus.totalListenerCount()).toBe(0);
  });

  it('onAny() sees every event with its type, and a throwing onAny listener is isolated', () => {
    const bus = createEventBus();
    const types: string[] = [];
    bus.onAny((type) => {
      types.push(type);
    });
    bus.onAny(
      () => {
        throw new Error('sink down');
      },
      { name: 'broken-sink' },
    );
    bus.emit('TASK_READY', ready);
    expect(types).toEqual(['TASK_READY', 'SUBSCRIBER_FAILED']);
  });

  it('gives onAny() listeners a request before the reply a typed listener emits for it', () => {
    const bus = createEventBus();
    const order: string[] = [];
    bus.onAny((type) => {
      order.push(type);
    });
    bus.on('TASK_READY', (event) => {
      bus.emit('TASK_CANCELLED', { runId: event.runId, taskId: event.taskId, reason: 'test' });
    });
    bus.emit('TASK_READY', ready);
    expect(order).toEqual(['TASK_READY', 'TASK_CANCELLED']);
  });
});
