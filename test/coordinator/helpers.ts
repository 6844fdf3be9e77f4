// Test helpers for the coordinator: task and workflow builders, a virtual clock, an event recorder.
import type { Clock } from '../../src/clock.ts';
import type { EventBus } from '../../src/events/bus.ts';
import type { EventPayload, EventType } from '../../src/events/events.ts';
import { defineTask, defineWorkflow } from '../../src/workflow/define.ts';
import type { TaskDefinition, Workflow } from '../../src/workflow/model.ts';

export function task(id: string, overrides: Partial<TaskDefinition> = {}): TaskDefinition {
  return defineTask(id, { agent: 'noop', ...overrides });
}

export function workflow(tasks: TaskDefinition[], overrides: Partial<Workflow> = {}): Workflow {
  return defineWorkflow('test-flow', tasks, overrides);
}

/** A clock whose time moves only when every pending sleep is all that is left to do. */
export type VirtualClock = Clock & { readonly pending: number };

/**
 * Sleeps resolve in virtual time: when the process is otherwise idle (a setImmediate turn after the
 * microtasks drained), time jumps to the earliest sleep and it resolves. Deterministic for equal inputs.
 */
export function createVirtualClock(start = 1_700_000_000_000): VirtualClock {
  let now = start;
  let sequence = 0;
  let scheduled = false;
  type Timer = { at: number; sequence: number; resolve: () => void; cleanup: () => void };
  let timers: Timer[] = [];

  const tick = () => {
    scheduled = false;
    if (timers.length === 0) return;
    timers.sort((a, b) => a.at - b.at || a.sequence - b.sequence);
    const first = timers[0] as Timer;
    now = Math.max(now, first.at);
    const due = timers.filter((timer) => timer.at <= now);
    timers = timers.filter((timer) => timer.at > now);
    for (const timer of due) {
      timer.cleanup();
      timer.resolve();
    }
    schedule();
  };
  const schedule = () => {
    if (scheduled || timers.length === 0) return;
    scheduled = true;
    setImmediate(tick);
  };

  return {
    now: () => now,
    sleep: (ms, signal) =>
      new Promise<void>((resolve, reject) => {
        if (signal?.aborted) {
          reject(signal.reason);
          return;
        }
        const timer: Timer = { at: now + Math.max(0, ms), sequence: sequence++, resolve, cleanup: () => {} };
        const onAbort = () => {
          timers = timers.filter((other) => other !== timer);
          reject(signal?.reason);
        };
        signal?.addEventListener('abort', onAbort, { once: true });
        timer.cleanup = () => signal?.removeEventListener('abort', onAbort);
        timers.push(timer);
        schedule();
      }),
    get pending() {
      return timers.length;
    },
  };
}

export type Recorded = { type: EventType; event: EventPayload<EventType> };

/** Records every event on the bus in order; `of(type)` filters. */
export function recordEvents(bus: EventBus) {
  const events: Recorded[] = [];
  const dispose = bus.onAny((type, event) => {
    events.push({ type, event: event as EventPayload<EventType> });
  });
  return {
    events,
    dispose,
    of: <T extends EventType>(type: T) =>
      events.filter((entry) => entry.type === type).map((entry) => entry.event as EventPayload<T>),
    types: () => events.map((entry) => entry.type),
  };
}

/** `${{ expression }}`, written without the literal (which lint reads as a mistaken template). */
export function template(expression: string): string {
  return `$\{{ ${expression} }}`;
}
