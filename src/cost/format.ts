// How amounts read in messages and reports.
import type { BudgetDefinition } from '../config/budgets.ts';

const grouped = new Intl.NumberFormat('en-US');

/** Integer micro-USD as dollars: `$1,000.00`, `$4.90`, `$0.0123`, `$0.000045` (cents at least, no float noise). */
export function formatUsd(microUsd: number): string {
  const sign = microUsd < 0 ? '-' : '';
  const absolute = Math.abs(Math.round(microUsd));
  const dollars = Math.floor(absolute / 1_000_000);
  const fraction = String(absolute % 1_000_000)
    .padStart(6, '0')
    .replace(/0{1,4}$/, (zeros) => zeros.slice(0, Math.max(0, zeros.length - 4)));
  return `${sign}$${grouped.format(dollars)}.${fraction.padEnd(2, '0')}`;
}

/** Micro-USD with a fixed number of decimals, for columns: `$0.0450`, `$1,000.0000`. */
export function formatUsdFixed(microUsd: number, decimals = 4): string {
  const scale = 10 ** (6 - decimals);
  const rounded = Math.round(Math.abs(microUsd) / scale);
  const unit = 10 ** decimals;
  const fraction = String(rounded % unit).padStart(decimals, '0');
  return `${microUsd < 0 ? '-' : ''}$${grouped.format(Math.floor(rounded / unit))}.${fraction}`;
}

/** A count with thousands separators: `1,234`. */
export function formatCount(count: number): string {
  return grouped.format(count);
}

/** A token count with thousands separators: `100,000 tokens`. */
export function formatTokens(tokens: number): string {
  return `${grouped.format(tokens)} tokens`;
}

/** An amount in a budget's unit. */
export function formatAmount(budget: Pick<BudgetDefinition, 'unit'>, amount: number): string {
  return budget.unit === 'usd' ? formatUsd(amount) : formatTokens(amount);
}

/** A utilisation as a whole percentage: `85%`. */
export function formatPercent(fraction: number): string {
  return `${Math.floor(fraction * 100)}%`;
}

/** A duration for people, rounded up to the second: `950ms`, `30s`, `2m 5s`, `3h 5m`, `2d 4h`. */
export function formatDuration(ms: number): string {
  if (ms < 1_000) return `${Math.ceil(ms)}ms`;
  const seconds = Math.ceil(ms / 1_000);
  const pair = (big: number, bigUnit: string, small: number, smallUnit: string) =>
    small === 0 ? `${big}${bigUnit}` : `${big}${bigUnit} ${small}${smallUnit}`;
  if (seconds < 60) return `${seconds}s`;
  if (seconds < 3_600) return pair(Math.floor(seconds / 60), 'm', seconds % 60, 's');
  const minutes = Math.ceil(seconds / 60);
  if (minutes < 1_440) return pair(Math.floor(minutes / 60), 'h', minutes % 60, 'm');
  const hours = Math.ceil(minutes / 60);
  return pair(Math.floor(hours / 24), 'd', hours % 24, 'h');
}

/** A budget named with where it applies: `"session-hourly-usd" (session "s1", hour 2026-11-22T03)`. */
export function describeBudget(
  budget: Pick<BudgetDefinition, 'name' | 'scope' | 'window'>,
  scopeKey: string,
  period: string,
): string {
  const scope = budget.scope === 'global' ? 'global' : `${budget.scope} "${scopeKey}"`;
  return `"${budget.name}" (${scope}, ${budget.window} ${period})`;
}
