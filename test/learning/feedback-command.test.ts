import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type FeedbackFlags, feedbackCommand } from '../../src/cli/commands/feedback.ts';
import { createSqliteOutcomeStore } from '../../src/learning/index.ts';
import { openStateDatabase } from '../../src/store/index.ts';
import { outcome } from './outcome-fixture.ts';

function stateWithOutcome(): string {
  const file = join(mkdtempSync(join(tmpdir(), 'tierflow-feedback-')), 'state.db');
  const db = openStateDatabase(file);
  createSqliteOutcomeStore(db).record(
    outcome({ runId: 'run-7', taskId: 'review', attempt: 2, model: 'large' }),
  );
  db.close();
  return file;
}

function run(runId: string, taskId: string, flags: FeedbackFlags) {
  let stdout = '';
  let stderr = '';
  const code = feedbackCommand(
    runId,
    taskId,
    flags,
    {
      stdout: (text) => {
        stdout += text;
      },
      stderr: (text) => {
        stderr += text;
      },
    },
    {},
    () => 5,
  );
  return { code, stdout, stderr };
}

describe('tierflow feedback', () => {
  it('records a verdict on the latest attempt in the state database', () => {
    const state = stateWithOutcome();
    const { code, stdout } = run('run-7', 'review', { quality: '0.8', state });
    expect(code).toBe(0);
    expect(stdout).toMatchInlineSnapshot(`
      "Recorded feedback on task "review" of run "run-7" (attempt 2, model large): success, quality 0.8.
      "
    `);
    const db = openStateDatabase(state);
    expect(createSqliteOutcomeStore(db).latest('run-7', 'review')).toMatchObject({
      quality: 0.8,
      success: true,
      source: 'feedback',
      recordedAt: 5,
    });
    db.close();
    expect(run('run-7', 'review', { fail: true, state }).stdout).toMatchInlineSnapshot(`
      "Recorded feedback on task "review" of run "run-7" (attempt 2, model large): failure, quality 0.
      "
    `);
  });

  it.each([
    ['no verdict', 'run-7', 'review', {}],
    ['two verdicts', 'run-7', 'review', { success: true, fail: true }],
    ['a quality out of range', 'run-7', 'review', { quality: '1.5' }],
    ['an unknown task', 'run-7', 'deploy', { success: true }],
  ])('exits 2 for %s', (_name, runId, taskId, flags: Omit<FeedbackFlags, 'state'>) => {
    const { code, stderr } = run(runId, taskId, { ...flags, state: stateWithOutcome() });
    expect(code).toBe(2);
    expect(stderr).toMatchSnapshot();
  });
});
