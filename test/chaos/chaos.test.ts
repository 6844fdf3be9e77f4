// Chaos: 50 seeded runs of a 200-task random DAG at WIP 4 on the offline simulation (no latency),
// crashed by SIGKILL at random moments and by the crash hook at named points, resumed until done.
// Then: every run succeeded, no task committed twice, the ledger equals the committed attempts to
// the micro-dollar and is never below what the provider billed, re-issued calls per crash <= WIP,
// and every crash point was hit at least 5 times.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { afterAll, describe, expect, it } from 'vitest';
import { crashPoints } from '../../src/journal/crash-hook.ts';
import { seededRandom, writeDag } from './dag.ts';

const runs = Number(process.env.TIERFLOW_CHAOS_RUNS ?? '50');
const runsPerProcess = 5;
const tasks = 200;
const wip = 4;
const parallelGroups = 2;
const node = resolve('node_modules/.bin/node');
const workerScript = resolve('test/chaos/worker.ts');
const directory = mkdtempSync(join(tmpdir(), 'tierflow-chaos-'));
afterAll(() => rmSync(directory, { recursive: true, force: true }));

const configDir = join(directory, 'config');
function writeConfig(): void {
  rmSync(configDir, { recursive: true, force: true });
  mkdirSync(configDir);
  writeFileSync(join(configDir, 'providers.yaml'), 'simulation:\n  latencyScale: 0\n');
  writeFileSync(
    join(configDir, 'budgets.yaml'),
    'version: 1\nbudgets:\n  - { name: chaos-global, scope: global, window: month, limitUsd: 1000000 }\n',
  );
}

type Group = {
  index: number;
  db: string;
  jobs: { runId: string; workflowPath: string }[];
  callsFile: string;
  billedFile: string;
  mode: 'sigkill' | 'hook';
  incarnations: number;
  kills: number;
  hooks: string[];
};

