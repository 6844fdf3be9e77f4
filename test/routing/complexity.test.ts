import { describe, expect, it } from 'vitest';
import { categoryOf, estimateTokens, scoreComplexity } from '../../src/routing/complexity.ts';
import { shippedConfig } from './fixtures.ts';

const { config } = shippedConfig();

describe('scoreComplexity', () => {
  it.each([
    // contextTokens, typePoints, files, recentFailures -> factors, score, category
    [10, 1, 0, 0, { context: 1, taskType: 1, files: 1, failures: 0 }, 3, 'FAST'],
    [1999, 2, 2, 1, { context: 1, taskType: 2, files: 1, failures: 0 }, 4, 'NORMAL'],
    [2000, 2, 0, 0, { context: 2, taskType: 2, files: 1, failures: 0 }, 5, 'NORMAL'],
    [2000, 3, 0, 0, { context: 2, taskType: 3, files: 1, failures: 0 }, 6, 'COMPLEX'],
    [15_999, 3, 3, 0, { context: 2, taskType: 3, files: 2, failures: 0 }, 7, 'COMPLEX'],
    [16_000, 3, 3, 0, { context: 3, taskType: 3, files: 2, failures: 0 }, 8, 'COMPLEX'],
    [16_000, 4, 3, 0, { context: 3, taskType: 4, files: 2, failures: 0 }, 9, 'HIGH_COMPLEX'],
    [100_000, 4, 10, 2, { context: 3, taskType: 4, files: 2, failures: 1 }, 10, 'HIGH_COMPLEX'],
  ])(
    '%i tokens, type %i, %i files, %i failures',
    (contextTokens, typePoints, filesReferenced, recentFailures, factors, score, category) => {
      const result = scoreComplexity(
        { contextTokens, typePoints, filesReferenced, recentFailures },
        config.complexity,
      );
      expect(result).toMatchObject({ factors, score, category });
    },
  );
});

describe('categoryOf', () => {
  it.each([
    [1, 'FAST'],
    [3, 'FAST'],
    [4, 'NORMAL'],
    [5, 'NORMAL'],
    [6, 'COMPLEX'],
    [8, 'COMPLEX'],
    [9, 'HIGH_COMPLEX'],
    [10, 'HIGH_COMPLEX'],
  ])('score %i is %s', (score, category) => {
    expect(categoryOf(score)).toBe(category);
  });
});

describe('estimateTokens', () => {
  it.each([
    [0, 0],
    [1, 1],
    [4, 1],
    [5, 2],
    [8000, 2000],
  ])('%i characters are about %i tokens', (chars, tokens) => {
    expect(estimateTokens(chars, 4)).toBe(tokens);
  });
});
