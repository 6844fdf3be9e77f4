// Budget windows are calendar periods in UTC, keyed so that a new period is a new counter row.
import type { BudgetWindow } from '../config/budgets.ts';

const pad = (value: number) => String(value).padStart(2, '0');

/** The key of the period containing `atMs`: `2026-11-22T03` (hour), `2026-11-22` (day), `2026-11` (month). */
export function periodKey(window: BudgetWindow, atMs: number): string {
  const date = new Date(atMs);
  const month = `${date.getUTCFullYear()}-${pad(date.getUTCMonth() + 1)}`;
  if (window === 'month') return month;
  const day = `${month}-${pad(date.getUTCDate())}`;
  return window === 'day' ? day : `${day}T${pad(date.getUTCHours())}`;
}

/** Milliseconds since the epoch at which the period containing `atMs` starts. */
export function periodStartMs(window: BudgetWindow, atMs: number): number {
  const date = new Date(atMs);
  const year = date.getUTCFullYear();
  const month = date.getUTCMonth();
  if (window === 'month') return Date.UTC(year, month, 1);
  if (window === 'day') return Date.UTC(year, month, date.getUTCDate());
  return Date.UTC(year, month, date.getUTCDate(), date.getUTCHours());
}

/** Milliseconds since the epoch at which the period containing `atMs` ends (the next one starts). */
export function periodEndMs(window: BudgetWindow, atMs: number): number {
  const date = new Date(periodStartMs(window, atMs));
  if (window === 'month') return Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1, 1);
  return date.getTime() + (window === 'day' ? 86_400_000 : 3_600_000);
}
