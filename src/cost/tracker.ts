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

/**
 * Subscribes the cost tracker to `bus`: admission by reserve-then-settle against every applicable
 * budget, exactly-once booking of each attempt, BUDGET_WARNING, BUDGET_EXCEEDED,
 * THROTTLE_LEVEL_CHANGED and TASK_THROTTLED. Returns a disposer that removes every listener.
 * A call without a session id is budgeted under its run id (one run, one session).
 */
export function subscribeCostTracker(bus: EventBus, options: CostTrackerOptions): Dispose {
  const config = options.config ?? defaultBudgetConfig;
  const clock = options.clock ?? systemClock;
  const log = (options.logger ?? silentLogger).child({ component: 'cost' });
  const ledger = createLedger({
    db: options.db,
    config,
    clock,
    ...(options.owner === undefined ? {} : { owner: options.owner }),
  });
  const context: TrackerContext = {
    bus,
    ledger,
    config,
    log,
    priceBook: options.priceBook,
    countTokens: options.countTokens ?? tiktokenCount,
    attempts: new Map(),
    levels: new Map(),
    warnedBudgets: new Set<string>(),
    warnedPrices: new Set<string>(),
    open: { count: 0 },
  };
  const stateOf = (event: { runId: string; taskId: string; attempt: number }): AttemptState => {
    const key = attemptKeyOf(event);
    let state = context.attempts.get(key);
    if (state === undefined) {
      state = { reserved: false };
      context.attempts.set(key, state);
    }
    return state;
  };
  const finished = (
    event: EventPayload<'AGENT_COMPLETED'> | EventPayload<'AGENT_FAILED'>,
    outcome: 'completed' | 'failed',
  ) => {
    const key = attemptKeyOf(event);
    const state = context.attempts.get(key);
    context.attempts.delete(key);
    if (options.settleOnEvents === false) return;
    settleAttempt(context, event, outcome, state);
  };
  const forgetRun = (event: { runId: string }) => {
    for (const key of context.attempts.keys())
      if (key.startsWith(`${event.runId}\u0000`)) context.attempts.delete(key);
    context.levels.delete(event.runId);
  };
  const renewEvery = Math.max(1_000, Math.floor(config.leaseMs / 3));
  const renewal = setInterval(() => {
    if (context.open.count === 0) return;
    try {
      ledger.renewLeases();
    } catch (error) {
      log.warn({ error: describe(error) }, 'cannot renew reservation leases');
    }
  }, renewEvery);
  renewal.unref();
  // Building the tokenizer takes about half a second: do it before the first admission waits on it.
  if (options.countTokens === undefined) setTimeout(() => tiktokenCount(''), 0).unref();

  const disposers = [
    bus.on(
      'AGENT_INVOKED',
      (event) => {
        const state = stateOf(event);
        state.text = event.text;
        state.contextChars = event.contextChars;
        state.sessionId = event.sessionId;
        state.workflowId = event.workflowId;
        state.priority = event.priority;
      },
      { name: 'cost-tracker' },
    ),
    bus.on(
      'MODEL_SELECTED',
      (event) => {
        stateOf(event).category = event.category;
      },
      { name: 'cost-tracker' },
    ),
    bus.on('ADMISSION_REQUESTED', (event) => decideAdmission(context, event, stateOf(event)), {
      name: 'cost-tracker',
    }),
    bus.on('AGENT_COMPLETED', (event) => finished(event, 'completed'), { name: 'cost-tracker' }),
    bus.on('AGENT_FAILED', (event) => finished(event, 'failed'), { name: 'cost-tracker' }),
    bus.on('WORKFLOW_COMPLETED', forgetRun, { name: 'cost-tracker' }),
    bus.on('WORKFLOW_FAILED', forgetRun, { name: 'cost-tracker' }),
    bus.on('WORKFLOW_CANCELLED', forgetRun, { name: 'cost-tracker' }),
  ];
  let disposed = false;
  return () => {
    if (disposed) return;
    disposed = true;
    clearInterval(renewal);
    for (const dispose of disposers) dispose();
    context.attempts.clear();
  };
}

function describe(error: unknown): string {
  return error instanceof OrchestratorError || error instanceof Error ? error.message : String(error);
}
