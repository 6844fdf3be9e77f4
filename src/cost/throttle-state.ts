// The throttle state the router reads, so that it can choose a cheaper tier when budgets run low.
import { type Clock, systemClock } from '../clock.ts';
import { type BudgetConfig, defaultBudgetConfig } from '../config/budgets.ts';
import type { Dispose, EventBus } from '../events/bus.ts';
import type { StateDatabase } from '../store/index.ts';
import { createLedger, tightestOf } from './ledger.ts';
import { type ThrottleLevel, throttleLevelFor } from './throttle.ts';

/** Whatever the reader knows about a call; budgets of unknown scopes are left out. */
export type ThrottleQuery = {
  sessionId?: string | undefined;
  workflowId?: string | undefined;
  category?: string | undefined;
  modelId?: string | undefined;
};

/** The tightest applicable budget, now. */
export type ThrottleState = {
  level: ThrottleLevel;
  /** (spent + reserved) / limit of the tightest budget; 0 when none applies. */
  utilisation: number;
  /** The tightest budget's name. */
  budget: string | undefined;
};

/** Reads budget state across processes (it is in the database) without reserving anything. */
export type ThrottleReader = (query?: ThrottleQuery) => ThrottleState;

/**
 * Creates the `throttleState` function the router reads.
 * @example router option: `throttleState: createThrottleReader({ db, config })`
 */
export function createThrottleReader(options: {
  db: StateDatabase;
  config?: BudgetConfig;
  clock?: Pick<Clock, 'now'>;
}): ThrottleReader {
  const config = options.config ?? defaultBudgetConfig;
  const ledger = createLedger({
    db: options.db,
    config,
    clock: options.clock ?? systemClock,
    owner: 'reader',
  });
  return (query = {}) => {
    const tightest = tightestOf(
      ledger.read({
        sessionId: query.sessionId,
        workflowId: query.workflowId,
        category: query.category,
        modelId: query.modelId,
      }),
    );
    if (tightest === undefined) return { level: 'NONE', utilisation: 0, budget: undefined };
    return {
      level: throttleLevelFor(tightest.utilisation, config.throttle),
      utilisation: tightest.utilisation,
      budget: tightest.budget.name,
    };
  };
}

/**
 * The throttle level for a hot path such as the router: read at most once per `maxAgeMs`, and again
 * as soon as the cost tracker reports a change. Returns the reader and a disposer of its listener.
 */
export function cacheThrottleLevel(
  bus: EventBus,
  clock: Pick<Clock, 'now'>,
  read: ThrottleReader,
  maxAgeMs = 1000,
): { level: () => ThrottleLevel; dispose: Dispose } {
  let cached: { level: ThrottleLevel; at: number } | undefined;
  const dispose = bus.on('THROTTLE_LEVEL_CHANGED', () => {
    cached = undefined;
  });
  return {
    level: () => {
      const now = clock.now();
      if (cached === undefined || now - cached.at > maxAgeMs) cached = { level: read().level, at: now };
      return cached.level;
    },
    dispose,
  };
}
