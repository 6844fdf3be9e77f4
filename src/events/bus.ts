import { EventEmitter } from 'eventemitter3';
import type { EventPayload, EventType } from './events.ts';

/** A listener of one event; it may return a promise, which the bus tracks for `settled()`. */
export type Listener<T extends EventType> = (event: EventPayload<T>) => void | Promise<void>;
/** A listener of every event. */
export type AnyListener = <T extends EventType>(type: T, event: EventPayload<T>) => void | Promise<void>;
/** Removes the subscription it was returned for; calling it twice is harmless. */
export type Dispose = () => void;

export type SubscribeOptions = {
  /** Named in SUBSCRIBER_FAILED when the listener throws. @default the listener's function name */
  name?: string;
};

/** The typed event bus every part of tierflow meets on. */
export type EventBus = {
  on: <T extends EventType>(type: T, listener: Listener<T>, options?: SubscribeOptions) => Dispose;
  once: <T extends EventType>(type: T, listener: Listener<T>, options?: SubscribeOptions) => Dispose;
  off: <T extends EventType>(type: T, listener: Listener<T>) => void;
  onAny: (listener: AnyListener, options?: SubscribeOptions) => Dispose;
  emit: <T extends EventType>(type: T, event: EventPayload<T>) => void;
  /** Resolves once every promise returned by a listener so far (and any they caused) has settled. */
  settled: () => Promise<void>;
  listenerCount: (type: EventType) => number;
  /** Listeners of all events, including `onAny` ones; a finished run leaves this where it found it. */
  totalListenerCount: () => number;
};

type Wrapped = ((event: unknown) => void) & { original?: unknown };

/**
 * Creates a bus on which a throwing or rejecting listener never stops the others, never throws into
 * the emitter and never becomes an unhandled rejection: it is reported once as SUBSCRIBER_FAILED.
 */
export function createEventBus(): EventBus {
  const emitter = new EventEmitter();
  const anyListeners: { listener: AnyListener; name: string }[] = [];
  const pending = new Set<Promise<void>>();

  const report = (type: EventType, event: unknown, subscriber: string, error: unknown) => {
    if (type === 'SUBSCRIBER_FAILED') return; // a failing failure reporter must not recurse
    let runId: unknown;
    try {
      runId = (event as { runId?: unknown } | null)?.runId;
    } catch {
      runId = undefined;
    }
    bus.emit('SUBSCRIBER_FAILED', {
      ...(typeof runId === 'string' ? { runId } : {}),
      event: type,
      subscriber,
      error: describe(error),
    });
  };

  const track = (type: EventType, event: unknown, subscriber: string, result: unknown) => {
    if (!isPromiseLike(result)) return;
    const tracked = Promise.resolve(result).then(
      () => undefined,
      (error: unknown) => report(type, event, subscriber, error),
    );
    pending.add(tracked);
    void tracked.finally(() => pending.delete(tracked));
  };

  const wrap = <T extends EventType>(type: T, listener: Listener<T>, name: string): Wrapped => {
    const wrapped: Wrapped = (event) => {
      try {
        track(type, event, name, listener(event as EventPayload<T>));
      } catch (error) {
        report(type, event, name, error);
      }
    };
    wrapped.original = listener;
    return wrapped;
  };

  const subscribe = <T extends EventType>(
    type: T,
    listener: Listener<T>,
    options: SubscribeOptions | undefined,
    once: boolean,
  ): Dispose => {
    const wrapped = wrap(type, listener, options?.name ?? (listener.name || 'anonymous'));
    if (once) emitter.once(type, wrapped);
    else emitter.on(type, wrapped);
    return () => emitter.off(type, wrapped);
  };

  const bus: EventBus = {
    on: (type, listener, options) => subscribe(type, listener, options, false),
    once: (type, listener, options) => subscribe(type, listener, options, true),
    off: (type, listener) => {
      for (const wrapped of emitter.listeners(type) as Wrapped[]) {
        if (wrapped.original === listener) emitter.off(type, wrapped);
      }
    },
    onAny: (listener, options) => {
      const entry = { listener, name: options?.name ?? (listener.name || 'anonymous') };
      anyListeners.push(entry);
      return () => {
        const index = anyListeners.indexOf(entry);
        if (index >= 0) anyListeners.splice(index, 1);
      };
    },
    emit: (type, event) => {
      // Listeners of every event (sinks, journals) go first: a reply emitted by a typed listener
      // during this emit is then recorded after the request that caused it.
      if (anyListeners.length > 0) {
        for (const entry of anyListeners.slice()) {
          try {
            track(type, event, entry.name, entry.listener(type, event));
          } catch (error) {
            report(type, event, entry.name, error);
          }
        }
      }
      emitter.emit(type, event);
    },
    settled: async () => {
      while (pending.size > 0) await Promise.all([...pending]);
    },
    listenerCount: (type) => emitter.listenerCount(type),
    totalListenerCount: () =>
      anyListeners.length + emitter.eventNames().reduce((sum, name) => sum + emitter.listenerCount(name), 0),
  };
  return bus;
}

function isPromiseLike(value: unknown): value is PromiseLike<unknown> {
  return typeof (value as { then?: unknown } | null | undefined)?.then === 'function';
}

/** Never throws, whatever was thrown: a failure report must not fail in turn. */
function describe(error: unknown): { code: string; message: string } {
  try {
    if (error instanceof Error) {
      const code = (error as { code?: unknown }).code;
      return { code: typeof code === 'string' ? code : 'INTERNAL', message: String(error.message) };
    }
    return { code: 'INTERNAL', message: String(error) };
  } catch {
    return { code: 'INTERNAL', message: Object.prototype.toString.call(error) };
  }
}
