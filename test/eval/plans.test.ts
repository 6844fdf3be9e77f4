import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadEvalCatalog } from '../../src/eval/catalog.ts';
import { loadDataset } from '../../src/eval/dataset.ts';
import { fitLearner } from '../../src/eval/fit.ts';
import { replayPrompts } from '../../src/eval/harness.ts';
import { createReplayProvider, type ReplayProvider } from '../../src/eval/replay.ts';
import { selectPrompts } from '../../src/eval/split.ts';
import { createEvalEnvironment, createEvalStack } from '../../src/eval/stack.ts';
import { createPlanner, type LearnedPlan, type PlanStats } from '../../src/learning/index.ts';
import type { Planner } from '../../src/routing/plan.ts';

const fixtures = join(import.meta.dirname, 'fixtures');
const catalog = loadEvalCatalog(join(fixtures, 'toy-models.yaml'));
const { train, test } = selectPrompts(loadDataset(fixtures).prompts, undefined);
const replay = createReplayProvider([...train, ...test]);
const environment = createEvalEnvironment(
  catalog,
  [...train, ...test].map((prompt) => prompt.category),
);
const cheap = ['cheap/a', 'mid/b'];
const plain = (stats: PlanStats) =>
  JSON.parse(
    JSON.stringify({
      costLines: [...stats.costLines],
      meanCost: [...stats.meanCost],
      pairs: [...stats.pairs],
      chains: [...stats.chains],
    }),
  );
const planStats = (learner: ReturnType<typeof fitLearner>) => {
  const planner = createPlanner(learner, { strongest: 'strong/c', minTasks: 1 });
  return ['code', 'mcq'].map((type) => plain(planner.stats(type, 'strong/c', cheap)));
};

/** The learner fitted on the toy train split, frozen: what the frozen eval scores with. */
function frozenLearner() {
  const learner = fitLearner(train, replay, environment, { seed: 1 });
  learner.setFrozen(true);
  return learner;
}

/** A multiple-choice test prompt on which cheap/a and mid/b answer differently. */
function disagreement() {
  const prompt = test.find(
    (entry) =>
      entry.category === 'mcq' && entry.outcomes['cheap/a']?.choice !== entry.outcomes['mid/b']?.choice,
  );
  if (prompt === undefined) throw new Error('the toy test split has a disagreement');
  return prompt;
}

/** What the dataset recorded those models' calls on a prompt to cost. */
const recordedCost = (prompt: ReturnType<typeof disagreement>, models: readonly string[]) =>
  models.reduce((sum, model) => sum + (prompt.outcomes[model]?.costMicroUsd ?? 0), 0);

/** A planner that reports the plans another one chooses. */
function spying(planner: Planner, seen: (LearnedPlan | undefined)[]): Planner {
  return {
    plan: (request) => {
      const plan = planner.plan(request);
      seen.push(plan);
      return plan;
    },
  };
}

