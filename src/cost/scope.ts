// Which budgets apply to a call, and the counter each one is kept in.
import type { BudgetDefinition } from '../config/budgets.ts';
import { periodKey } from './periods.ts';

/** What a call is about, as far as budgets care. */
export type BudgetSubject = {
  sessionId: string | undefined;
  workflowId: string | undefined;
  category: string | undefined;
  modelId: string | undefined;
};

/** A call's subject: a reservation always knows its session and model. */
export type CallSubject = BudgetSubject & { sessionId: string; modelId: string };

/** A budget applied to one subject in one period: the row of `budget_counters` it is kept in. */
export type BudgetCounterKey = {
  budget: BudgetDefinition;
  scopeKey: string;
  period: string;
};

/** The scope value of `subject` for `budget`, or undefined when the budget does not apply to it. */
export function scopeKeyOf(budget: BudgetDefinition, subject: BudgetSubject): string | undefined {
  const value = scopeValue(budget, subject);
  if (value === undefined) return undefined;
  if (budget.match !== undefined && budget.match !== value) return undefined;
  return value;
}

function scopeValue(budget: BudgetDefinition, subject: BudgetSubject): string | undefined {
  switch (budget.scope) {
    case 'global':
      return '';
    case 'session':
      return subject.sessionId;
    case 'category':
      return subject.category;
    case 'workflow':
      return subject.workflowId;
    case 'model':
      return subject.modelId;
  }
}

/** Every budget that applies to `subject`, with its counter for the period containing `atMs`. */
export function applicableCounters(
  budgets: readonly BudgetDefinition[],
  subject: BudgetSubject,
  atMs: number,
): BudgetCounterKey[] {
  const counters: BudgetCounterKey[] = [];
  for (const budget of budgets) {
    const scopeKey = scopeKeyOf(budget, subject);
    if (scopeKey !== undefined) counters.push({ budget, scopeKey, period: periodKey(budget.window, atMs) });
  }
  return counters;
}
