import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadEvalCatalog } from '../../src/eval/catalog.ts';
import { loadDataset } from '../../src/eval/dataset.ts';
import { fitLearner } from '../../src/eval/fit.ts';
import { replayPrompts } from '../../src/eval/harness.ts';
import { choosePlan, fitPlanStats, type PlanStats } from '../../src/eval/plans.ts';
import { createReplayProvider, type ReplayProvider } from '../../src/eval/replay.ts';
import { selectPrompts } from '../../src/eval/split.ts';
import { createEvalEnvironment, createEvalStack } from '../../src/eval/stack.ts';

const fixtures = join(import.meta.dirname, 'fixtures');
const catalog = loadEvalCatalog(join(fixtures, 'toy-models.yaml'));
const { train, test } = selectPrompts(loadDataset(fixtures).prompts, undefined);
const replay = createReplayProvider([...train, ...test]);
const environment = createEvalEnvironment(
  catalog,
  [...train, ...test].map((prompt) => prompt.category),
);
const plain = (stats: PlanStats) =>
  JSON.parse(
    JSON.stringify({
      ...stats,
      costLines: [...stats.costLines],
      pairs: [...stats.pairs],
      chains: [...stats.chains],
    }),
  );

describe('plans of the learned policy', () => {
  it('are fitted on the train prompts only', () => {
    const testKeys = new Set(test.map((prompt) => prompt.key));
    const guarded: ReplayProvider = {
      answer: (prompt, model) => {
        if (testKeys.has(prompt.key)) throw new Error(`fitting read test prompt ${prompt.key}`);
        return replay.answer(prompt, model);
      },
    };
    expect(plain(fitPlanStats(train, guarded, catalog))).toEqual(plain(fitPlanStats(train, replay, catalog)));
  });

  it('scoring the test split changes neither the plan statistics nor the fitted learner', () => {
    const stats = fitPlanStats(train, replay, catalog);
    const learner = fitLearner(train, replay, environment, { seed: 1 });
    const posteriors = () =>
      ['code', 'mcq'].flatMap((type) => catalog.models.map((model) => learner.posterior(type, model.id)));
    const before = { stats: plain(stats), posteriors: posteriors() };
    learner.setFrozen(true);
    for (const knob of [0.5, 0.8, 0.95]) {
      const stack = createEvalStack(environment, learner, knob);
      replayPrompts(test, {
        stack,
        replay,
        catalog,
        estimator: learner,
        runId: `frozen-${knob}`,
        knob,
        validators: true,
        planner: (prompt) => choosePlan(prompt, knob, stats, learner, catalog),
      });
      stack.dispose();
    }
    expect({ stats: plain(stats), posteriors: posteriors() }).toEqual(before);
  });

  it('buy escalation only when the knob makes a correct answer worth it', () => {
    const stats = fitPlanStats(train, replay, catalog);
    const learner = fitLearner(train, replay, environment, { seed: 1 });
    const code = test.find((prompt) => prompt.category === 'code');
    if (code === undefined) throw new Error('the toy test split has a code prompt');
    const low = choosePlan(code, 0.05, stats, learner, catalog);
    const high = choosePlan(code, 0.95, stats, learner, catalog);
    expect(low.escalate).toBe(false);
    expect(high).toMatchObject({ escalate: true, peers: [] });
    expect(high.pinned.length).toBeGreaterThan(0);
  });

  it('run through the bus: a disagreeing peer escalates to the strongest tier, and every call is booked', () => {
    const learner = fitLearner(train, replay, environment, { seed: 1 });
    learner.setFrozen(true);
    const prompt = test.find(
      (entry) =>
        entry.category === 'mcq' && entry.outcomes['cheap/a']?.choice !== entry.outcomes['mid/b']?.choice,
    );
    if (prompt === undefined) throw new Error('the toy test split has a disagreement');
    const stack = createEvalStack(environment, learner, 0.9);
    const selected: string[] = [];
    stack.bus.on('MODEL_SELECTED', (event) => void selected.push(`${event.model}:${event.rule}`));
    const totals = replayPrompts([prompt], {
      stack,
      replay,
      catalog,
      estimator: learner,
      runId: 'plan',
      knob: 0.9,
      validators: true,
      planner: () => ({ pinned: ['cheap/a'], peers: ['mid/b'], escalate: true }),
    });
    const booked = stack.bookedMicroUsd('plan');
    stack.dispose();
    expect(selected).toEqual(['cheap/a:pinned', 'strong/c:best_quality']);
    expect(totals).toEqual({
      prompts: 1,
      correct: prompt.outcomes['strong/c']?.correct ? 1 : 0,
      attempts: 2,
    });
    const cost = ['cheap/a', 'mid/b', 'strong/c'].reduce(
      (sum, model) => sum + (prompt.outcomes[model]?.costMicroUsd ?? 0),
      0,
    );
    expect(booked).toBe(cost);
  });

  it('ask a second peer only when the first agreed', () => {
    const learner = fitLearner(train, replay, environment, { seed: 1 });
    learner.setFrozen(true);
    const prompt = test.find(
      (entry) =>
        entry.category === 'mcq' && entry.outcomes['cheap/a']?.choice !== entry.outcomes['mid/b']?.choice,
    );
    if (prompt === undefined) throw new Error('the toy test split has a disagreement');
    const stack = createEvalStack(environment, learner, 0.9);
    replayPrompts([prompt], {
      stack,
      replay,
      catalog,
      estimator: learner,
      runId: 'peers',
      knob: 0.9,
      validators: true,
      // strong/c as a second peer would be dear; mid/b's dissent settles it first.
      planner: () => ({ pinned: ['cheap/a'], peers: ['mid/b', 'strong/c'], escalate: true }),
    });
    const booked = stack.bookedMicroUsd('peers');
    stack.dispose();
    // cheap/a and mid/b answer; strong/c is paid once, for the escalation, not as a peer as well.
    const cost = ['cheap/a', 'mid/b', 'strong/c'].reduce(
      (sum, model) => sum + (prompt.outcomes[model]?.costMicroUsd ?? 0),
      0,
    );
    expect(booked).toBe(cost);
  });
});
