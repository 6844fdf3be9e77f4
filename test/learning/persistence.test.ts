import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const script = join(import.meta.dirname, 'fixtures', 'learner-process.ts');
const run = (mode: string, file: string) => {
  const child = spawnSync(process.execPath, [script, mode, file], { encoding: 'utf8' });
  expect(child.stderr.replace(/.*ExperimentalWarning.*\n?|.*--trace-warnings.*\n?/g, '')).toBe('');
  return JSON.parse(child.stdout) as { quality: number; observations: number };
};

describe('outcome persistence', () => {
  it('carries outcomes and late feedback across processes sharing the state database', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'tierflow-learning-')), 'state.db');
    const recorded = run('record', file);
    expect(recorded.observations).toBe(5);
    expect(recorded.quality).toBeCloseTo(2.4 / 9);
    expect(run('estimate', file)).toEqual(recorded);
    const afterFeedback = run('feedback', file);
    expect(afterFeedback.quality).toBeCloseTo(3.4 / 9);
    expect(run('estimate', file)).toEqual(afterFeedback);
  });
});
