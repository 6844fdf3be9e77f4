// Many processes share one $5 budget through the ledger: it never overspends what was reserved,
// books every settlement exactly once, and a naive check-then-spend control does overspend.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, describe, expect, it } from 'vitest';
import { createLedger } from '../../src/cost/ledger.ts';
import { openStateDatabase } from '../../src/store/index.ts';
import { sharedBudget, sharedLimitMicroUsd } from './fixtures/shared-budget.ts';

const node = resolve('node_modules/.bin/node');
const worker = resolve('test/cost/fixtures/reserve-worker.ts');
const directory = mkdtempSync(join(tmpdir(), 'tierflow-mp-'));
afterAll(() => rmSync(directory, { recursive: true, force: true }));

type Summary = { reserved: number; blocked: number; throttled: number; bookedMicroUsd: number };
type Worker = { child: ChildProcess; lines: AsyncIterator<string> };

function start(mode: string, dbPath: string, id: number): Worker {
  const child = spawn(node, [worker, mode, dbPath, String(id), '200', String(id * 7919 + 13)], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: child.stdout! })[Symbol.asyncIterator]();
  return { child, lines };
}

async function nextLine(worker: Worker): Promise<string> {
  const next = await worker.lines.next();
  if (next.done === true) throw new Error('worker ended early');
  return next.value;
}

/** Starts `count` workers, waits until every one is ready (the barrier), then releases them at once. */
async function runWorkers(mode: 'ledger' | 'naive', count: number, dbPath: string): Promise<Summary[]> {
  const workers = Array.from({ length: count }, (_, id) => start(mode, dbPath, id));
  for (const worker of workers) expect(await nextLine(worker)).toBe('ready');
  for (const worker of workers) worker.child.stdin!.write('go\n');
  return Promise.all(workers.map(async (worker) => JSON.parse(await nextLine(worker)) as Summary));
}

function freshDatabase(name: string) {
  const path = join(directory, `${name}.db`);
  const db = openStateDatabase(path);
  db.exec('CREATE TABLE naive_spend (worker TEXT NOT NULL, cost_micro_usd INTEGER NOT NULL)');
  return { path, db };
}

describe.each([2, 8, 16])('%i processes x 200 reservations against $5', (processes) => {
  it('never overspends, leaves nothing reserved and books each settlement once', async () => {
    const { path, db } = freshDatabase(`ledger-${processes}`);
    const summaries = await runWorkers('ledger', processes, path);
    const counter = db
      .prepare('SELECT spent, reserved FROM budget_counters WHERE budget = ?')
      .get('shared-usd') as {
      spent: number;
      reserved: number;
    };
    const ledger = db.prepare('SELECT COUNT(*) AS rows, SUM(cost_micro_usd) AS total FROM ledger').get() as {
      rows: number;
      total: number;
    };
    const admitted = summaries.reduce((sum, summary) => sum + summary.reserved, 0);
    const booked = summaries.reduce((sum, summary) => sum + summary.bookedMicroUsd, 0);
    expect(counter.spent - sharedLimitMicroUsd).toBeLessThanOrEqual(0);
    expect(counter.reserved).toBe(0);
    expect(ledger.total).toBe(counter.spent);
    expect(ledger.total).toBe(booked);
    expect(ledger.rows).toBe(admitted);
    // The budget was contended: some calls were refused, and it ended close to full.
    expect(summaries.some((summary) => summary.blocked + summary.throttled > 0)).toBe(true);
    expect(counter.spent).toBeGreaterThan(sharedLimitMicroUsd / 2);
    db.close();
  });

  it('the naive check-then-spend control overspends under the same load', async () => {
    const { path, db } = freshDatabase(`naive-${processes}`);
    await runWorkers('naive', processes, path);
    const { total } = db.prepare('SELECT SUM(cost_micro_usd) AS total FROM naive_spend').get() as {
      total: number;
    };
    expect(total - sharedLimitMicroUsd).toBeGreaterThan(0);
    db.close();
  });
});

describe('a process killed mid-call', () => {
  it('has its reservation released once the lease runs out, not before', async () => {
    const { path, db } = freshDatabase('killed');
    const held = start('hold', path, 99);
    expect(await nextLine(held)).toBe('ready');
    held.child.stdin!.write('go\n');
    expect(await nextLine(held)).toBe('reserved');
    const exited = new Promise((done) => held.child.once('exit', done));
    held.child.kill('SIGKILL');
    await exited;
    const reserved = () =>
      (
        db.prepare('SELECT reserved FROM budget_counters WHERE budget = ?').get('shared-usd') as {
          reserved: number;
        }
      ).reserved;
    const now = Date.now();
    const beforeLease = createLedger({ db, config: sharedBudget, clock: { now: () => now } });
    expect(beforeLease.releaseExpired()).toBe(0);
    expect(reserved()).toBe(1_000_000);
    const afterLease = createLedger({
      db,
      config: sharedBudget,
      clock: { now: () => now + sharedBudget.leaseMs + 1 },
    });
    expect(afterLease.releaseExpired()).toBe(1);
    expect(reserved()).toBe(0);
    db.close();
  });
});
