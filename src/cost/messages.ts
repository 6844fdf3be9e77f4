// Every sentence the cost tracker says to users, in one place so that each has a snapshot test.
import type { Priority } from '../events/vocabulary.ts';
import type { CallEstimate } from './estimate.ts';
import {
  describeBudget,
  formatAmount,
  formatCount,
  formatDuration,
  formatPercent,
  formatUsd,
} from './format.ts';
import type { BudgetReading } from './ledger-types.ts';
import type { TokenPrice } from './price-book.ts';
import type { ThrottleLevel } from './throttle.ts';

type Estimated = Extract<CallEstimate, { ok: true }>;

export function allowedReason(
  estimate: Estimated,
  modelId: string,
  level: ThrottleLevel,
  tightest: BudgetReading | undefined,
): string {
  const tokens = `${formatCount(estimate.inputTokens)} input + ${formatCount(estimate.outputTokens)} output tokens on "${modelId}"`;
  const budget =
    tightest === undefined
      ? 'no budget applies'
      : `tightest budget "${tightest.budget.name}" at ${formatPercent(tightest.utilisation)}`;
  return `reserved ${formatUsd(estimate.amountMicroUsd)} (${tokens}); throttle ${level}, ${budget}`;
}

export function levelThrottledReason(
  reading: BudgetReading,
  level: ThrottleLevel,
  priority: Priority,
  retryAfterMs: number,
): string {
  const admitted =
    level === 'SOFT'
      ? 'normal priority and above run'
      : level === 'HARD'
        ? 'only high and critical run'
        : 'only critical runs';
  return `budget "${reading.budget.name}" is at ${formatPercent(reading.utilisation)} (${level}): ${admitted}, so this ${priority}-priority task waits; asking again in ${formatDuration(retryAfterMs)}`;
}

export function inFlightThrottledReason(reading: BudgetReading, retryAfterMs: number): string {
  const held = formatAmount(reading.budget, reading.spent + reading.reserved);
  return `budget "${reading.budget.name}" has ${held} of ${formatAmount(reading.budget, reading.budget.limit)} spent or held by calls in flight, and this call needs up to ${formatAmount(reading.budget, reading.requested)}; asking again in ${formatDuration(retryAfterMs)}`;
}

/** The message of BUDGET_EXCEEDED and of the blocked admission: names the budget that tripped. */
export function budgetExceededMessage(reading: BudgetReading): string {
  const { budget } = reading;
  const amount = (value: number) => formatAmount(budget, value);
  const needs =
    reading.requested > budget.limit
      ? `this call needs up to ${amount(reading.requested)}, more than the whole limit`
      : `this call needs up to ${amount(reading.requested)}`;
  return `Budget ${describeBudget(budget, reading.scopeKey, reading.period)} would be exceeded: limit ${amount(budget.limit)}, spent ${amount(reading.spent)}, reserved ${amount(reading.reserved)}; ${needs}.`;
}

export function alreadyBookedReason(taskId: string, attempt: number): string {
  return `attempt ${attempt} of task "${taskId}" is already booked in the ledger; it is not admitted twice`;
}

export function priceUnknownWarning(modelId: string, tier: number, price: TokenPrice): string {
  return `no price for model "${modelId}"; estimating at the highest tier-${tier} price (${formatUsd(price.inputMicroUsdPerMTok)}/MTok in, ${formatUsd(price.outputMicroUsdPerMTok)}/MTok out)`;
}

export function priceUnknownReason(modelId: string, tier: number): string {
  return `no price for model "${modelId}" nor for any tier-${tier} model in the catalog; refusing the call rather than guessing its cost`;
}

export function stateFailedReason(detail: string): string {
  return `the cost ledger could not be updated (${detail}); refusing the call rather than spending unrecorded money`;
}

export function budgetWarningMessage(reading: BudgetReading, utilisation: number): string {
  const used = formatAmount(reading.budget, reading.spent + reading.reserved + reading.requested);
  return `Budget ${describeBudget(reading.budget, reading.scopeKey, reading.period)} is at ${formatPercent(utilisation)}: ${used} of ${formatAmount(reading.budget, reading.budget.limit)} spent or reserved.`;
}

const levelMeaning: Record<ThrottleLevel, string> = {
  NONE: 'every task runs',
  WARNING: 'every task still runs',
  SOFT: 'low-priority tasks wait',
  HARD: 'only high and critical tasks run',
  CRITICAL: 'only critical tasks run',
};

export function throttleChangedMessage(
  from: ThrottleLevel,
  to: ThrottleLevel,
  reading: BudgetReading | undefined,
): string {
  const cause =
    reading === undefined
      ? ''
      : ` (budget "${reading.budget.name}" at ${formatPercent(reading.utilisation)})`;
  return `Throttle ${from} -> ${to}${cause}: ${levelMeaning[to]}.`;
}
