import { describe, expect, it } from 'vitest';
import { didYouMean, editDistance, quoteList } from '../../src/diagnostics/index.ts';

describe('editDistance', () => {
  it.each([
    ['', '', 0],
    ['build', 'build', 0],
    ['biuld', 'build', 1],
    ['bild', 'build', 1],
    ['buildd', 'build', 1],
    ['plan', 'scout', 5],
    ['', 'abc', 3],
  ])('%j -> %j is %i', (a, b, distance) => {
    expect(editDistance(a, b)).toBe(distance);
    expect(editDistance(b, a)).toBe(distance);
  });
});

describe('didYouMean', () => {
  const phases = ['scout', 'plan', 'build'];
  it.each([
    ['biuld', 'build'],
    ['Plan', 'plan'],
    ['scuot', 'scout'],
    ['deploy', undefined],
    ['b', undefined],
    ['plan', undefined],
  ])('%j suggests %j', (value, suggestion) => {
    expect(didYouMean(value, phases)).toBe(suggestion);
  });

  it('prefers the closest candidate', () => {
    expect(didYouMean('neds', ['needs', 'nodes2', 'name'])).toBe('needs');
  });
});

describe('quoteList', () => {
  it('quotes strings and leaves numbers bare', () => {
    expect(quoteList(['a', 1, 'b'])).toBe('"a" | 1 | "b"');
  });
});
