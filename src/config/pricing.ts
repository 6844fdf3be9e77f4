// Price maths in integer micro-USD. Prices per million tokens are converted once, at load.
import type { Usage } from '../events/vocabulary.ts';

/** The price fields `costMicroUsd` reads; a `ModelSpec` has them. */
export type ModelPrice = {
  readonly inputMicroUsdPerMillion: number;
  readonly outputMicroUsdPerMillion: number;
  readonly cachedInputMicroUsdPerMillion: number;
};

/** USD per million tokens -> integer micro-USD per million tokens (exact for prices with <= 6 decimals). */
export function microUsdPerMillion(usdPerMillion: number): number {
  return Math.round(usdPerMillion * 1_000_000);
}

/**
 * The cost of one call in integer micro-USD, rounded up once per call (a call that cost anything
 * costs at least 1 micro-USD). `cachedInputTokens` are part of `inputTokens` and billed at the
 * cached price; reasoning tokens are part of `outputTokens`, as the AI SDK reports them.
 * Undefined when input or output tokens are unknown: unknown stays unknown.
 */
export function costMicroUsd(model: ModelPrice, usage: Usage): number | undefined {
  if (usage.inputTokens === undefined || usage.outputTokens === undefined) return undefined;
  const cached = Math.min(usage.cachedInputTokens ?? 0, usage.inputTokens);
  return tokenCostMicroUsd(model, usage.inputTokens - cached, usage.outputTokens, cached);
}

/** The cost of the given token counts in integer micro-USD, rounded up. */
export function tokenCostMicroUsd(
  model: ModelPrice,
  inputTokens: number,
  outputTokens: number,
  cachedInputTokens = 0,
): number {
  // Products stay below 2^53 for any realistic call (10M tokens at $10,000 per million).
  const scaled =
    inputTokens * model.inputMicroUsdPerMillion +
    cachedInputTokens * model.cachedInputMicroUsdPerMillion +
    outputTokens * model.outputMicroUsdPerMillion;
  return Math.ceil(scaled / 1_000_000);
}

/** Micro-USD as dollars for people: `$0.0023`, `$0.85`, `$0` (at most 6 decimals, trailing zeros dropped). */
export function formatUsd(microUsd: number): string {
  const whole = Math.floor(microUsd / 1_000_000);
  let fraction = microUsd - whole * 1_000_000;
  if (fraction === 0) return `$${whole}`;
  let digits = 6;
  while (fraction % 10 === 0) {
    fraction /= 10;
    digits--;
  }
  return `$${whole}.${String(fraction).padStart(digits, '0')}`;
}
