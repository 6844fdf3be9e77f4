import type { BudgetDefinition } from '../config/budgets.ts';
import type { Priority } from '../events/vocabulary.ts';
import type { BudgetCounterKey, CallSubject } from './scope.ts';
import type { ThrottleLevel } from './throttle.ts';

/** The correlation key of one attempt: the ledger books each at most once. */
export type AttemptRef = { runId: string; taskId: string; attempt: number };

/** A call asking for admission: reserve `amountMicroUsd` and `tokens`, the estimated maximum. */
export type ReservationRequest = AttemptRef & {
  subject: CallSubject;
  priority: Priority;
  provider?: string | undefined;
  tier?: number | undefined;
  amountMicroUsd: number;
  tokens: number;
};

/** One budget's counter as read inside the admission transaction, before this call. */
export type BudgetReading = BudgetCounterKey & {
  spent: number;
  reserved: number;
  /** (spent + reserved) / limit. */
  utilisation: number;
  /** What this call would add: micro-USD or tokens, by the budget's unit. */
  requested: number;
};

/** The answer of `reserve`: admitted (held until settled), wait and ask again, or refused. */
export type ReserveResult =
  | {
      status: 'reserved';
      level: ThrottleLevel;
      readings: BudgetReading[];
      tightest: BudgetReading | undefined;
    }
  | {
      status: 'throttled';
      level: ThrottleLevel;
      readings: BudgetReading[];
      /** The budget that holds the call back. */
      budget: BudgetReading;
      retryAfterMs: number;
      cause: 'level' | 'in-flight';
    }
  | { status: 'blocked'; level: ThrottleLevel; readings: BudgetReading[]; budget: BudgetReading }
  | { status: 'already-settled'; level: ThrottleLevel; readings: BudgetReading[] };

/** A reservation as `Ledger.reservation` shows it. */
export type ReservationInfo = {
  owner: string;
  amountMicroUsd: number;
  tokens: number;
  /** `expired`: its lease ran out and its holds were released; settling still books it. */
  status: 'open' | 'expired';
  leaseExpiresAt: number;
};

/** What happened in the call, for booking it. Unknown stays undefined. */
export type Settlement = AttemptRef & {
  outcome: 'completed' | 'failed' | 'unknown';
  /** The provider-reported cost; undefined when usage or price is unknown. */
  costMicroUsd: number | undefined;
  inputTokens: number | undefined;
  outputTokens: number | undefined;
  /** What the same tokens would have cost on the strongest model. */
  baselineMicroUsd?: number | undefined;
  /** Where the call belongs when it has no reservation (never admitted, or the row is gone). */
  subject?: CallSubject | undefined;
  provider?: string | undefined;
  tier?: number | undefined;
  /** Booked when the cost is unknown and there is no reservation to fall back on. */
  fallbackMicroUsd?: number | undefined;
  fallbackTokens?: number | undefined;
};

/** What `settle` booked. */
export type SettleResult = {
  costMicroUsd: number;
  tokens: number;
  /** True when the amount is the reserved (or fallback) estimate, not a reported usage. */
  estimated: boolean;
  reservation: 'open' | 'expired' | 'none';
  reservedMicroUsd: number;
};

/** A budget's state in the current period for one scope key. */
export type BudgetStatus = {
  budget: BudgetDefinition;
  scopeKey: string;
  period: string;
  spent: number;
  reserved: number;
  utilisation: number;
  level: ThrottleLevel;
};
