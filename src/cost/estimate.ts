// The estimated maximum cost of a call before it is made: tokenizer on the task text, the expected
// output for its category, and the catalog price (unknown price: the highest of its tier).
import type { BudgetConfig } from '../config/budgets.ts';
import type { ModelRef } from '../events/vocabulary.ts';
import { type PriceBook, priceTokens, type TokenPrice } from './price-book.ts';
import type { TokenCounter } from './tokens.ts';

/** Input tokens assumed when the task text never reached the tracker (no AGENT_INVOKED seen). */
export const unknownInputTokens = 2_000;
/** Characters per token assumed for context beyond the text, when the text is too short to measure. */
const charsPerToken = 4;

export type EstimateInput = {
  /** The task text of AGENT_INVOKED, when seen. */
  text: string | undefined;
  /** Characters of the context the model will read (AGENT_INVOKED), when seen. */
  contextChars: number | undefined;
  model: ModelRef;
  category: string | undefined;
  /** The router's estimate; the reservation is never below it. */
  routerEstimateMicroUsd: number | undefined;
};

export type CallEstimate =
  | {
      ok: true;
      inputTokens: number;
      outputTokens: number;
      amountMicroUsd: number;
      price: TokenPrice;
      /** `tier-highest` when the model has no price and the tier's highest was assumed. */
      priceSource: 'catalog' | 'tier-highest';
    }
  | { ok: false; reason: 'price-unknown' };

/** Estimates a call's maximum cost and tokens. */
export function estimateCall(
  input: EstimateInput,
  dependencies: { priceBook: PriceBook; countTokens: TokenCounter; config: BudgetConfig },
): CallEstimate {
  const catalogPrice = dependencies.priceBook.price(input.model.id);
  // Tier 0 is deterministic work without a model: free unless the catalog says otherwise.
  const free: TokenPrice = { inputMicroUsdPerMTok: 0, outputMicroUsdPerMTok: 0, tier: 0 };
  const price =
    catalogPrice ?? (input.model.tier === 0 ? free : dependencies.priceBook.highestForTier(input.model.tier));
  if (price === undefined) return { ok: false, reason: 'price-unknown' };
  const inputTokens = estimateInputTokens(input.text, input.contextChars, dependencies.countTokens);
  const expected = dependencies.config.expectedOutputTokens;
  const outputTokens = expected[input.category as keyof typeof expected] ?? expected.unknown;
  const amountMicroUsd = Math.max(
    priceTokens(price, inputTokens, outputTokens),
    input.routerEstimateMicroUsd ?? 0,
  );
  return {
    ok: true,
    inputTokens,
    outputTokens,
    amountMicroUsd,
    price,
    priceSource: catalogPrice === undefined && input.model.tier !== 0 ? 'tier-highest' : 'catalog',
  };
}

/**
 * Tokens of the text by the tokenizer, plus the context beyond it at the text's own
 * tokens-per-character (at least one token per four characters).
 */
export function estimateInputTokens(
  text: string | undefined,
  contextChars: number | undefined,
  countTokens: TokenCounter,
): number {
  if (text === undefined) return unknownInputTokens;
  const textTokens = text.length === 0 ? 0 : countTokens(text);
  const extraChars = Math.max(0, (contextChars ?? 0) - text.length);
  const tokensPerChar = Math.max(text.length === 0 ? 0 : textTokens / text.length, 1 / charsPerToken);
  return textTokens + Math.ceil(extraChars * tokensPerChar);
}
