import type { EventBus } from './bus.ts';
import type { EventPayload, EventType } from './events.ts';

/** Waits for replies of one event type, matched by a correlation key; one listener serves them all. */
export type ReplyWaiter<R extends EventType> = {
  /**
   * Registers interest in the reply with this key; call it before emitting the request, since an
   * in-process responder answers during the emit. Resolves with the reply, or undefined on timeout.
   * Rejects with the signal's reason when it aborts first.
   */
  expect: (key: string, timeoutMs: number, signal?: AbortSignal) => Promise<EventPayload<R> | undefined>;
  /** Stops listening; pending waits resolve undefined. */
  dispose: () => void;
};

type Waiting<R extends EventType> = {
  resolve: (reply: EventPayload<R> | undefined) => void;
  reject: (reason: unknown) => void;
  /** Stops the timeout's sleep. */
  timer: AbortController | undefined;
  signal: AbortSignal | undefined;
  onAbort: () => void;
};

/** The clock the timeouts run on: `sleep(ms, signal)` as in src/clock.ts (events/ imports nothing of ours). */
export type ReplyClock = { sleep: (ms: number, signal?: AbortSignal) => Promise<void> };

const timerClock: ReplyClock = {
  sleep: (ms, signal) =>
    new Promise<void>((resolve, reject) => {
      const timer = setTimeout(resolve, ms);
      signal?.addEventListener(
        'abort',
        () => {
          clearTimeout(timer);
          reject(signal.reason);
        },
        { once: true },
      );
    }),
};

/** The correlation key of attempt-level requests and replies. */
export function attemptKeyOf(event: { runId: string; taskId: string; attempt: number }): string {
  return `${event.runId}\u0000${event.taskId}\u0000${event.attempt}`;
}

/**
 * Creates a waiter for `replyType`: the request/reply pattern that lets a decider (router, cost
 * tracker) answer in-process or from another process in the same way.
 */
export function createReplyWaiter<R extends EventType>(
  bus: EventBus,
  replyType: R,
  keyOf: (reply: EventPayload<R>) => string,
  clock: ReplyClock = timerClock,
): ReplyWaiter<R> {
  const waiting = new Map<string, Waiting<R>>();

  const settle = (key: string, reply: EventPayload<R> | undefined) => {
    const entry = waiting.get(key);
    if (entry === undefined) return;
    waiting.delete(key);
    entry.timer?.abort();
    entry.signal?.removeEventListener('abort', entry.onAbort);
    entry.resolve(reply);
  };

  const dispose = bus.on(replyType, (reply) => settle(keyOf(reply), reply), { name: `reply:${replyType}` });

  return {
    expect: (key, timeoutMs, signal) =>
      new Promise((resolve, reject) => {
        if (signal?.aborted) {
          reject(signal.reason);
          return;
        }
        const onAbort = () => {
          const entry = waiting.get(key);
          if (entry === undefined) return;
          waiting.delete(key);
          entry.timer?.abort();
          reject(signal?.reason);
        };
        const timer = Number.isFinite(timeoutMs) ? new AbortController() : undefined;
        if (timer !== undefined) {
          clock.sleep(timeoutMs, timer.signal).then(
            () => settle(key, undefined),
            () => {},
          );
        }
        signal?.addEventListener('abort', onAbort, { once: true });
        waiting.set(key, { resolve, reject, timer, signal, onAbort });
      }),
    dispose: () => {
      dispose();
      for (const key of [...waiting.keys()]) settle(key, undefined);
    },
  };
}
