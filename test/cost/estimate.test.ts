import { describe, expect, it } from 'vitest';
import { defaultBudgetConfig } from '../../src/config/budgets.ts';
import { estimateCall, estimateInputTokens, unknownInputTokens } from '../../src/cost/estimate.ts';
import { createPriceBook, priceTokens } from '../../src/cost/price-book.ts';
import { countTokens } from '../../src/cost/tokens.ts';
import { priceBook, quarterTokens } from './support.ts';

describe('countTokens (o200k_base)', () => {
  it.each([
    ['', 0],
    ['Hello world', 2],
    ['Refactor the CLI parser and add a --verbose flag.', 12],
  ])('%j -> %i tokens', (text, tokens) => {
    expect(countTokens(text)).toBe(tokens);
  });

  it('counts long runs without breaks in pieces, over-counting rather than under', () => {
    const run = 'x'.repeat(8_000);
    const count = countTokens(run);
    expect(count).toBeGreaterThanOrEqual(8_000 / 12);
    expect(count).toBeLessThanOrEqual(8_000);
  });
});

describe('estimateInputTokens', () => {
  it.each([
    ['no text seen', undefined, undefined, unknownInputTokens],
    ['text only', 'a'.repeat(400), 400, 100],
    ['context beyond the text at its own rate', 'a'.repeat(400), 800, 200],
    ['short text: at least a token per four characters', '', 4_000, 1_000],
  ])('%s', (_, text, contextChars, tokens) => {
    expect(estimateInputTokens(text, contextChars, quarterTokens)).toBe(tokens);
  });
});

describe('estimateCall', () => {
  const dependencies = { priceBook, countTokens: quarterTokens, config: defaultBudgetConfig };
  const input = {
    text: 'a'.repeat(4_000),
    contextChars: 4_000,
    category: 'COMPLEX',
    routerEstimateMicroUsd: undefined,
  };

  it('prices input and the category’s expected output at the catalog price', () => {
    const estimate = estimateCall({ ...input, model: { id: 'small', provider: 'p', tier: 1 } }, dependencies);
    expect(estimate).toMatchObject({
      ok: true,
      inputTokens: 1_000,
      outputTokens: 2_000,
      amountMicroUsd: 5_000,
      priceSource: 'catalog',
    });
  });

  it('assumes the highest price of the tier for an unknown model', () => {
    const estimate = estimateCall(
      { ...input, model: { id: 'unknown', provider: 'p', tier: 1 } },
      dependencies,
    );
    expect(estimate).toMatchObject({ ok: true, amountMicroUsd: 11_000, priceSource: 'tier-highest' });
  });

  it('fails closed when neither the model nor its tier has a price', () => {
    expect(
      estimateCall({ ...input, model: { id: 'unknown', provider: 'p', tier: 2 } }, dependencies),
    ).toEqual({
      ok: false,
      reason: 'price-unknown',
    });
  });

  it('treats an unpriced tier-0 (deterministic) model as free', () => {
    const estimate = estimateCall(
      { ...input, model: { id: 'rules', provider: 'local', tier: 0 } },
      dependencies,
    );
    expect(estimate).toMatchObject({ ok: true, amountMicroUsd: 0, priceSource: 'catalog' });
  });

  it('keeps the router’s estimate when it is higher', () => {
    const estimate = estimateCall(
      { ...input, routerEstimateMicroUsd: 50_000, model: { id: 'small', provider: 'p', tier: 1 } },
      dependencies,
    );
    expect(estimate).toMatchObject({ amountMicroUsd: 50_000 });
  });
});

describe('price book', () => {
  it.each([
    [0, 0, 0],
    [1, 0, 1],
    [1_000_000, 0, 1_000_000],
    [333, 333, 999],
  ])('%i in + %i out at $1/$2 per M -> %i micro-USD', (inputTokens, outputTokens, expected) => {
    expect(
      priceTokens(
        { inputMicroUsdPerMTok: 1_000_000, outputMicroUsdPerMTok: 2_000_000, tier: 1 },
        inputTokens,
        outputTokens,
      ),
    ).toBe(expected);
  });

  it('rounds a fraction of a micro-USD up', () => {
    expect(priceTokens({ inputMicroUsdPerMTok: 1_500_000, outputMicroUsdPerMTok: 0, tier: 1 }, 1, 0)).toBe(2);
  });

  it('finds the strongest model by tier, then price', () => {
    expect(priceBook.strongest()).toMatchObject({ modelId: 'strong', tier: 4 });
    expect(createPriceBook([]).strongest()).toBeUndefined();
  });
});
