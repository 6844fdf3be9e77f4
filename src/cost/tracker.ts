// The cost tracker subscriber: answers ADMISSION_REQUESTED from the ledger (reserve), books
// AGENT_COMPLETED / AGENT_FAILED (settle), and reports budgets and throttling on the bus.
import { type Clock, systemClock } from '../clock.ts';
import { type BudgetConfig, defaultBudgetConfig } from '../config/budgets.ts';
import { OrchestratorError } from '../errors.ts';
import type { Dispose, EventBus } from '../events/bus.ts';
import type { EventPayload } from '../events/events.ts';
import { attemptKeyOf } from '../events/reply.ts';
import { type Logger, silentLogger } from '../log.ts';
import type { StateDatabase } from '../store/index.ts';
import { decideAdmission } from './admission.ts';
import { settleAttempt } from './booking.ts';
import { createLedger } from './ledger.ts';
import type { PriceBook } from './price-book.ts';
import { type TokenCounter, countTokens as tiktokenCount } from './tokens.ts';
import type { AttemptState, TrackerContext } from './tracker-context.ts';

export type CostTrackerOptions = {
  /** The state database (see `openStateDatabase`). */
  db: StateDatabase;
  /** Prices of the model catalog. */
  priceBook: PriceBook;
  /** @default the budgets of config/budgets.yaml as shipped */
  config?: BudgetConfig;
  /** @default systemClock */
  clock?: Clock;
  /** @default silentLogger */
  logger?: Logger;
  /** @default o200k_base via js-tiktoken */
  countTokens?: TokenCounter;
  /** Names this process on its reservations. @default `<pid>-<random hex>` */
  owner?: string;
  /**
   * Book AGENT_COMPLETED / AGENT_FAILED. Turn off when the run journal settles each attempt inside
   * its own transaction (with `createLedger(...).settle`). @default true
   */
  settleOnEvents?: boolean;
};

type AttemptEvent = { runId: string; taskId: string; attempt: number };
type FinishedEvent = EventPayload<'AGENT_COMPLETED'> | EventPayload<'AGENT_FAILED'>;

/**
 * Subscribes the cost tracker to `bus`: admission by reserve-then-settle against every applicable
 * budget, exactly-once booking of each attempt, BUDGET_WARNING, BUDGET_EXCEEDED,
 * THROTTLE_LEVEL_CHANGED and TASK_THROTTLED. Returns a disposer that removes every listener.
 * A call without a session id is budgeted under its run id (one run, one session).
 */
export function subscribeCostTracker(bus: EventBus, options: CostTrackerOptions): Dispose {
  const context = createTrackerContext(bus, options);
  const stopRenewal = renewLeasesWhileOpen(context);
  // Building the tokenizer takes about half a second: do it before the first admission waits on it.
  if (options.countTokens === undefined) setTimeout(() => tiktokenCount(''), 0).unref();
  const disposers = subscribeAttemptEvents(bus, context, options.settleOnEvents !== false);
  let disposed = false;
  return () => {
    if (disposed) return;
    disposed = true;
    stopRenewal();
    for (const dispose of disposers) dispose();
    context.attempts.clear();
  };
}

/** The tracker's state, with its own ledger on the options' database. */
function createTrackerContext(bus: EventBus, options: CostTrackerOptions): TrackerContext {
  const config = options.config ?? defaultBudgetConfig;
  const clock = options.clock ?? systemClock;
  const ledger = createLedger({
    db: options.db,
    config,
    clock,
    ...(options.owner === undefined ? {} : { owner: options.owner }),
  });
  return {
    bus,
    ledger,
    config,
    log: (options.logger ?? silentLogger).child({ component: 'cost' }),
    priceBook: options.priceBook,
    countTokens: options.countTokens ?? tiktokenCount,
    attempts: new Map(),
    levels: new Map(),
    warnedBudgets: new Set<string>(),
    warnedPrices: new Set<string>(),
    open: { count: 0 },
  };
}

/**
 * Extends the leases of this tracker's reservations every third of a lease (at most once a second)
 * while it holds any, so other processes do not release them as dead. Returns what stops it.
 */
function renewLeasesWhileOpen(context: TrackerContext): () => void {
  const { ledger, log } = context;
  const renewEvery = Math.max(1_000, Math.floor(context.config.leaseMs / 3));
  const renewal = setInterval(() => {
    if (context.open.count === 0) return;
    try {
      ledger.renewLeases();
    } catch (error) {
      log.warn({ error: describe(error) }, 'cannot renew reservation leases');
    }
  }, renewEvery);
  renewal.unref();
  return () => clearInterval(renewal);
}

/** The tracker's listeners: remember each attempt, admit it, book it once, forget finished runs. */
function subscribeAttemptEvents(bus: EventBus, context: TrackerContext, settleOnEvents: boolean): Dispose[] {
  const subscriber = { name: 'cost-tracker' };
  const forget = (event: { runId: string }) => forgetRun(context, event);
  return [
    bus.on('AGENT_INVOKED', (event) => rememberInvocation(attemptStateOf(context, event), event), subscriber),
    bus.on(
      'MODEL_SELECTED',
      (event) => {
        attemptStateOf(context, event).category = event.category;
      },
      subscriber,
    ),
    bus.on(
      'ADMISSION_REQUESTED',
      (event) => decideAdmission(context, event, attemptStateOf(context, event)),
      subscriber,
    ),
    bus.on(
      'AGENT_COMPLETED',
      (event) => finishAttempt(context, event, 'completed', settleOnEvents),
      subscriber,
    ),
    bus.on('AGENT_FAILED', (event) => finishAttempt(context, event, 'failed', settleOnEvents), subscriber),
    bus.on('WORKFLOW_COMPLETED', forget, subscriber),
    bus.on('WORKFLOW_FAILED', forget, subscriber),
    bus.on('WORKFLOW_CANCELLED', forget, subscriber),
  ];
}

/** What the tracker remembers of an attempt, created on its first event. */
function attemptStateOf(context: TrackerContext, event: AttemptEvent): AttemptState {
  const key = attemptKeyOf(event);
  let state = context.attempts.get(key);
  if (state === undefined) {
    state = { reserved: false };
    context.attempts.set(key, state);
  }
  return state;
}

/** Keeps what admission estimates and budgets the call by: its text, context, session and priority. */
function rememberInvocation(state: AttemptState, event: EventPayload<'AGENT_INVOKED'>): void {
  state.text = event.text;
  state.contextChars = event.contextChars;
  state.sessionId = event.sessionId;
  state.workflowId = event.workflowId;
  state.priority = event.priority;
}

/** Forgets the attempt and, unless the run journal does it, books what it cost. */
function finishAttempt(
  context: TrackerContext,
  event: FinishedEvent,
  outcome: 'completed' | 'failed',
  settleOnEvents: boolean,
): void {
  const key = attemptKeyOf(event);
  const state = context.attempts.get(key);
  context.attempts.delete(key);
  if (!settleOnEvents) return;
  settleAttempt(context, event, outcome, state);
}

/** Drops what a finished run left: attempts never settled and its last throttle level. */
function forgetRun(context: TrackerContext, event: { runId: string }): void {
  for (const key of context.attempts.keys())
    if (key.startsWith(`${event.runId}\u0000`)) context.attempts.delete(key);
  context.levels.delete(event.runId);
}

function describe(error: unknown): string {
  return error instanceof OrchestratorError || error instanceof Error ? error.message : String(error);
}
