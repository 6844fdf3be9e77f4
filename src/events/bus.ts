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
type AnyEntry = { listener: AnyListener; name: string };

/** What one bus holds: its typed listeners, its listeners of every event, and listener promises not yet settled. */
type BusState = {
  emitter: EventEmitter;
  anyListeners: AnyEntry[];
  pending: Set<Promise<void>>;
};

/**
 * Creates a bus on which a throwing or rejecting listener never stops the others, never throws into
 * the emitter and never becomes an unhandled rejection: it is reported once as SUBSCRIBER_FAILED.
 */
export function createEventBus(): EventBus {
  const state: BusState = { emitter: new EventEmitter(), anyListeners: [], pending: new Set() };
  const { emitter } = state;
  return {
    on: (type, listener, options) => subscribe(state, type, listener, options, false),
    once: (type, listener, options) => subscribe(state, type, listener, options, true),
    off: (type, listener) => unsubscribe(emitter, type, listener),
    onAny: (listener, options) => subscribeToAll(state, listener, options),
    emit: (type, event) => emitEvent(state, type, event),
    settled: () => waitForPending(state.pending),
    listenerCount: (type) => emitter.listenerCount(type),
    totalListenerCount: () =>
      state.anyListeners.length +
      emitter.eventNames().reduce((sum, name) => sum + emitter.listenerCount(name), 0),
  };
}

function emitEvent<T extends EventType>(state: BusState, type: T, event: EventPayload<T>): void {
  // Listeners of every event (sinks, journals) go first: a reply emitted by a typed listener
  // during this emit is then recorded after the request that caused it.
  if (state.anyListeners.length > 0) {
    for (const entry of state.anyListeners.slice()) {
      try {
        track(state, type, event, entry.name, entry.listener(type, event));
      } catch (error) {
        reportFailure(state, type, event, entry.name, error);
      }
    }
  }
  state.emitter.emit(type, event);
}

function subscribe<T extends EventType>(
  state: BusState,
  type: T,
  listener: Listener<T>,
  options: SubscribeOptions | undefined,
  once: boolean,
): Dispose {
  const wrapped = wrap(state, type, listener, options?.name ?? (listener.name || 'anonymous'));
  if (once) state.emitter.once(type, wrapped);
  else state.emitter.on(type, wrapped);
  return () => state.emitter.off(type, wrapped);
}

function unsubscribe<T extends EventType>(emitter: EventEmitter, type: T, listener: Listener<T>): void {
  for (const wrapped of emitter.listeners(type) as Wrapped[]) {
    if (wrapped.original === listener) emitter.off(type, wrapped);
  }
}

function subscribeToAll(
  state: BusState,
  listener: AnyListener,
  options: SubscribeOptions | undefined,
): Dispose {
  const entry = { listener, name: options?.name ?? (listener.name || 'anonymous') };
  state.anyListeners.push(entry);
  return () => {
    const index = state.anyListeners.indexOf(entry);
    if (index >= 0) state.anyListeners.splice(index, 1);
  };
}

/** The listener as the emitter calls it: a throw is reported, a returned promise tracked. */
function wrap<T extends EventType>(state: BusState, type: T, listener: Listener<T>, name: string): Wrapped {
  const wrapped: Wrapped = (event) => {
    try {
      track(state, type, event, name, listener(event as EventPayload<T>));
    } catch (error) {
      reportFailure(state, type, event, name, error);
    }
  };
  wrapped.original = listener;
  return wrapped;
}

/** Keeps a promise a listener returned until it settles, for `settled()`; a rejection is reported. */
function track(state: BusState, type: EventType, event: unknown, subscriber: string, result: unknown): void {
  if (!isPromiseLike(result)) return;
  const tracked = Promise.resolve(result).then(
    () => undefined,
    (error: unknown) => reportFailure(state, type, event, subscriber, error),
  );
  state.pending.add(tracked);
  void tracked.finally(() => state.pending.delete(tracked));
}

async function waitForPending(pending: Set<Promise<void>>): Promise<void> {
  while (pending.size > 0) await Promise.all([...pending]);
}

function reportFailure(
  state: BusState,
  type: EventType,
  event: unknown,
  subscriber: string,
  error: unknown,
): void {
  if (type === 'SUBSCRIBER_FAILED') return; // a failing failure reporter must not recurse
  let runId: unknown;
  try {
    runId = (event as { runId?: unknown } | null)?.runId;
  } catch {
    runId = undefined;
  }
  emitEvent(state, 'SUBSCRIBER_FAILED', {
    ...(typeof runId === 'string' ? { runId } : {}),
    event: type,
    subscriber,
    error: describe(error),
  });
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
