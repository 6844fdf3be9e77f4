import type { BudgetConfig } from '../config/budgets.ts';
import type { EventBus } from '../events/bus.ts';
import type { ModelRef, Priority } from '../events/vocabulary.ts';
import type { Logger } from '../log.ts';
import type { CallEstimate } from './estimate.ts';
import type { Ledger } from './ledger.ts';
import type { PriceBook } from './price-book.ts';
import type { ThrottleLevel } from './throttle.ts';
import type { TokenCounter } from './tokens.ts';

/** What the tracker remembers about one attempt between AGENT_INVOKED and its settlement. */
export type AttemptState = {
  text?: string | undefined;
  contextChars?: number | undefined;
  sessionId?: string | undefined;
  workflowId?: string | undefined;
  priority?: Priority | undefined;
  category?: string | undefined;
  model?: ModelRef | undefined;
  estimate?: Extract<CallEstimate, { ok: true }> | undefined;
  /** True once the ledger holds a reservation for it. */
  reserved: boolean;
};

/** The tracker's shared state, handed to its admission and booking halves. */
export type TrackerContext = {
  bus: EventBus;
  ledger: Ledger;
  config: BudgetConfig;
  log: Logger;
  priceBook: PriceBook;
  countTokens: TokenCounter;
  attempts: Map<string, AttemptState>;
  /** The last throttle level reported per run. */
  levels: Map<string, ThrottleLevel>;
  /** Budget periods already warned about: `budget|scopeKey|period`. */
  warnedBudgets: Set<string>;
  warnedPrices: Set<string>;
  /** Reservations this tracker holds, for lease renewal. */
  open: { count: number };
};
