// Ctrl-C, a second Ctrl-C, and two coordinators for one run, with real `tierflow` processes.
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { constants, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { afterAll, describe, expect, it } from 'vitest';

const node = resolve('node_modules/.bin/node');
const entry = resolve('test/journal/fixtures/cli-entry.ts');
const agents = resolve('test/journal/fixtures/slow-agents.ts');
const workflow = resolve('test/journal/fixtures/slow.yaml');
const directory = mkdtempSync(join(tmpdir(), 'tierflow-interrupt-'));
afterAll(() => rmSync(directory, { recursive: true, force: true }));

// Exit statuses as a shell reports them: a process killed by a signal exits 128 + its number.
type Process = {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  exit: Promise<number | null>;
};

function tierflow(args: string[], env: Record<string, string> = {}): Process {
  const child = spawn(node, [entry, ...args], {
    env: { ...process.env, CI: '1', SLOW_AGENT_MS: '400', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    out += chunk.toString();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    err += chunk.toString();
  });
  const exit = new Promise<number | null>((done) =>
    child.on('close', (code, signal) => done(signal === null ? code : 128 + constants.signals[signal])),
  );
  return { child, stdout: () => out, stderr: () => err, exit };
}

function query<T>(path: string, sql: string, ...params: string[]): T[] {
  if (!existsSync(path)) return [];
  const db = new DatabaseSync(path, { readOnly: true, timeout: 5_000 });
  try {
    return db.prepare(sql).all(...params) as T[];
  } catch (error) {
    // Before the schema exists the tables are missing: nothing to read yet.
    if (String(error).includes('no such table')) return [];
    throw error;
  } finally {
    db.close();
  }
}

async function until(check: () => boolean, what: string, timeoutMs = 20_000): Promise<void> {
  const started = Date.now();
  while (!check()) {
    if (Date.now() - started > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((done) => setTimeout(done, 25));
  }
}

const succeededTasks = (path: string) =>
  query<{ n: number }>(path, "SELECT COUNT(*) AS n FROM journal_tasks WHERE status = 'succeeded'")[0]?.n ?? 0;
const runIdOf = (path: string) =>
  query<{ run_id: string }>(path, 'SELECT run_id FROM journal_runs')[0]?.run_id ?? '';

/** Each task succeeded in exactly one committed attempt, and no attempt is without a completion. */
function expectConsistent(path: string, runId: string): void {
  expect(
    query(
      path,
      "SELECT task_id FROM journal_completions WHERE run_id = ? AND status = 'succeeded' GROUP BY task_id HAVING COUNT(*) > 1",
      runId,
    ),
  ).toEqual([]);
  expect(
    query(
      path,
      `SELECT a.task_id, a.attempt FROM journal_attempts a LEFT JOIN journal_completions c USING (run_id, task_id, attempt)
       WHERE a.run_id = ? AND c.status IS NULL`,
      runId,
    ),
  ).toEqual([]);
}

function calls(file: string): string[] {
  try {
    return readFileSync(file, 'utf8').trim().split('\n');
  } catch {
    return [];
  }
}

describe('Ctrl-C', () => {
  it('stops starting tasks, aborts running ones, journals the run as interrupted, exits 130 and resumes', async () => {
    const state = join(directory, 'ctrl-c.db');
    const callsFile = join(directory, 'ctrl-c.calls');
    const run = tierflow(['run', workflow, '--agents', agents, '--state', state, '--quiet'], {
      SLOW_AGENT_CALLS: callsFile,
    });
    await until(() => succeededTasks(state) >= 2, 'two tasks done');
    run.child.kill('SIGINT');
    expect(await run.exit).toBe(130);
    const runId = runIdOf(state);
    expect(run.stderr().replaceAll(runId, '<run>')).toContain(
      'interrupted: resume with `tierflow resume <run>`',
    );
    expect(query(state, 'SELECT status FROM journal_runs')).toEqual([{ status: 'interrupted' }]);
    expectConsistent(state, runId);
    const done = query<{ task_id: string }>(
      state,
      "SELECT task_id FROM journal_tasks WHERE status = 'succeeded'",
    ).map((row) => row.task_id);
    const cancelled = query<{ code: string }>(
      state,
      "SELECT json_extract(error, '$.code') AS code FROM journal_completions WHERE status = 'failed'",
    );
    expect(cancelled.every((row) => row.code === 'TASK_CANCELLED')).toBe(true);

    const resumed = tierflow(['resume', runId, '--state', state, '--json'], { SLOW_AGENT_CALLS: callsFile });
    expect(await resumed.exit).toBe(0);
    expect((JSON.parse(resumed.stdout()) as { status: string }).status).toBe('succeeded');
    expectConsistent(state, runId);
    expect(succeededTasks(state)).toBe(8);
    // Tasks that had succeeded before Ctrl-C were not called again.
    const callsPerTask = new Map<string, number>();
    for (const line of calls(callsFile)) {
      const taskId = line.split(' ')[1] as string;
      callsPerTask.set(taskId, (callsPerTask.get(taskId) ?? 0) + 1);
    }
    for (const taskId of done) expect(callsPerTask.get(taskId)).toBe(1);
  }, 60_000);

  it('treats SIGTERM like Ctrl-C', async () => {
    const state = join(directory, 'sigterm.db');
    const run = tierflow(['run', workflow, '--agents', agents, '--state', state, '--quiet']);
    await until(() => succeededTasks(state) >= 2, 'two tasks done');
    run.child.kill('SIGTERM');
    expect(await run.exit).toBe(130);
    expect(run.stderr()).toContain('SIGTERM: stopping');
    expect(query(state, 'SELECT status FROM journal_runs')).toEqual([{ status: 'interrupted' }]);
    expectConsistent(state, runIdOf(state));
  }, 60_000);

  it('exits at once on a second Ctrl-C, leaving a journal that resumes', async () => {
    const state = join(directory, 'twice.db');
    const run = tierflow(['run', workflow, '--agents', agents, '--state', state, '--quiet'], {
      SLOW_AGENT_MS: '2000',
    });
    await until(() => query(state, 'SELECT 1 FROM journal_attempts').length >= 2, 'two tasks running');
    run.child.kill('SIGINT');
    await until(
      () => run.stderr().includes('SIGINT: stopping') || run.child.exitCode !== null,
      'the first Ctrl-C',
    );
    if (run.child.exitCode === null) run.child.kill('SIGINT');
    expect(await run.exit).toBe(130);
    const runId = runIdOf(state);
    const open = query(
      state,
      `SELECT a.task_id FROM journal_attempts a LEFT JOIN journal_completions c USING (run_id, task_id, attempt)
       WHERE c.status IS NULL`,
    );
    expect(open.length).toBeLessThanOrEqual(2);
    const resumed = tierflow(['resume', runId, '--state', state, '--json'], { SLOW_AGENT_MS: '20' });
    expect(await resumed.exit).toBe(0);
    expectConsistent(state, runId);
    expect(succeededTasks(state)).toBe(8);
  }, 60_000);
});

describe('one coordinator per run', () => {
  it('refuses a second resume of a live run, and lets a third take over once the holder died', async () => {
    const state = join(directory, 'lease.db');
    const first = tierflow(['run', workflow, '--agents', agents, '--state', state, '--quiet']);
    await until(() => succeededTasks(state) >= 2, 'two tasks done');
    first.child.kill('SIGKILL');
    await first.exit;
    const runId = runIdOf(state);

    const holder = tierflow(['resume', runId, '--state', state, '--quiet'], { SLOW_AGENT_MS: '4000' });
    await until(
      () => query<{ token: number }>(state, 'SELECT token FROM journal_leases')[0]?.token === 2,
      'the lease taken',
    );
    const second = tierflow(['resume', runId, '--state', state, '--quiet']);
    expect(await second.exit).toBe(1);
    expect(
      second
        .stderr()
        .replaceAll(runId, '<run>')
        .replace(/\(([^)]*):\d+:[0-9a-f]+\)/, '(<host>:<pid>:<id>)')
        .replace(/until \S+\./, 'until <time>.'),
    ).toMatchInlineSnapshot(`
      "error RUN_LEASE_HELD: Run "<run>" is being run by another coordinator (<host>:<pid>:<id>); its lease runs until <time>.
        hint: Wait for that process to finish, or stop it; once its lease expires, \`tierflow resume\` takes over.
      "
    `);

    holder.child.kill('SIGKILL');
    await holder.exit;
    const third = tierflow(['resume', runId, '--state', state, '--json'], { SLOW_AGENT_MS: '20' });
    expect(await third.exit).toBe(0);
    expect(query(state, 'SELECT token FROM journal_leases')).toEqual([{ token: 3 }]);
    expectConsistent(state, runId);
    expect(succeededTasks(state)).toBe(8);
  }, 60_000);
});
