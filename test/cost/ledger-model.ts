// An in-memory model of the ledger's rules, written from the spec, for the model-based test.
import { type BudgetConfig, normaliseBudgets } from '../../src/config/budgets.ts';
import { periodKey } from '../../src/cost/periods.ts';
import { admitsPriority, throttleLevelFor } from '../../src/cost/throttle.ts';
import type { Priority } from '../../src/events/vocabulary.ts';

export const modelConfig: BudgetConfig = normaliseBudgets({
  version: 1,
  admission: { leaseMs: 1_000, throttleRetryMs: 30_000 },
  budgets: [
    { name: 'usd-hourly', scope: 'global', window: 'hour', limitUsd: 0.01 },
    { name: 'tokens-daily', scope: 'session', window: 'day', limitTokens: 5_000 },
  ],
});
const [usdBudget, tokenBudget] = modelConfig.budgets as [
  (typeof modelConfig.budgets)[number],
  (typeof modelConfig.budgets)[number],
];

type Counter = { spent: number; reserved: number };
type Reservation = {
  amount: number;
  tokens: number;
  usdPeriod: string;
  tokenPeriod: string;
  createdAt: number;
  expiresAt: number;
  open: boolean;
};

export type LedgerModel = {
  now: number;
  counters: Map<string, Counter>;
  reservations: Map<string, Reservation>;
  booked: Map<string, number>;
};

export function emptyModel(now: number): LedgerModel {
  return { now, counters: new Map(), reservations: new Map(), booked: new Map() };
}

export const counterId = (budget: string, period: string) => `${budget}|${period}`;

function counter(model: LedgerModel, budget: string, period: string): Counter {
  const id = counterId(budget, period);
  let found = model.counters.get(id);
  if (found === undefined) {
    found = { spent: 0, reserved: 0 };
    model.counters.set(id, found);
  }
  return found;
}

export function modelReleaseExpired(model: LedgerModel): number {
  let released = 0;
  for (const reservation of model.reservations.values()) {
    if (!reservation.open || reservation.expiresAt > model.now) continue;
    counter(model, usdBudget.name, reservation.usdPeriod).reserved -= reservation.amount;
    counter(model, tokenBudget.name, reservation.tokenPeriod).reserved -= reservation.tokens;
    reservation.open = false;
    released++;
  }
  return released;
}

export function modelReserve(
  model: LedgerModel,
  id: string,
  amount: number,
  tokens: number,
  priority: Priority,
): string {
  modelReleaseExpired(model);
  const usdPeriod = periodKey('hour', model.now);
  const tokenPeriod = periodKey('day', model.now);
  const usd = { ...counter(model, usdBudget.name, usdPeriod), limit: usdBudget.limit, requested: amount };
  const tok = {
    ...counter(model, tokenBudget.name, tokenPeriod),
    limit: tokenBudget.limit,
    requested: tokens,
  };
  const readings = [usd, tok];
  const utilisation = Math.max(...readings.map((r) => (r.spent + r.reserved) / r.limit));
  const level = throttleLevelFor(utilisation, modelConfig.throttle);
  if (model.booked.has(id)) return 'already-settled';
  const existing = model.reservations.get(id);
  if (existing?.open === true) {
    existing.expiresAt = model.now + modelConfig.leaseMs;
    return 'reserved';
  }
  if (existing !== undefined) model.reservations.delete(id);
  if (readings.some((r) => r.requested > r.limit)) return 'blocked';
  if (!admitsPriority(level, priority)) return 'throttled';
  const overflowing = readings.filter((r) => r.spent + r.reserved + r.requested > r.limit);
  if (overflowing.some((r) => r.spent + r.requested > r.limit)) return 'blocked';
  if (overflowing.length > 0) return 'throttled';
  counter(model, usdBudget.name, usdPeriod).reserved += amount;
  counter(model, tokenBudget.name, tokenPeriod).reserved += tokens;
  model.reservations.set(id, {
    amount,
    tokens,
    usdPeriod,
    tokenPeriod,
    createdAt: model.now,
    expiresAt: model.now + modelConfig.leaseMs,
    open: true,
  });
  return 'reserved';
}

export const fallbackMicroUsd = 777;
export const fallbackTokens = 55;

/** Returns the booked cost, or 'duplicate'. `actual` undefined: usage unknown. */
export function modelSettle(
  model: LedgerModel,
  id: string,
  actual: { cost: number; tokens: number } | undefined,
): number | 'duplicate' {
  if (model.booked.has(id)) return 'duplicate';
  const reservation = model.reservations.get(id);
  const cost = actual?.cost ?? reservation?.amount ?? fallbackMicroUsd;
  const tokens = actual?.tokens ?? reservation?.tokens ?? fallbackTokens;
  if (reservation?.open === true) {
    const usd = counter(model, usdBudget.name, reservation.usdPeriod);
    usd.spent += cost;
    usd.reserved -= reservation.amount;
    const tok = counter(model, tokenBudget.name, reservation.tokenPeriod);
    tok.spent += tokens;
    tok.reserved -= reservation.tokens;
  } else {
    const at = reservation?.createdAt ?? model.now;
    counter(model, usdBudget.name, periodKey('hour', at)).spent += cost;
    counter(model, tokenBudget.name, periodKey('day', at)).spent += tokens;
  }
  model.reservations.delete(id);
  model.booked.set(id, cost);
  return cost;
}

export function modelCancel(model: LedgerModel, id: string): boolean {
  const reservation = model.reservations.get(id);
  if (reservation === undefined) return false;
  if (reservation.open) {
    counter(model, usdBudget.name, reservation.usdPeriod).reserved -= reservation.amount;
    counter(model, tokenBudget.name, reservation.tokenPeriod).reserved -= reservation.tokens;
  }
  model.reservations.delete(id);
  return true;
}
