// A task's own `budget: { maxUsd, maxTokens }`, over all its attempts (and all items of a foreach).
import { formatUsd } from '../config/pricing.ts';
import { OrchestratorError } from '../errors.ts';
import type { Usage } from '../events/vocabulary.ts';
import type { TaskRecord } from './state.ts';

/**
 * Refuses a model call that would take the task past its budget: micro-USD already spent by the
 * task (`spentMicroUsd` adds what the current attempt spent so far) plus `upcomingMicroUsd` (the
 * call's estimate, when known) must stay within `maxMicroUsd`; tokens spent must stay below `maxTokens`.
 * The error is BUDGET_EXCEEDED, which is never retried.
 */
export function checkTaskBudget(
  record: TaskRecord,
  current: { costMicroUsd: number; usage: Usage },
  upcomingMicroUsd: number,
): void {
  const budget = record.definition.budget;
  if (budget === undefined) return;
  const { tally, definition } = record;
  if (budget.maxMicroUsd !== undefined) {
    const limitMicroUsd = budget.maxMicroUsd;
    const spent = tally.costMicroUsd + current.costMicroUsd;
    if (spent >= limitMicroUsd || spent + upcomingMicroUsd > limitMicroUsd) {
      throw new OrchestratorError(
        'BUDGET_EXCEEDED',
        `Task "${definition.id}" would pass its budget of ${formatUsd(limitMicroUsd)}: it has spent ${formatUsd(spent)}` +
          (upcomingMicroUsd > 0 ? ` and the next call is estimated at ${formatUsd(upcomingMicroUsd)}.` : '.'),
        { hint: 'Raise `budget.maxUsd` of the task, or lower its tier.' },
      );
    }
  }
  if (budget.maxTokens !== undefined) {
    const spent = tokensOf(tally) + tokensOf(current.usage);
    if (spent >= budget.maxTokens) {
      throw new OrchestratorError(
        'BUDGET_EXCEEDED',
        `Task "${definition.id}" has used ${spent} tokens, its budget of ${budget.maxTokens}; no further model call is made.`,
        { hint: 'Raise `budget.maxTokens` of the task.' },
      );
    }
  }
}

function tokensOf(usage: { inputTokens?: number | undefined; outputTokens?: number | undefined }): number {
  return (usage.inputTokens ?? 0) + (usage.outputTokens ?? 0);
}
