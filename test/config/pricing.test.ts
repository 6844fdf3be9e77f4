import { describe, expect, it } from 'vitest';
import { costMicroUsd, formatUsd, microUsdPerMillion, tokenCostMicroUsd } from '../../src/config/pricing.ts';

const haiku = {
  inputMicroUsdPerMillion: microUsdPerMillion(1),
  outputMicroUsdPerMillion: microUsdPerMillion(5),
  cachedInputMicroUsdPerMillion: microUsdPerMillion(0.1),
};

describe('microUsdPerMillion', () => {
  it.each([
    [0, 0],
    [0.075, 75_000],
    [0.025, 25_000],
    [0.275, 275_000],
    [1.1, 1_100_000],
    [15, 15_000_000],
    [0.005, 5_000],
  ])('converts $%s per million to %i micro-USD exactly', (usd, micro) => {
    expect(microUsdPerMillion(usd)).toBe(micro);
  });
});

describe('costMicroUsd', () => {
  it.each([
    ['1,000 in + 500 out', { inputTokens: 1000, outputTokens: 500 }, 3500],
    ['nothing', { inputTokens: 0, outputTokens: 0 }, 0],
    ['one input token rounds up to 1', { inputTokens: 1, outputTokens: 0 }, 1],
    ['1,000 in of which 800 cached', { inputTokens: 1000, outputTokens: 0, cachedInputTokens: 800 }, 280],
    ['cached above input is capped at input', { inputTokens: 10, outputTokens: 0, cachedInputTokens: 50 }, 1],
    ['a million of each', { inputTokens: 1_000_000, outputTokens: 1_000_000 }, 6_000_000],
  ])('prices %s', (_label, usage, expected) => {
    expect(costMicroUsd(haiku, usage)).toBe(expected);
  });

  it('keeps unknown usage unknown', () => {
    expect(costMicroUsd(haiku, { inputTokens: 10 })).toBeUndefined();
    expect(costMicroUsd(haiku, { outputTokens: 10 })).toBeUndefined();
  });

  it('rounds up once per call, not per part', () => {
    // 0.4 + 0.4 micro-USD would be 2 if each part rounded up; the call costs 1.
    const cheap = {
      inputMicroUsdPerMillion: 400_000,
      outputMicroUsdPerMillion: 400_000,
      cachedInputMicroUsdPerMillion: 0,
    };
    expect(tokenCostMicroUsd(cheap, 1, 1)).toBe(1);
  });
});

describe('formatUsd', () => {
  it.each([
    [0, '$0'],
    [1, '$0.000001'],
    [2000, '$0.002'],
    [3756, '$0.003756'],
    [850_000, '$0.85'],
    [12_500_000, '$12.5'],
  ])('%i micro-USD reads %s', (micro, text) => {
    expect(formatUsd(micro)).toBe(text);
  });
});
