// Shared set-up of the cost tests: an in-memory ledger, a fake clock, a small price book, a bus recorder.
import type { Clock } from '../../src/clock.ts';
import { type BudgetConfig, type BudgetsFile, normaliseBudgets } from '../../src/config/budgets.ts';
import { createLedger } from '../../src/cost/ledger.ts';
import { createPriceBook } from '../../src/cost/price-book.ts';
import { createEventBus, type EventBus } from '../../src/events/bus.ts';
import type { EventPayload, EventType } from '../../src/events/events.ts';
import type { Logger } from '../../src/log.ts';
import { openStateDatabase } from '../../src/store/index.ts';

/** A clock that moves only when told to. */
export function fakeClock(
  startMs: number,
): Clock & { set: (ms: number) => void; advance: (ms: number) => void } {
  let now = startMs;
  return {
    now: () => now,
    sleep: async (ms) => {
      now += ms;
    },
    set: (ms) => {
      now = ms;
    },
    advance: (ms) => {
      now += ms;
    },
  };
}

/** $1 per million input tokens, $2 per million output tokens at tier 1; $15/$75 at tier 4. */
export const priceBook = createPriceBook([
  { id: 'small', tier: 1, inputMicroUsdPerMTok: 1_000_000, outputMicroUsdPerMTok: 2_000_000 },
  { id: 'small-pricier', tier: 1, inputMicroUsdPerMTok: 3_000_000, outputMicroUsdPerMTok: 4_000_000 },
  { id: 'strong', tier: 4, inputMicroUsdPerMTok: 15_000_000, outputMicroUsdPerMTok: 75_000_000 },
]);

/** A quick stand-in for the tokenizer: one token per four characters. */
export const quarterTokens = (text: string) => Math.ceil(text.length / 4);

export function budgets(entries: BudgetsFile['budgets']): BudgetConfig {
  return normaliseBudgets({ version: 1, budgets: entries });
}

export function ledgerOn(config: BudgetConfig, clock: Pick<Clock, 'now'>) {
  const db = openStateDatabase(':memory:');
  return { db, ledger: createLedger({ db, config, clock, owner: 'test' }) };
}

/** Records every event of a bus, in order. */
export function recordedBus(): {
  bus: EventBus;
  events: { type: EventType; payload: unknown }[];
  of: <T extends EventType>(type: T) => EventPayload<T>[];
} {
  const bus = createEventBus();
  const events: { type: EventType; payload: unknown }[] = [];
  bus.onAny((type, payload) => {
    events.push({ type, payload });
  });
  return {
    bus,
    events,
    of: (type) => events.filter((event) => event.type === type).map((event) => event.payload) as never,
  };
}

export const subject = { sessionId: 'session-1', workflowId: 'wf', category: 'FAST', modelId: 'small' };

/** A logger that keeps what it was told. */
export function recordingLogger(): Logger & {
  lines: { level: string; fields: Record<string, unknown>; message: string }[];
} {
  const lines: { level: string; fields: Record<string, unknown>; message: string }[] = [];
  const at =
    (level: string, bound: Record<string, unknown>) =>
    (fieldsOrMessage: Record<string, unknown> | string, message?: string) => {
      if (typeof fieldsOrMessage === 'string') lines.push({ level, fields: bound, message: fieldsOrMessage });
      else lines.push({ level, fields: { ...bound, ...fieldsOrMessage }, message: message ?? '' });
    };
  const make = (bound: Record<string, unknown>): Logger => ({
    child: (bindings) => make({ ...bound, ...bindings }),
    trace: at('trace', bound),
    debug: at('debug', bound),
    info: at('info', bound),
    warn: at('warn', bound),
    error: at('error', bound),
  });
  return Object.assign(make({}), { lines });
}
