// Public test helpers: `import { recordEvents, createManualClock } from 'tierflow/testing'`.
import type { Clock } from './clock.ts';
import { ProviderError } from './errors.ts';
import type { EventBus } from './events/bus.ts';
import type { AnyEvent, EventPayload, EventType } from './events/events.ts';
import type { Usage } from './events/vocabulary.ts';
import type { GenerateRequest, GenerateResult, Provider } from './providers/types.ts';

export { createSimulationProvider } from './providers/simulation.ts';

/** Every event a bus carried, in order. */
export type EventRecording = {
  readonly events: readonly AnyEvent[];
  /** The payloads of one event type, in order. */
  ofType: <T extends EventType>(type: T) => EventPayload<T>[];
  /** The event types in order, e.g. for `toEqual([...])` assertions. */
  types: () => EventType[];
  stop: () => void;
};

/**
 * Records every event on a bus.
 * @example
 * const recording = recordEvents(orchestrator.bus);
 * await orchestrator.run(workflow);
 * expect(recording.ofType('MODEL_SELECTED').map((event) => event.tier)).toEqual([1, 2]);
 */
export function recordEvents(bus: EventBus): EventRecording {
  const events: AnyEvent[] = [];
  const stop = bus.onAny((type, payload) => {
    events.push({ type, payload } as AnyEvent);
  });
  return {
    events,
    ofType: <T extends EventType>(type: T) =>
      events.filter((event) => event.type === type).map((event) => event.payload as EventPayload<T>),
    types: () => events.map((event) => event.type),
    stop,
  };
}

/** A clock that moves only when told; `sleep` resolves when `advance` passes its deadline. */
export type ManualClock = Clock & { advance: (ms: number) => Promise<void> };

/** Creates a manual clock starting at `startMs`. */
export function createManualClock(startMs = 0): ManualClock {
  let now = startMs;
  const sleepers: { at: number; resolve: () => void }[] = [];
  return {
    now: () => now,
    sleep: (ms, signal) =>
      new Promise<void>((resolve, reject) => {
        if (signal?.aborted) {
          reject(signal.reason);
          return;
        }
        const sleeper = { at: now + ms, resolve };
        sleepers.push(sleeper);
        signal?.addEventListener(
          'abort',
          () => {
            sleepers.splice(sleepers.indexOf(sleeper), 1);
            reject(signal.reason);
          },
          { once: true },
        );
      }),
    advance: async (ms) => {
      now += ms;
      sleepers.sort((a, b) => a.at - b.at);
      while (sleepers.length > 0 && (sleepers[0]?.at ?? Number.POSITIVE_INFINITY) <= now) {
        sleepers.shift()?.resolve();
        await Promise.resolve();
      }
    },
  };
}

/** One scripted answer: text with usage, or an error to throw. */
export type ScriptedAnswer =
  | { text: string; usage?: Usage }
  | {
      error: {
        code: 'PROVIDER_RATE_LIMITED' | 'PROVIDER_UNAVAILABLE' | 'PROVIDER_BAD_REQUEST';
        message: string;
      };
    };

/**
 * A provider that answers from a script per model id (in order; the last answer repeats), and
 * records every request. Answers are not labelled simulated: it stands in for a real vendor in tests.
 */
export function createScriptedProvider(script: Record<string, readonly ScriptedAnswer[]>): Provider & {
  requests: GenerateRequest[];
} {
  const requests: GenerateRequest[] = [];
  const served = new Map<string, number>();
  return {
    name: 'scripted',
    requests,
    generate: async (request): Promise<GenerateResult> => {
      requests.push(request);
      const answers = script[request.model.id] ?? [];
      const index = served.get(request.model.id) ?? 0;
      served.set(request.model.id, index + 1);
      const answer = answers[Math.min(index, answers.length - 1)];
      if (answer === undefined)
        throw new ProviderError('PROVIDER_BAD_REQUEST', `No scripted answer for "${request.model.id}".`, {
          retryable: false,
        });
      if ('error' in answer) {
        throw new ProviderError(answer.error.code, answer.error.message, {
          retryable: answer.error.code !== 'PROVIDER_BAD_REQUEST',
        });
      }
      return {
        text: answer.text,
        usage: answer.usage ?? {
          inputTokens: Math.ceil(request.prompt.length / 4),
          outputTokens: Math.ceil(answer.text.length / 4),
        },
        simulated: false,
        finishReason: 'stop',
      };
    },
  };
}
