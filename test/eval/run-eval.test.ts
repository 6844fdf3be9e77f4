import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadDataset } from '../../src/eval/dataset.ts';
import { scoreAlways, scoreOracle, scoreVerifiedChain } from '../../src/eval/policies.ts';
import { createReplayProvider } from '../../src/eval/replay.ts';
import { runEval } from '../../src/eval/run-eval.ts';

const fixtures = join(import.meta.dirname, 'fixtures');
const toy = { dataset: fixtures, catalogFile: join(fixtures, 'toy-models.yaml'), knobs: [0.5, 0.7, 0.9] };
// CI clones the repository with shared/ beside it: the data lives at <repo>/../shared/evaldata.
const evaldata = resolve(import.meta.dirname, '../../../shared/evaldata');
const repoCatalog = resolve(import.meta.dirname, '../../config/eval-models.yaml');

describe('runEval', () => {
  it('is reproducible for a seed', () => {
    const first = runEval({ ...toy, policy: 'learned', seed: 4 });
    const second = runEval({ ...toy, policy: 'learned', seed: 4 });
    expect(second).toEqual(first);
    expect(first.online).toBeDefined();
  });

  it('reports the documented shape, relative to always-strongest on the same prompts', () => {
    const report = runEval({ ...toy, policy: 'always:strong/c' });
    expect(Object.keys(report.frozen)).toEqual([
      'policy',
      'prompts',
      'accuracy',
      'costUsd',
      'costPct',
      'strongest',
      'costAtStrongestAccuracyPct',
      'curve',
    ]);
    expect(report.frozen).toMatchObject({ prompts: 29, costPct: 100, costAtStrongestAccuracyPct: 100 });
    expect(report.frozen.accuracy).toBe(report.frozen.strongest.accuracy);
    expect(report.train).toBe(60);
  });

  it('sweeps the knob for routed policies', () => {
    const report = runEval({ ...toy, policy: 'static' });
    expect(report.frozen.curve.map((point) => point.knob)).toEqual([0.5, 0.7, 0.9]);
    expect(report.frozen.curve[0]?.costPct).toBeLessThan(report.frozen.curve[2]?.costPct ?? 0);
    expect(report.online).toBeUndefined();
  });

  it('static-fitted routes each category by its train success rates, one attempt per task', () => {
    const fitted = runEval({ ...toy, policy: 'static-fitted', knobs: [0.3, 0.95] }).frozen;
    const catalogRules = runEval({ ...toy, policy: 'static', knobs: [0.3, 0.95] }).frozen;
    // A low bar takes the cheapest model for both; a bar no model meets takes the best one on train.
    const cheapest = runEval({ ...toy, policy: 'always:cheap/a' }).frozen;
    expect(fitted.curve[0]).toEqual({ knob: 0.3, accuracy: cheapest.accuracy, costPct: cheapest.costPct });
    expect(catalogRules.curve[0]).toEqual(fitted.curve[0]);
    expect(fitted.curve[1]?.costPct).toBeGreaterThan(fitted.curve[0]?.costPct ?? 0);
  });

  it('never does worse than the oracle allows', () => {
    const oracle = runEval({ ...toy, policy: 'oracle' }).frozen;
    const learned = runEval({ ...toy, policy: 'learned' }).frozen;
    expect(oracle.accuracy).toBeGreaterThanOrEqual(learned.accuracy);
  });

  it('re-prices a model with --prices, keeping the spread between prompts', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'tierflow-prices-')), 'prices.yaml');
    writeFileSync(file, 'prices:\n  strong/c: { usdPerCall: 0.01 }\n');
    const report = runEval({ ...toy, policy: 'always:strong/c', prices: file });
    // The mean over all (train and test) prompts becomes the price; the test prompts stay within a few %.
    const perCall = report.frozen.strongest.costUsd / report.frozen.prompts;
    expect(Math.abs(perCall - 0.01) / 0.01).toBeLessThan(0.05);
    writeFileSync(file, 'prices:\n  strong/c: { usdPerCall: -1 }\n');
    expect(() => runEval({ ...toy, policy: 'static', prices: file })).toThrow(/prices\.yaml: 1 problem/);
  });

  it('rejects an unknown policy with the valid ones', () => {
    expect(() => runEval({ ...toy, policy: 'smart' })).toThrowErrorMatchingInlineSnapshot(
      `[OrchestratorError: --policy "smart" is not a policy. Expected one of "static", "static-fitted", "learned", "cascade", "oracle", "always:<model>".]`,
    );
    expect(() => runEval({ ...toy, policy: 'always:gpt-5' })).toThrowErrorMatchingInlineSnapshot(
      `[OrchestratorError: --policy "always:gpt-5": model "gpt-5" is not in the eval catalog. Known models: "cheap/a", "mid/b", "strong/c".]`,
    );
  });
});

describe.skipIf(!existsSync(join(evaldata, 'routerbench_subset')))('the RouterBench subset', () => {
  const gpt4 = 'gpt-4-1106-preview';

  it('matches the README reference numbers on all 3,150 complete rows', () => {
    // Loaded here, not while collecting: a skipped suite (no shared/ beside the clone) still collects.
    const dataset = loadDataset(join(evaldata, 'routerbench_subset'));
    const replay = createReplayProvider(dataset.prompts);
    const all = dataset.prompts;
    const perThousand = (micro: number) => micro / all.length / 1000;
    expect(all).toHaveLength(3150);
    const always = scoreAlways(all, replay, gpt4);
    expect(always.correct / all.length).toBeCloseTo(0.879, 3);
    expect(perThousand(always.costMicroUsd)).toBeCloseTo(5.015, 2);
    const oracle = scoreOracle(all, replay, dataset.models);
    expect(oracle.correct / all.length).toBeCloseTo(0.976, 3);
    expect(perThousand(oracle.costMicroUsd)).toBeCloseTo(0.208, 2);
    const cascade = scoreVerifiedChain(all, replay, [
      'mistralai/mistral-7b-chat',
      'mistralai/mixtral-8x7b-chat',
      gpt4,
    ]);
    expect(cascade.correct / all.length).toBeCloseTo(0.928, 3);
    expect((cascade.costMicroUsd / always.costMicroUsd) * 100).toBeCloseTo(25.2, 0);
  });

  it('scores 945 test prompts with always-GPT-4 at 0.879', () => {
    const report = runEval({
      dataset: join(evaldata, 'routerbench_subset'),
      policy: `always:${gpt4}`,
      catalogFile: repoCatalog,
    });
    expect(report.frozen.prompts).toBe(945);
    expect(report.train).toBe(2205);
    expect(report.frozen.accuracy).toBeCloseTo(0.879, 3);
  });
});
