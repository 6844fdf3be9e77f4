// Every budget's state in its current period, and when each monthly one runs out at the current rate.
import type { BudgetConfig, BudgetDefinition } from '../config/budgets.ts';
import type { StateDatabase } from '../store/index.ts';
import { periodEndMs, periodKey, periodStartMs } from './periods.ts';
import { type ThrottleLevel, throttleLevelFor } from './throttle.ts';

/** When a monthly budget runs out if spending goes on at this month's average rate. */
export type BudgetForecast =
  | { kind: 'no-spend' }
  | { kind: 'lasts'; ratePerDay: number }
  | { kind: 'runs-out'; atMs: number; ratePerDay: number };

export type BudgetStatusRow = {
  budget: string;
  scope: BudgetDefinition['scope'];
  /** Session id, category, workflow or model id; '' for global; undefined when nothing was booked for this scope yet. */
  scopeKey: string | undefined;
  window: BudgetDefinition['window'];
  period: string;
  unit: BudgetDefinition['unit'];
  /** Micro-USD or tokens, by `unit`. */
  spent: number;
  reserved: number;
  limit: number;
  utilisation: number;
  level: ThrottleLevel;
  /** Monthly budgets only. */
  forecast: BudgetForecast | undefined;
};

/** One row per budget and scope key with activity in the current period (one empty row for an idle budget). */
export function budgetStatus(db: StateDatabase, config: BudgetConfig, nowMs: number): BudgetStatusRow[] {
  const counters = db.prepare(
    'SELECT scope_key AS scopeKey, spent, reserved FROM budget_counters WHERE budget = ? AND period = ? ORDER BY scope_key',
  );
  const rows: BudgetStatusRow[] = [];
  for (const budget of config.budgets) {
    const period = periodKey(budget.window, nowMs);
    const found = counters.all(budget.name, period) as {
      scopeKey: string;
      spent: number;
      reserved: number;
    }[];
    const entries = found.length > 0 ? found : [{ scopeKey: undefined, spent: 0, reserved: 0 }];
    for (const entry of entries) {
      const utilisation = (entry.spent + entry.reserved) / budget.limit;
      rows.push({
        budget: budget.name,
        scope: budget.scope,
        scopeKey: entry.scopeKey ?? (budget.scope === 'global' ? '' : budget.match),
        window: budget.window,
        period,
        unit: budget.unit,
        spent: entry.spent,
        reserved: entry.reserved,
        limit: budget.limit,
        utilisation,
        level: throttleLevelFor(utilisation, config.throttle),
        forecast:
          budget.window === 'month' ? forecast(budget, entry.spent, entry.reserved, nowMs) : undefined,
      });
    }
  }
  return rows;
}

/** Linear forecast from the average rate since the month began. */
export function forecast(
  budget: Pick<BudgetDefinition, 'window' | 'limit'>,
  spent: number,
  reserved: number,
  nowMs: number,
): BudgetForecast {
  const start = periodStartMs(budget.window, nowMs);
  const elapsedMs = Math.max(1, nowMs - start);
  if (spent <= 0) return { kind: 'no-spend' };
  const ratePerMs = spent / elapsedMs;
  const ratePerDay = Math.round(ratePerMs * 86_400_000);
  const remaining = budget.limit - spent - reserved;
  const atMs = remaining <= 0 ? nowMs : nowMs + Math.ceil(remaining / ratePerMs);
  return atMs >= periodEndMs(budget.window, nowMs)
    ? { kind: 'lasts', ratePerDay }
    : { kind: 'runs-out', atMs, ratePerDay };
}
