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
    // The allowed category is explored: some draws leave the mean.
    expect(run().filter((quality) => quality !== 0.7).length).toBeGreaterThan(10);
  });
});

describe('exploration under the real router', () => {
  it('never changes the decision for a task whose category forbids exploring', async () => {
    const { loadConfig } = await import('../../src/config/load.ts');
    const { createRouter } = await import('../../src/routing/router.ts');
    const config = await loadConfig();
    const priorOf = (id: string) => config.models.byId.get(id)?.quality;
    const exploring = createLearner({
      priorOf,
      neighbours: false,
      exploration: { rate: 0.5, categories: ['FAST'], seed: 2 },
    });
    const plain = createLearner({ priorOf, neighbours: false });
    const route = (learner: typeof plain, text: string, contextChars: number) =>
      createRouter({
        catalog: config.models,
        taskTypes: config.taskTypes,
        config: config.routing,
        quality: learner,
      }).decide({
        text,
        contextChars,
      });
    let checked = 0;
    fc.assert(
      fc.property(
        fc.constantFrom(
          'refactor the payment module',
          'security review of the auth service',
          'fix a typo',
          'design the architecture',
        ),
        fc.integer({ min: 0, max: 200_000 }),
        fc.string({ maxLength: 20 }),
        (base, contextChars, suffix) => {
          const text = `${base} ${suffix}`;
          const decision = route(exploring, text, contextChars);
          if (decision.category === 'FAST') return;
          checked += 1;
          const policy = config.routing.categories[decision.category];
          expect(decision.model?.id).toBe(route(plain, text, contextChars).model?.id);
          const chosen = decision.candidates.find((candidate) => candidate.model.id === decision.model?.id);
          if (decision.rule === 'constraints')
            expect(chosen?.quality).toBeGreaterThanOrEqual(policy.minQuality);
        },
      ),
      { numRuns: 200 },
    );
    expect(checked).toBeGreaterThan(50);
  });
});
