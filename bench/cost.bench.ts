// Admission (reserve) and settlement latency per call with the ledger on disk (WAL), against the
// shipped budgets (limits raised so that no call is refused), straight on the ledger and through
// the cost-tracker subscriber on the bus (tokenizer estimate included).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultBudgetsFile, normaliseBudgets } from '../src/config/budgets.ts';
import { createLedger } from '../src/cost/ledger.ts';
import { createPriceBook } from '../src/cost/price-book.ts';
import { countTokens } from '../src/cost/tokens.ts';
import { subscribeCostTracker } from '../src/cost/tracker.ts';
import { createEventBus } from '../src/events/bus.ts';
import { openStateDatabase } from '../src/store/index.ts';
import type { BenchFile, BenchRow } from './harness.ts';

const suite = 'cost';
const calls = 2_000;
const config = normaliseBudgets({
  ...defaultBudgetsFile,
  budgets: defaultBudgetsFile.budgets.map((budget) =>
    budget.limitUsd === undefined
      ? { ...budget, limitTokens: (budget.limitTokens ?? 0) * 1_000 }
      : { ...budget, limitUsd: budget.limitUsd * 1_000 },
  ),
});
const priceBook = createPriceBook([
  { id: 'small', tier: 1, inputMicroUsdPerMTok: 1_000_000, outputMicroUsdPerMTok: 5_000_000 },
  { id: 'strong', tier: 4, inputMicroUsdPerMTok: 15_000_000, outputMicroUsdPerMTok: 75_000_000 },
]);
const taskText =
  'Goal: add a --verbose flag to the CLI. Read src/cli/main.ts and README.md, then plan the change.\n'.repeat(
    20,
  );

function percentile(values: readonly number[], fraction: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * fraction))] ?? Number.NaN;
}

// p99 includes WAL checkpoints (an fsync every ~1,000 pages) and whatever else the machine runs.
function rows(
  name: string,
  samples: readonly number[],
  target: { p50Ms: number; p99Ms: number },
): BenchRow[] {
  const p50 = percentile(samples, 0.5);
  const p99 = percentile(samples, 0.99);
  const row = (label: string, value: number, limit: number): BenchRow => ({
    suite,
    name: `${name} ${label}`,
    value,
    unit: 'ms',
    target: `<= ${limit} ms`,
    pass: value <= limit,
  });
  return [row('p50', p50, target.p50Ms), row('p99', p99, target.p99Ms)];
}

const fast = { p50Ms: 1, p99Ms: 20 };

function ledgerLatency(directory: string): BenchRow[] {
  const db = openStateDatabase(join(directory, 'ledger.db'));
  const ledger = createLedger({ db, config });
  const reserve: number[] = [];
  const settle: number[] = [];
  for (let index = 0; index < calls; index++) {
    const ref = { runId: 'bench', taskId: `task-${index}`, attempt: 1 };
    const subject = {
      sessionId: `session-${index % 50}`,
      workflowId: 'wf',
      category: 'NORMAL',
      modelId: 'small',
    };
    let started = performance.now();
    const result = ledger.reserve({
      ...ref,
      subject,
      priority: 'normal',
      amountMicroUsd: 7_000,
      tokens: 2_000,
    });
    reserve.push(performance.now() - started);
    if (result.status !== 'reserved') throw new Error(`call ${index} was ${result.status}`);
    started = performance.now();
    ledger.settle({
      ...ref,
      outcome: 'completed',
      costMicroUsd: 4_321,
      inputTokens: 1_000,
      outputTokens: 600,
    });
    settle.push(performance.now() - started);
  }
  db.close();
  return [
    ...rows(`ledger reserve (${calls} calls, 8 budgets each, on disk)`, reserve, fast),
    ...rows('ledger settle', settle, fast),
  ];
}

function trackerLatency(directory: string): BenchRow[] {
  const db = openStateDatabase(join(directory, 'tracker.db'));
  const bus = createEventBus();
  countTokens('warm up the encoder');
  const dispose = subscribeCostTracker(bus, { db, priceBook, config });
  let decided = 0;
  bus.on('ADMISSION_DECIDED', (event) => {
    if (event.decision === 'allowed') decided++;
  });
  const admission: number[] = [];
  const settle: number[] = [];
  for (let index = 0; index < calls; index++) {
    const key = { runId: 'bench', taskId: `task-${index}`, attempt: 1 };
    bus.emit('AGENT_INVOKED', {
      ...key,
      workflowId: 'wf',
      agent: 'llm',
      priority: 'normal',
      text: taskText,
      contextChars: taskText.length,
      hints: {},
      excludeModels: [],
    });
    let started = performance.now();
    bus.emit('ADMISSION_REQUESTED', {
      ...key,
      workflowId: 'wf',
      model: { id: 'small', provider: 'sim', tier: 1 },
      priority: 'normal',
      category: 'NORMAL',
    });
    admission.push(performance.now() - started);
    started = performance.now();
    bus.emit('AGENT_COMPLETED', {
      ...key,
      agent: 'llm',
      model: { id: 'small', provider: 'sim', tier: 1 },
      usage: { inputTokens: 450, outputTokens: 600 },
      costMicroUsd: 3_450,
      costEstimated: false,
      latencyMs: 1,
      simulated: true,
    });
    settle.push(performance.now() - started);
  }
  dispose();
  db.close();
  if (decided !== calls) throw new Error(`only ${decided} of ${calls} admissions were allowed`);
  return [
    ...rows(`tracker admission incl. tokenizer (${taskText.length}-char task)`, admission, {
      p50Ms: 2,
      p99Ms: 25,
    }),
    ...rows('tracker settlement', settle, fast),
  ];
}

const bench: BenchFile = {
  suite,
  run: async () => {
    const directory = mkdtempSync(join(tmpdir(), 'tierflow-bench-cost-'));
    try {
      return [...ledgerLatency(directory), ...trackerLatency(directory)];
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  },
};
export default bench;
