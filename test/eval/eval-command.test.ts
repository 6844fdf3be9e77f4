import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type EvalFlags, evalCommand } from '../../src/cli/commands/eval.ts';

const fixtures = join(import.meta.dirname, 'fixtures');
const base: EvalFlags = {
  dataset: fixtures,
  policy: 'static',
  catalog: join(fixtures, 'toy-models.yaml'),
  seed: 1,
  validators: true,
};

function run(flags: Partial<EvalFlags>) {
  let stdout = '';
  let stderr = '';
  const code = evalCommand(
    { ...base, ...flags },
    {
      stdout: (text) => {
        stdout += text;
      },
      stderr: (text) => {
        stderr += text;
      },
    },
  );
  return { code, stdout, stderr: stderr.replaceAll(fixtures, '<fixtures>') };
}

describe('tierflow eval', () => {
  it('prints the documented JSON shape', () => {
    const { code, stdout } = run({ policy: 'learned', json: true });
    expect(code).toBe(0);
    const result = JSON.parse(stdout);
    expect(Object.keys(result)).toEqual([
      'policy',
      'prompts',
      'accuracy',
      'costUsd',
      'costPct',
      'strongest',
      'costAtStrongestAccuracyPct',
      'curve',
    ]);
    expect(Object.keys(result.strongest)).toEqual(['model', 'accuracy', 'costUsd']);
    expect(Object.keys(result.curve[0])).toEqual(['knob', 'accuracy', 'costPct']);
    expect(run({ policy: 'learned', json: true, online: true }).stdout).toContain(
      '"policy": "learned (online)"',
    );
  });

  it('prints headline figures and the curve', () => {
    const { stdout } = run({ policy: 'always:mid/b' });
    expect(stdout.replaceAll(fixtures, '<fixtures>')).toMatchInlineSnapshot(`
      "tierflow eval: policy always:mid/b on 29 test prompts of <fixtures> (fit on 60 train prompts)
      strongest model strong/c: accuracy 0.862, cost $0.1484 (100%)

                            accuracy  cost       % of strongest  reaches strongest accuracy at
      always:mid/b          0.862     $0.0118    7.9%            7.9%
      "
    `);
  });

  it('adds the curve over the knob for routed policies', () => {
    const lines = run({ policy: 'learned' }).stdout.split('\n');
    expect(lines).toContain('cost-accuracy curve (knob: the quality bar the router must meet)');
    expect(lines).toContain('knob    accuracy  cost %   online acc  online cost %');
    expect(lines.filter((line) => /^0\.\d{3} /.test(line))).toHaveLength(19);
  });

  it.each([
    ['a missing dataset', { dataset: join(fixtures, 'missing.csv') }],
    ['an unknown policy', { policy: 'cheapest' }],
    ['a knob out of range', { knob: '1.5' }],
    ['a missing catalog', { catalog: join(fixtures, 'missing.yaml') }],
  ])('exits 2 with a message for %s', (_name, flags) => {
    const { code, stderr } = run(flags);
    expect(code).toBe(2);
    expect(stderr).toMatchSnapshot();
  });
});
