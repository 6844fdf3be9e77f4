import { describe, expect, it } from 'vitest';
import { createLearner } from '../../src/learning/index.ts';
import { outcome } from './outcome-fixture.ts';

const priors: Record<string, number> = { small: 0.6, large: 0.9 };
const newLearner = (options: Partial<Parameters<typeof createLearner>[0]> = {}) =>
  createLearner({ priorOf: (model) => priors[model], neighbours: false, ...options });

describe('createLearner', () => {
  it('starts every (task type, model) at the catalog prior', () => {
    const learner = newLearner();
    expect(learner.estimate('coding', 'small')).toEqual({ quality: 0.6, observations: 0 });
    expect(learner.estimate('coding', 'unknown').quality).toBe(0.5);
  });

  it('moves the estimate with outcomes of that task type only', () => {
    const learner = newLearner();
    for (let attempt = 1; attempt <= 6; attempt += 1) learner.observe(outcome({ attempt, quality: 0 }));
    expect(learner.estimate('coding', 'small').quality).toBeCloseTo(2.4 / 10);
    expect(learner.estimate('coding', 'small').observations).toBe(6);
    expect(learner.estimate('docs', 'small').quality).toBe(0.6);
  });

  it('records an attempt once, however often it is reported', () => {
    const learner = newLearner();
    expect(learner.observe(outcome({ quality: 0 }))).toBe(true);
    expect(learner.observe(outcome({ quality: 0 }))).toBe(false);
    expect(learner.estimate('coding', 'small').observations).toBe(1);
  });

  it('learns nothing from failures that say nothing about the model', () => {
    const learner = newLearner();
    learner.observe(outcome({ success: false, errorCode: 'PROVIDER_RATE_LIMITED' }));
    learner.observe(outcome({ attempt: 2, success: false, errorCode: 'VALIDATION_FAILED' }));
    expect(learner.estimate('coding', 'small')).toEqual({ quality: 2.4 / 5, observations: 1 });
  });

  it('replaces a run-time outcome with late feedback', () => {
    const learner = newLearner();
    learner.observe(outcome());
    const before = learner.estimate('coding', 'small').quality;
    expect(before).toBeCloseTo((2.4 + 0.5) / 4.5);
    const updated = learner.feedback('run-1', 'task-1', { success: false });
    expect(updated).toMatchObject({ success: false, quality: 0, source: 'feedback' });
    expect(learner.estimate('coding', 'small').quality).toBeCloseTo(2.4 / 5);
    learner.feedback('run-1', 'task-1', { quality: 0.8 });
    expect(learner.estimate('coding', 'small').quality).toBeCloseTo(3.2 / 5);
  });

  it('applies feedback to the latest attempt of the task', () => {
    const learner = newLearner();
    learner.observe(outcome({ attempt: 1, success: false, errorCode: 'VALIDATION_FAILED' }));
    learner.observe(outcome({ attempt: 2, model: 'large' }));
    expect(learner.feedback('run-1', 'task-1', { success: true })?.model).toBe('large');
    expect(learner.feedback('run-1', 'other', { success: true })).toBeUndefined();
  });

  it('keeps estimates still while frozen', () => {
    const learner = newLearner();
    learner.setFrozen(true);
    learner.observe(outcome({ quality: 0 }));
    expect(learner.estimate('coding', 'small').quality).toBe(0.6);
    expect(learner.store.all()).toHaveLength(1);
  });

  it('learns a verdict given after unfreezing for an attempt stored while frozen, retracting nothing', () => {
    const learner = newLearner();
    learner.observe(outcome({ runId: 'before', quality: 1 }));
    learner.setFrozen(true);
    learner.observe(outcome({ runId: 'frozen', success: true }));
    learner.setFrozen(false);
    learner.feedback('frozen', 'task-1', { success: true });
    const fresh = newLearner();
    fresh.observe(outcome({ runId: 'before', quality: 1 }));
    fresh.observe(outcome({ runId: 'frozen', success: true, quality: 1, source: 'feedback' }));
    expect(learner.posterior('coding', 'small')).toEqual(fresh.posterior('coding', 'small'));
    expect(learner.learned().map((record) => record.runId)).toEqual(['before', 'frozen']);
  });

  it('gives the newest learned outcomes, skipping those stored while frozen', () => {
    const learner = newLearner();
    for (let task = 0; task < 3; task += 1) learner.observe(outcome({ taskId: `kept-${task}` }));
    learner.setFrozen(true);
    for (let task = 0; task < 5; task += 1) learner.observe(outcome({ taskId: `frozen-${task}` }));
    expect(learner.learned(2).map((record) => record.taskId)).toEqual(['kept-1', 'kept-2']);
    expect(learner.learned()).toHaveLength(3);
  });

  it('reports a material shift once per move past the threshold', () => {
    const learner = newLearner({ policyShift: 0.1 });
    const shifts: unknown[] = [];
    learner.onPolicyShift((shift) => shifts.push(shift));
    learner.observe(outcome({ attempt: 1, quality: 0 }));
    learner.observe(outcome({ attempt: 2, quality: 0 }));
    // 0.6 -> 0.48 is reported; 0.48 -> 0.4 is below the threshold.
    expect(shifts).toEqual([
      {
        taskType: 'coding',
        model: 'small',
        from: expect.closeTo(0.6),
        to: expect.closeTo(0.48),
        observations: 1,
      },
    ]);
  });

  it('estimates a task from the outcomes of similar tasks', () => {
    const learner = newLearner({ neighbours: { k: 4, minSimilarity: 0.2, strength: 1 } });
    const hard = 'prove the distributed consensus protocol terminates under partitions';
    const easy = 'fix the typo in the readme heading';
    learner.observe(outcome({ taskId: 'h1', text: `${hard} for raft`, quality: 0 }));
    learner.observe(outcome({ taskId: 'h2', text: `${hard} for paxos`, quality: 0 }));
    learner.observe(outcome({ taskId: 'e1', text: `${easy} now`, quality: 1 }));
    learner.observe(outcome({ taskId: 'e2', text: `${easy} please`, quality: 1 }));
    const onHard = learner.estimate('coding', 'small', { text: `${hard} for zab` }).quality;
    const onEasy = learner.estimate('coding', 'small', { text: `${easy} today` }).quality;
    expect(onHard).toBeLessThan(0.35);
    expect(onEasy).toBeGreaterThan(0.65);
  });

  it('weighs similar tasks per task type by how well they predicted the stored outcomes', () => {
    const learner = newLearner({ neighbours: { k: 3, minSimilarity: 0.1 } });
    const topics = [
      'parser grammar tokens',
      'database index query',
      'network socket retry',
      'cache eviction policy',
    ];
    for (let index = 0; index < 40; index += 1) {
      const topic = topics[index % 4] as string;
      // helpful: the topic decides the outcome; twins: near-identical texts with opposite outcomes.
      learner.observe(
        outcome({
          taskType: 'helpful',
          taskId: `h${index}`,
          text: `${topic} case ${index}`,
          quality: index % 4 < 2 ? 1 : 0,
        }),
      );
      learner.observe(
        outcome({
          taskType: 'twins',
          taskId: `t${index}`,
          text: `${topic} pair ${Math.floor(index / 2)}`,
          quality: index % 2,
        }),
      );
    }
    const chosen = learner.tuneNeighbours();
    expect(chosen.helpful).toBeLessThan(Number.POSITIVE_INFINITY);
    expect(chosen.twins).toBe(Number.POSITIVE_INFINITY);
    expect(learner.estimate('twins', 'small', { text: 'parser grammar tokens pair 3' }).quality).toBe(
      learner.posterior('twins', 'small').mean,
    );
  });
});
