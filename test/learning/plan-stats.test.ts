// Plan statistics from recorded outcomes: what a consensus of cheap models and a tested chain achieve,
// read from what tasks showed (full sweeps or the partial evidence of real runs).
import { describe, expect, it } from 'vitest';
import { fitPlanStats, type OutcomeRecord, peerSets } from '../../src/learning/index.ts';
import { outcome, testedOutcome } from './outcome-fixture.ts';

const options = { cheap: ['a', 'b', 'c'], strongest: 'big', minTasks: 1 };

/** One task answered by several models, each with its answer and verdict, as a calibration sweep records it. */
function sweep(task: string, answers: Record<string, [string | null, boolean]>): OutcomeRecord[] {
  return Object.entries(answers).map(([model, [answer, right]], index) =>
    outcome({
      taskId: task,
      attempt: index + 1,
      taskType: 'mcq',
      model,
      validator: 'consensus',
      consensus: { answer, peers: [] },
      success: right,
      source: 'feedback',
      quality: right ? 1 : 0,
      costMicroUsd: model === 'big' ? 1000 : 10,
    }),
  );
}

describe('plan statistics', () => {
  it('count agreement, correctness when agreed, and the rescue when not', () => {
    const records = [
      ...sweep('t1', { a: ['x', true], b: ['x', true], big: ['x', true] }),
      ...sweep('t2', { a: ['x', false], b: ['x', false], big: ['y', true] }),
      ...sweep('t3', { a: ['x', true], b: ['z', false], big: ['x', true] }),
      ...sweep('t4', { a: [null, false], b: ['x', true], big: ['y', false] }),
    ];
    const stats = fitPlanStats(records, { ...options, cheap: ['a', 'b'] });
    const pair = stats.pairs.get('mcq')?.find((entry) => entry.first === 'a' && entry.peers.join() === 'b');
    expect(pair).toEqual({
      first: 'a',
      peers: ['b'],
      agree: 0.5,
      firstAgree: 0.5,
      rightIfAgreed: 0.5,
      rescueIfNot: 0.5,
      n: 4,
    });
    expect(stats.meanCost.get('big')).toBe(1000);
  });

  it('spread a verdict through the answers: the same answer as a right one is right, another is wrong', () => {
    // A real run: a asked b (they disagreed), the task escalated to big, and feedback judged big right.
    const records = [
      outcome({
        taskId: 't',
        taskType: 'mcq',
        model: 'a',
        success: false,
        errorCode: 'VALIDATION_FAILED',
        validator: 'consensus',
        consensus: { answer: 'x', peers: [{ model: 'b', answer: 'y', agreed: false, costMicroUsd: 7 }] },
        costMicroUsd: 17,
      }),
      outcome({
        taskId: 't',
        attempt: 2,
        taskType: 'mcq',
        model: 'big',
        validator: 'consensus',
        consensus: { answer: 'y', peers: [] },
        success: true,
        source: 'feedback',
        costMicroUsd: 1000,
      }),
    ];
    const stats = fitPlanStats(records, { ...options, cheap: ['a', 'b'] });
    const ab = stats.pairs.get('mcq')?.find((entry) => entry.first === 'a');
    const ba = stats.pairs.get('mcq')?.find((entry) => entry.first === 'b');
    expect(ab).toMatchObject({ agree: 0, rescueIfNot: 1, n: 1 });
    expect(ba).toMatchObject({ agree: 0, rescueIfNot: 1, n: 1 });
    // Peers' calls are their own costs, not the asking model's.
    expect(stats.costLines.get('mcq\u0000a')?.intercept).toBe(10);
    expect(stats.costLines.get('mcq\u0000b')?.intercept).toBe(7);
  });

  it('leave a rate no task judged undefined: an unjudged disagreement says nobody was right', () => {
    const records = [
      outcome({
        taskId: 't',
        taskType: 'mcq',
        model: 'a',
        success: false,
        errorCode: 'VALIDATION_FAILED',
        validator: 'consensus',
        consensus: { answer: 'x', peers: [{ model: 'b', answer: 'y', agreed: false, costMicroUsd: 7 }] },
      }),
    ];
    const pair = fitPlanStats(records, { ...options, cheap: ['a', 'b'] }).pairs.get('mcq')?.[0];
    expect(pair).toMatchObject({ first: 'a', peers: ['b'], agree: 0, n: 1 });
    expect(pair?.rightIfAgreed).toBeUndefined();
    expect(pair?.rescueIfNot).toBeUndefined();
  });

  it('fit a tested chain in pass-rate order, per length, on the tasks whose outcome is known', () => {
    const tested = (task: string, model: string, passed: boolean, attempt: number, cost = 10) =>
      testedOutcome(model, passed, { taskId: task, attempt, costMicroUsd: cost });
    const records = [
      // b passes most, then a; c never.
      tested('t1', 'a', false, 1),
      tested('t1', 'b', true, 2),
      tested('t1', 'c', false, 3),
      tested('t1', 'big', true, 4, 1000),
      tested('t2', 'a', true, 1),
      tested('t2', 'b', true, 2),
      tested('t2', 'c', false, 3),
      tested('t3', 'a', false, 1),
      tested('t3', 'b', false, 2),
      tested('t3', 'c', false, 3),
      tested('t3', 'big', true, 4, 1000),
      // A real run that stopped after b passed: the others' outcomes are unknown and not needed.
      tested('t4', 'b', true, 1),
      // A real run where a failed first: b's outcome is unknown, so no length of the chain is known.
      tested('t5', 'a', false, 1),
    ];
    const chain = fitPlanStats(records, options).chains.get('code');
    expect(chain?.order).toEqual(['b', 'a', 'c']);
    // t4 stopped at b's pass: what a and c would have done is not needed for any length.
    expect(chain?.n).toEqual([4, 4, 4]);
    expect(chain?.pass).toEqual([0.75, 0.75, 0.75]);
    // t1: b passed (10); t2: b (10); t3: b, a, c failed (30 at length 3); t4: b (10).
    expect(chain?.cost).toEqual([10, 12.5, 15]);
    expect(chain?.rescue).toEqual([1, 1, 1]);
  });

  it('rest on at least `minTasks` tasks', () => {
    const records = sweep('t1', { a: ['x', true], b: ['x', true], big: ['x', true] });
    expect(fitPlanStats(records, { ...options, minTasks: 2 }).pairs.size).toBe(0);
  });

  it('offer each cheap model every other one and every two others as peers', () => {
    expect(peerSets(['a', 'b', 'c'], 'a')).toEqual([['b'], ['c'], ['b', 'c']]);
  });
});
