import { describe, expect, it } from 'vitest';
import { chooseByUtility, valueOfCorrect } from '../../src/learning/utility.ts';

describe('valueOfCorrect', () => {
  it('prices a correct answer at the knob odds times the unit', () => {
    expect(valueOfCorrect(0.5, 100)).toBeCloseTo(100);
    expect(valueOfCorrect(0.9, 100)).toBeCloseTo(900);
    expect(valueOfCorrect(0, 100)).toBe(0);
    // Bounded: a knob of 1 does not make a correct answer infinitely valuable.
    expect(Number.isFinite(valueOfCorrect(1, 100))).toBe(true);
  });
});

describe('chooseByUtility', () => {
  const options = [
    { value: 'cheap', quality: 0.6, costMicroUsd: 10 },
    { value: 'mid', quality: 0.8, costMicroUsd: 100 },
    { value: 'strong', quality: 0.9, costMicroUsd: 1000 },
  ];

  it('buys quality only while it is worth its cost', () => {
    expect(chooseByUtility(options, 100)?.value).toBe('cheap');
    expect(chooseByUtility(options, 1000)?.value).toBe('mid');
    expect(chooseByUtility(options, 100_000)?.value).toBe('strong');
  });

  it('takes the cheaper of two equally useful options, and nothing from nothing', () => {
    const tied = [
      { value: 'dear', quality: 0.7, costMicroUsd: 20 },
      { value: 'cheap', quality: 0.6, costMicroUsd: 10 },
    ];
    expect(chooseByUtility(tied, 100)?.value).toBe('cheap');
    expect(chooseByUtility([], 100)).toBeUndefined();
  });
});
