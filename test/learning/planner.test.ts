// The learned planner: no plan before the outcomes show how plans go; then the plan with the highest
// expected utility for the knob, within the task's attempts and models.
import { describe, expect, it } from 'vitest';
import {
  createLearner,
  createMemoryOutcomeStore,
  createPlanner,
  type LearnedPlanRequest,
  type OutcomeRecord,
} from '../../src/learning/index.ts';
import { outcome, testedOutcome } from './outcome-fixture.ts';

const priors: Record<string, number> = { a: 0.6, b: 0.65, big: 0.9 };
const learnerOf = (records: readonly OutcomeRecord[]) =>
  createLearner({ priorOf: (model) => priors[model], store: createMemoryOutcomeStore(records) });

const candidates = [
  { model: 'a', tier: 1 as const, estimatedCostMicroUsd: 10, quality: 0.6 },
  { model: 'b', tier: 1 as const, estimatedCostMicroUsd: 12, quality: 0.65 },
  { model: 'big', tier: 4 as const, estimatedCostMicroUsd: 1000, quality: 0.9 },
];
const request = (overrides: Partial<LearnedPlanRequest> = {}): LearnedPlanRequest => ({
  taskType: 'mcq',
  category: 'NORMAL',
  text: 'which one?',
  contextChars: 10,
  validator: 'consensus',
  peers: 1,
  maxAttempts: 2,
  candidates,
  ...overrides,
});

/** `n` multiple-choice tasks: a and b agree on 80% (then right 95% of the time); big is right 90%. */
function mcqSweep(n: number, run = 'sweep'): OutcomeRecord[] {
  const records: OutcomeRecord[] = [];
  for (let task = 0; task < n; task += 1) {
    const agree = task % 5 !== 0;
    const aRight = agree ? task % 20 !== 1 : task % 2 === 0;
    const answers: Record<string, [string, boolean]> = {
      a: [aRight ? 'r' : 'w', aRight],
      b: agree ? [aRight ? 'r' : 'w', aRight] : [aRight ? 'w' : 'r', !aRight],
      big: [task % 10 === 3 ? 'w' : 'r', task % 10 !== 3],
    };
    Object.entries(answers).forEach(([model, [answer, right]], index) => {
      records.push(
        outcome({
          runId: run,
          taskId: `t${task}`,
          attempt: index + 1,
          taskType: 'mcq',
          model,
          validator: 'consensus',
          consensus: { answer, peers: [] },
          success: right,
          quality: right ? 1 : 0,
          source: 'feedback',
          costMicroUsd: model === 'big' ? 1000 : model === 'a' ? 10 : 12,
        }),
      );
    });
  }
  return records;
}