function startWorker(group: Group, env: Record<string, string>) {
  const args = JSON.stringify({
    db: group.db,
    configDir,
    seed: group.index,
    jobs: group.jobs,
    callsFile: group.callsFile,
    billedFile: group.billedFile,
  });
  const child: ChildProcess = spawn(node, [workerScript, args], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  let onStarted = () => {};
  const started = new Promise<void>((done) => {
    onStarted = done;
  });
  child.stdout?.on('data', (chunk: Buffer) => {
    out += chunk.toString();
    if (out.includes('started\n')) onStarted();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    err += chunk.toString();
  });
  const exit = new Promise<{ code: number | null; signal: string | null }>((done) =>
    child.on('close', (code, signal) => done({ code, signal })),
  );
  return { child, started, exit, out: () => out, err: () => err };
}

/** Runs one group of runs in worker processes, crashing them as planned, until a worker finishes. */
async function runGroup(group: Group): Promise<void> {
  const random = seededRandom(1_000 + group.index);
  const plannedHooks = group.mode === 'hook' ? [...crashPoints].sort(() => random() - 0.5) : [];
  let kills = group.mode === 'sigkill' ? 1 + Math.floor(random() * 3) : 0;
  for (let incarnation = 0; incarnation < 12; incarnation++) {
    group.incarnations++;
    const hook = plannedHooks.shift();
    const env: Record<string, string> =
      hook === undefined ? {} : { TIERFLOW_CRASH_AT: `${hook}:${1 + Math.floor(random() * 120)}` };
    const worker = startWorker(group, env);
    await worker.started;
    if (kills > 0) {
      kills--;
      const delayMs = 50 + Math.floor(random() * 600);
      const timer = setTimeout(() => worker.child.kill('SIGKILL'), delayMs);
      void worker.exit.then(() => clearTimeout(timer));
    }
    const { code, signal } = await worker.exit;
    const hit = /crash hook at (\S+) #/.exec(worker.err())?.[1];
    if (hit !== undefined) group.hooks.push(hit);
    if (signal === 'SIGKILL') {
      if (hit === undefined) group.kills++;
      continue;
    }
    if (code !== 0) throw new Error(`worker of group ${group.index} exited ${code}: ${worker.err()}`);
    const results = JSON.parse(worker.out().trim().split('\n').at(-1) ?? '[]') as { status: string }[];
    if (results.every((result) => result.status === 'succeeded')) return;
    throw new Error(`group ${group.index} ended with ${JSON.stringify(results)}`);
  }
  throw new Error(`group ${group.index} did not finish in 12 processes`);
}

function lines(file: string): string[][] {
  try {
    return readFileSync(file, 'utf8')
      .trim()
      .split('\n')
      .filter(Boolean)
      .map((line) => line.split(' '));
  } catch {
    return [];
  }
}

describe('chaos: crashes and resume', () => {
  it(`completes ${runs} crashed runs with exact books`, async () => {
    writeConfig();
    const groups: Group[] = [];
    for (let index = 0; index * runsPerProcess < runs; index++) {
      const jobs = Array.from(
        { length: Math.min(runsPerProcess, runs - index * runsPerProcess) },
        (_, slot) => {
          const seed = index * runsPerProcess + slot;
          const workflowPath = join(directory, `chaos-${seed}.yaml`);
          writeDag(workflowPath, seed, tasks, wip);
          return { runId: `run-${seed}`, workflowPath };
        },
      );
      groups.push({
        index,
        db: join(directory, `group-${index}.db`),
        jobs,
        callsFile: join(directory, `group-${index}.calls`),
        billedFile: join(directory, `group-${index}.billed`),
        mode: index % 2 === 0 ? 'sigkill' : 'hook',
        incarnations: 0,
        kills: 0,
        hooks: [],
      });
    }
    const queue = [...groups];
    await Promise.all(
      Array.from({ length: parallelGroups }, async () => {
        for (let group = queue.shift(); group !== undefined; group = queue.shift()) await runGroup(group);
      }),
    );

    const hits = new Map<string, number>();
    let reissuedMax = 0;
    for (const group of groups) {
      for (const hook of group.hooks) hits.set(hook, (hits.get(hook) ?? 0) + 1);
      const db = new DatabaseSync(group.db, { readOnly: true });
      const all = <T>(sql: string) => db.prepare(sql).all() as T[];
      // Every run succeeded, every task exactly once.
      expect(all<{ status: string }>('SELECT status FROM journal_runs').map((row) => row.status)).toEqual(
        group.jobs.map(() => 'succeeded'),
      );
      expect(
        all<{ n: number }>("SELECT COUNT(*) AS n FROM journal_tasks WHERE status = 'succeeded'")[0]?.n,
      ).toBe(group.jobs.length * tasks);
      expect(
        all(
          "SELECT run_id, task_id FROM journal_completions WHERE status = 'succeeded' GROUP BY run_id, task_id HAVING COUNT(*) > 1",
        ),
      ).toEqual([]);
      // No attempt without its completion; the ledger holds exactly the committed attempts' costs.
      expect(
        all(
          `SELECT a.run_id, a.task_id, a.attempt FROM journal_attempts a
           LEFT JOIN journal_completions c USING (run_id, task_id, attempt) WHERE c.status IS NULL`,
        ),
      ).toEqual([]);
      expect(
        all(
          `SELECT c.run_id, c.task_id, c.attempt, c.cost_micro_usd, l.cost_micro_usd AS booked FROM journal_completions c
           LEFT JOIN ledger l USING (run_id, task_id, attempt)
           WHERE c.cost_micro_usd != COALESCE(l.cost_micro_usd, 0)`,
        ),
      ).toEqual([]);
      expect(
        all(
          'SELECT run_id, task_id, attempt FROM ledger l LEFT JOIN journal_completions c USING (run_id, task_id, attempt) WHERE c.status IS NULL',
        ),
      ).toEqual([]);
      const ledgerTotal =
        all<{ total: number }>('SELECT SUM(cost_micro_usd) AS total FROM ledger')[0]?.total ?? 0;
      const committedTotal =
        all<{ total: number }>('SELECT SUM(cost_micro_usd) AS total FROM journal_completions')[0]?.total ?? 0;
      expect(ledgerTotal).toBe(committedTotal);
      const billedTotal = lines(group.billedFile).reduce((sum, line) => sum + Number(line[3]), 0);
      expect(ledgerTotal).toBeGreaterThanOrEqual(billedTotal);
      expect(all('SELECT * FROM reservations')).toEqual([]);
      // Re-issued handler calls: calls whose attempt was lost, per process and run, at most the WIP limit.
      const lost = new Set(
        all<{ key: string }>(
          "SELECT run_id || ' ' || task_id || ' ' || attempt AS key FROM journal_completions WHERE status = 'lost'",
        ).map((row) => row.key),
      );
      const perCrash = new Map<string, number>();
      for (const [pid, runId, taskId, attempt] of lines(group.callsFile)) {
        if (!lost.has(`${runId} ${taskId} ${attempt}`)) continue;
        const key = `${pid} ${runId}`;
        perCrash.set(key, (perCrash.get(key) ?? 0) + 1);
      }
      for (const count of perCrash.values()) reissuedMax = Math.max(reissuedMax, count);
      db.close();
    }
    expect(reissuedMax).toBeLessThanOrEqual(wip);
    const kills = groups.reduce((sum, group) => sum + group.kills, 0);
    const processes = groups.reduce((sum, group) => sum + group.incarnations, 0);
    console.log(
      `chaos: ${runs} runs, ${processes} processes, ${kills} SIGKILLs, hook hits ${JSON.stringify(Object.fromEntries(hits))}, max re-issued calls per crash ${reissuedMax}`,
    );
    if (runs >= 50) for (const point of crashPoints) expect(hits.get(point) ?? 0).toBeGreaterThanOrEqual(5);
  }, 600_000);
});
