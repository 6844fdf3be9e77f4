import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createLearner, shouldExplore } from '../../src/learning/index.ts';
import { outcome } from './outcome-fixture.ts';

const categories = ['FAST', 'NORMAL', 'COMPLEX', 'HIGH_COMPLEX'] as const;

describe('exploration', () => {
  it('never touches the estimates of a category that forbids it', () => {
    const learner = createLearner({
      priorOf: () => 0.7,
      neighbours: false,
      exploration: { rate: 0.5, categories: ['FAST'], seed: 3 },
    });
    learner.observe(outcome({ quality: 1 }));
    const mean = learner.posterior('coding', 'small').mean;
    fc.assert(
      fc.property(fc.string(), fc.constantFrom('NORMAL', 'COMPLEX', 'HIGH_COMPLEX'), (text, category) => {
        expect(learner.estimate('coding', 'small', { text, category }).quality).toBe(mean);
      }),
    );
  });

  it('draws from the posterior on a bounded share of the allowed tasks', () => {
    const options = { rate: 0.2, categories: ['FAST'], seed: 9 };
    const explored = Array.from({ length: 2000 }, (_, index) =>
      shouldExplore(options, 'FAST', `task ${index}`),
    );
    const share = explored.filter(Boolean).length / explored.length;
    expect(share).toBeGreaterThan(0.15);
    expect(share).toBeLessThan(0.25);
    expect(shouldExplore({ ...options, rate: 0.9 }, 'FAST', 'x') || true).toBe(true);
    expect(
      Array.from({ length: 200 }, (_, index) =>
        shouldExplore({ rate: 2, seed: 1 }, 'FAST', `t${index}`),
      ).filter(Boolean).length,
    ).toBeLessThanOrEqual(130);
  });

  it('explores nothing without a category', () => {
    expect(shouldExplore({ rate: 0.5 }, undefined, 'text')).toBe(false);
    fc.assert(
      fc.property(
        fc.constantFrom(...categories),
        fc.string(),
        (category, text) => !shouldExplore({ rate: 0 }, category, text),
      ),
    );
  });

  it('never lifts a model below the floor above its mean', () => {
    const learner = createLearner({
      priorOf: () => 0.3,
      neighbours: false,
      exploration: { rate: 0.5, categories: ['FAST'], floor: 0.5, seed: 5 },
    });
    fc.assert(
      fc.property(
        fc.string(),
        (text) => learner.estimate('coding', 'weak', { text, category: 'FAST' }).quality <= 0.3 + 1e-12,
      ),
    );
  });

  it('gives the same draws for the same seed', () => {
    const run = () => {
      const learner = createLearner({
        priorOf: () => 0.7,
        neighbours: false,
        exploration: { rate: 0.5, seed: 11 },
      });
      return Array.from(
        { length: 50 },
        (_, index) => learner.estimate('t', 'm', { text: `x${index}`, category: 'FAST' }).quality,
      );
    };
    expect(run()).toEqual(run());
  });
});