describe('the learned planner', () => {
  it('plans nothing until outcomes show how a consensus or a chain goes for the task type', () => {
    const planner = createPlanner(learnerOf([]), { strongest: 'big' });
    expect(planner.plan(request())).toEqual({
      pinned: [],
      peers: [],
      summary:
        'no plan yet: fewer than 20 tasks of type "mcq" show how a cheap model checked by a cheap peer does ' +
        "(cheap: at most 10% of big's price per call: a, b)",
    });
    expect(planner.plan(request({ validator: 'command', peers: 0, maxAttempts: 3 }))?.summary).toMatch(
      /^no plan yet: fewer than 20 tasks of type "mcq" show how a tested chain does/,
    );
    expect(createPlanner(learnerOf([]), { strongest: 'gone' }).plan(request())?.summary).toBe(
      'no plan yet: planning.strongest "gone" is not a model this task may use now',
    );
  });

  it('buys the consensus when a correct answer is worth it, and a lone cheap model when it is not', () => {
    const learner = learnerOf(mcqSweep(60));
    const high = createPlanner(learner, { knob: 0.9, strongest: 'big' }).plan(request());
    expect(high).toMatchObject({ pinned: ['a'], peers: ['b'], escalateTier: 4, escalateModel: 'big' });
    expect(high?.summary).toMatch(
      /^a, checked by b, then big \(tier 4\) if that fails; expected quality 0\.\d{3} at \d+ micro-USD \(knob 0\.9\)$/,
    );
    const low = createPlanner(learner, { knob: 0.3, strongest: 'big' }).plan(request());
    expect(low).toMatchObject({ peers: [] });
    expect(low?.escalateTier).toBeUndefined();
    expect(['a', 'b']).toContain(low?.pinned[0]);
  });

  it('offers no consensus a task cannot afford: one attempt, or no peers allowed', () => {
    const learner = learnerOf(mcqSweep(60));
    const planner = createPlanner(learner, { knob: 0.9, strongest: 'big' });
    const none = { pinned: [], peers: [] };
    expect(planner.plan(request({ maxAttempts: 1 }))).toMatchObject(none);
    expect(planner.plan(request({ peers: 0 }))).toMatchObject(none);
    // Without b among the models the task may use, a has no peer.
    expect(planner.plan(request({ candidates: candidates.filter((c) => c.model !== 'b') }))).toMatchObject(
      none,
    );
  });

  it('refits as the learner takes outcomes in, and not while it is frozen', () => {
    const learner = learnerOf(mcqSweep(30));
    const planner = createPlanner(learner, { knob: 0.9, strongest: 'big' });
    const pairs = () => planner.stats('mcq', 'big', ['a', 'b']).pairs.get('mcq')?.[0]?.n;
    expect(pairs()).toBe(30);
    learner.setFrozen(true);
    for (const record of mcqSweep(30, 'frozen')) learner.observe(record);
    planner.plan(request());
    expect(pairs()).toBe(30);
    learner.setFrozen(false);
    for (const record of mcqSweep(30, 'later')) learner.observe(record);
    planner.plan(request());
    // The frozen run's outcomes stay out; the later run's are in.
    expect(pairs()).toBe(60);
  });

  it('plans from what the attempt-by-attempt cascade recorded: consensus checks judged by feedback', () => {
    // Real runs without a plan: a answered, b checked it; agreed tasks were judged later; dissents went to
    // a mid-tier model, never to the strongest, so the rescue rate falls back to the router's estimate.
    const records: OutcomeRecord[] = [];
    for (let task = 0; task < 30; task += 1) {
      const agreed = task % 6 !== 0;
      records.push(
        outcome({
          runId: `run-${task}`,
          taskId: 'q',
          taskType: 'mcq',
          model: 'a',
          validator: 'consensus',
          consensus: {
            answer: 'r',
            peers: [{ model: 'b', answer: agreed ? 'r' : 'w', agreed, costMicroUsd: 12 }],
          },
          success: agreed,
          errorCode: agreed ? undefined : 'VALIDATION_FAILED',
          ...(agreed ? { source: 'feedback' as const, quality: task % 15 === 1 ? 0 : 1 } : {}),
          costMicroUsd: 22,
        }),
      );
    }
    const planner = createPlanner(learnerOf(records), { knob: 0.9, strongest: 'big' });
    const pair = planner
      .stats('mcq', 'big', ['a', 'b'])
      .pairs.get('mcq')
      ?.find((entry) => entry.first === 'a');
    expect(pair).toMatchObject({ agree: 25 / 30, n: 30 });
    expect(pair?.rescueIfNot).toBeUndefined();
    expect(planner.plan(request())).toMatchObject({ pinned: ['a'], peers: ['b'], escalateTier: 4 });
  });

  it('fits on the newest outcomes only, up to maxOutcomes', () => {
    const learner = learnerOf([...mcqSweep(30, 'old'), ...mcqSweep(25, 'new')]);
    const planner = createPlanner(learner, { strongest: 'big', maxOutcomes: 75 });
    expect(planner.stats('mcq', 'big', ['a', 'b']).pairs.get('mcq')?.[0]?.n).toBe(25);
  });

  it('plans a tested task from what the cascade recorded, leaving out cheap models it never tried', () => {
    // Real runs without a plan: the tests checked a first; when it failed, b; c was never tried.
    const records: OutcomeRecord[] = [];
    const tested = (run: string, attempt: number, model: string, passed: boolean) =>
      testedOutcome(model, passed, {
        runId: run,
        taskId: 'fix',
        attempt,
        costMicroUsd: model === 'a' ? 10 : 12,
      });
    for (let task = 0; task < 40; task += 1) {
      const aPassed = task % 4 !== 0;
      records.push(tested(`run-${task}`, 1, 'a', aPassed));
      if (!aPassed) records.push(tested(`run-${task}`, 2, 'b', task % 8 === 0));
    }
    const withC = [...candidates, { model: 'c', tier: 1 as const, estimatedCostMicroUsd: 9, quality: 0.9 }];
    const planner = createPlanner(learnerOf(records), { knob: 0.5, strongest: 'big', minTasks: 10 });
    const chain = planner.stats('code', 'big', ['c', 'a', 'b']).chains.get('code');
    expect(chain?.order).toEqual(['a', 'b']);
    expect(chain?.pass[0]).toBe(0.75);
    const plan = planner.plan(
      request({ taskType: 'code', validator: 'command', peers: 0, maxAttempts: 2, candidates: withC }),
    );
    expect(plan?.pinned).toEqual(['a', 'b']);
  });

  it.each([
    [{ minTasks: 0 }],
    [{ minTasks: 2.5 }],
    [{ cheapShare: 0 }],
    [{ cheapShare: 1.5 }],
    [{ refitShare: -1 }],
    [{ maxOutcomes: 0 }],
  ])('refuses %j', (options) => {
    expect(() => createPlanner(learnerOf([]), options)).toThrowErrorMatchingSnapshot();
  });

  it('refuses a knob outside [0, 1)', () => {
    expect(() => createPlanner(learnerOf([]), { knob: 1 })).toThrowErrorMatchingInlineSnapshot(
      `[OrchestratorError: planning.knob is 1; expected a number from 0 up to (not including) 1.]`,
    );
  });
});