describe('the learned policy through the router and the learned planner', () => {
  it('prices its plans from the train outcomes only', () => {
    const testKeys = new Set(test.map((prompt) => prompt.key));
    const guarded: ReplayProvider = {
      answer: (prompt, model) => {
        if (testKeys.has(prompt.key)) throw new Error(`fitting read test prompt ${prompt.key}`);
        return replay.answer(prompt, model);
      },
    };
    const stats = planStats(fitLearner(train, guarded, environment, { seed: 1 }));
    expect(stats[0]?.chains).toHaveLength(1);
    expect(stats[1]?.pairs).toHaveLength(1);
    expect(stats).toEqual(planStats(fitLearner(train, replay, environment, { seed: 1 })));
  });

  it('scoring the test split with learning frozen changes neither the plan statistics nor the learner', () => {
    const learner = fitLearner(train, replay, environment, { seed: 1 });
    const posteriors = () =>
      ['code', 'mcq'].flatMap((type) => catalog.models.map((model) => learner.posterior(type, model.id)));
    const before = { stats: planStats(learner), posteriors: posteriors() };
    learner.setFrozen(true);
    for (const knob of [0.5, 0.8, 0.95]) {
      const planner = createPlanner(learner, { knob, strongest: 'strong/c', minTasks: 1 });
      const stack = createEvalStack(environment, learner, knob, planner);
      replayPrompts(test, { stack, replay, catalog, runId: `frozen-${knob}`, validators: true });
      stack.dispose();
    }
    expect(learner.learned().length).toBeLessThan(learner.store.all().length);
    expect({ stats: planStats(learner), posteriors: posteriors() }).toEqual(before);
  });

  it('buys escalation of a tested task only when the knob makes a correct answer worth it', () => {
    const learner = frozenLearner();
    const code = test.find((prompt) => prompt.category === 'code');
    if (code === undefined) throw new Error('the toy test split has a code prompt');
    const planAt = (knob: number) => {
      const seen: (LearnedPlan | undefined)[] = [];
      const planner = createPlanner(learner, { knob, strongest: 'strong/c', minTasks: 1 });
      const stack = createEvalStack(environment, learner, knob, spying(planner, seen));
      replayPrompts([code], { stack, replay, catalog, runId: `knob-${knob}`, validators: true });
      stack.dispose();
      return seen[0];
    };
    expect(planAt(0.05)).toMatchObject({ peers: [] });
    expect(planAt(0.05)?.escalateTier).toBeUndefined();
    expect(planAt(0.95)).toMatchObject({ peers: [], escalateTier: 4 });
    expect(planAt(0.95)?.pinned.length).toBeGreaterThan(0);
  });

  it('follows a plan over the bus: a disagreeing peer escalates to the strongest tier, every call booked', () => {
    const learner = frozenLearner();
    const prompt = disagreement();
    const planner: Planner = {
      plan: () => ({ pinned: ['cheap/a'], peers: ['mid/b'], escalateTier: 4, summary: 'test plan' }),
    };
    const stack = createEvalStack(environment, learner, 0.9, planner);
    const selected: string[] = [];
    stack.bus.on('MODEL_SELECTED', (event) => {
      selected.push(
        `${event.model}:${event.rule}:${(event.peers ?? []).map((peer) => peer.model).join('+')}`,
      );
    });
    const totals = replayPrompts([prompt], { stack, replay, catalog, runId: 'plan', validators: true });
    const booked = stack.bookedMicroUsd('plan');
    stack.dispose();
    expect(selected).toEqual(['cheap/a:planned:mid/b', 'strong/c:best_quality:']);
    expect(totals).toEqual({
      prompts: 1,
      correct: prompt.outcomes['strong/c']?.correct ? 1 : 0,
      attempts: 2,
    });
    expect(booked).toBe(recordedCost(prompt, ['cheap/a', 'mid/b', 'strong/c']));
  });

  it('asks a second peer only when the first agreed', () => {
    const learner = frozenLearner();
    const prompt = disagreement();
    // strong/c as a second peer would be dear; mid/b's dissent settles it first.
    const planner: Planner = {
      plan: () => ({
        pinned: ['cheap/a'],
        peers: ['mid/b', 'strong/c'],
        escalateTier: 4,
        summary: 'two peers',
      }),
    };
    const stack = createEvalStack(environment, learner, 0.9, planner);
    replayPrompts([prompt], { stack, replay, catalog, runId: 'peers', validators: true });
    const booked = stack.bookedMicroUsd('peers');
    stack.dispose();
    // cheap/a and mid/b answer; strong/c is paid once, for the escalation, not as a peer as well.
    expect(booked).toBe(recordedCost(prompt, ['cheap/a', 'mid/b', 'strong/c']));
  });

  it('says why each replayed attempt failed, and fails a task no model is left for', () => {
    const learner = frozenLearner();
    const hard = test.find((prompt) => prompt.key === '1027');
    const split = disagreement();
    if (hard === undefined) throw new Error('the toy test split has a code prompt every model fails');
    const planner: Planner = {
      plan: () => ({ pinned: ['cheap/a'], peers: ['mid/b'], escalateTier: 4, summary: 'test plan' }),
    };
    const stack = createEvalStack(environment, learner, 0.9, planner);
    const messages: string[] = [];
    stack.bus.on('AGENT_FAILED', (event) => void messages.push(`${event.taskId}: ${event.error.message}`));
    replayPrompts([hard, split], { stack, replay, catalog, runId: 'messages', validators: true });
    stack.dispose();
    // cheap/a, then the escalation to strong/c; after it nothing below tier 4 is tried, and nothing is left.
    expect(messages).toEqual([
      '1027: tests failed',
      '1027: tests failed',
      '1027: No model is left for attempt 3 of "1027": every one was tried.',
      `${split.key}: a second model answered differently`,
    ]);
  });
});
