// The learned planner on a realistic outcome store: how long fitting its plan statistics takes, and what a
// plan adds to a validated task's first routing decision once fitted.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  createLearner,
  createMemoryOutcomeStore,
  createPlanner,
  createSqliteOutcomeStore,
  type LearnedPlanRequest,
  type OutcomeRecord,
} from '../src/learning/index.ts';
import { createRandom } from '../src/random.ts';
import { openStateDatabase } from '../src/store/index.ts';
import type { BenchFile, BenchRow } from './harness.ts';

const suite = 'planner';
const models = [
  { model: 'nano', tier: 1 as const, cost: 20, skill: 0.62 },
  { model: 'mini', tier: 1 as const, cost: 35, skill: 0.68 },
  { model: 'small', tier: 2 as const, cost: 60, skill: 0.72 },
  { model: 'flash', tier: 2 as const, cost: 80, skill: 0.75 },
  { model: 'mid', tier: 3 as const, cost: 400, skill: 0.82 },
  { model: 'large', tier: 4 as const, cost: 2000, skill: 0.9 },
];
const tasksPerType = 3000;

/** A sweep of past tasks: every model answered each one, judged by feedback (consensus) or tests. */
function pastOutcomes(tasks = tasksPerType, run = 'past'): OutcomeRecord[] {
  const random = createRandom(7);
  const records: OutcomeRecord[] = [];
  for (const [taskType, validator] of [
    ['quiz', 'consensus'],
    ['code', 'command'],
  ] as const) {
    for (let task = 0; task < tasks; task += 1) {
      const difficulty = random();
      models.forEach((entry, index) => {
        const right = random() < entry.skill * (1.2 - difficulty * 0.4);
        const answer = right ? 'a' : random() < 0.5 ? 'b' : 'c';
        records.push({
          runId: run,
          taskId: `${taskType}-${task}`,
          attempt: index + 1,
          workflowId: 'bench',
          agent: 'llm',
          taskType,
          category: 'NORMAL',
          complexity: 4,
          model: entry.model,
          provider: 'p',
          tier: entry.tier,
          success: right,
          quality: right ? 1 : 0,
          errorCode: right ? undefined : 'VALIDATION_FAILED',
          latencyMs: 100,
          costMicroUsd: Math.round(entry.cost * (0.5 + random())),
          costEstimated: false,
          text: `task ${task}`,
          contextChars: 200 + Math.round(random() * 2000),
          words: 2,
          source: 'feedback',
          recordedAt: task,
          validator,
          ...(validator === 'consensus' ? { consensus: { answer, peers: [] } } : {}),
        });
      });
    }
  }
  return records;
}

function requestOf(taskType: 'quiz' | 'code', chars: number): LearnedPlanRequest {
  return {
    taskType,
    category: 'NORMAL',
    text: 'task',
    contextChars: chars,
    validator: taskType === 'quiz' ? 'consensus' : 'command',
    peers: taskType === 'quiz' ? 2 : 0,
    maxAttempts: 4,
    candidates: models.map((entry) => ({
      model: entry.model,
      tier: entry.tier,
      estimatedCostMicroUsd: entry.cost,
      quality: entry.skill,
    })),
  };
}

async function run(): Promise<BenchRow[]> {
  const records = pastOutcomes();
  const learner = createLearner({
    priorOf: (model) => models.find((entry) => entry.model === model)?.skill,
    store: createMemoryOutcomeStore(records),
    neighbours: false,
  });
  const fits: number[] = [];
  for (let round = 0; round < 5; round += 1) {
    const planner = createPlanner(learner, { strongest: 'large', knob: 0.85 });
    const started = performance.now();
    planner.plan(requestOf('quiz', 800));
    planner.plan(requestOf('code', 800));
    fits.push(performance.now() - started);
  }
  const planner = createPlanner(learner, { strongest: 'large', knob: 0.85 });
  planner.plan(requestOf('quiz', 800));
  planner.plan(requestOf('code', 800));
  const latencies: number[] = [];
  for (let index = 0; index < 20_000; index += 1) {
    const request = requestOf(index % 2 === 0 ? 'quiz' : 'code', 200 + (index % 2000));
    const started = performance.now();
    planner.plan(request);
    latencies.push((performance.now() - started) * 1000);
  }
  latencies.sort((a, b) => a - b);
  const at = (share: number) => latencies[Math.floor(share * (latencies.length - 1))] as number;
  return [
    {
      suite,
      name: `fit on ${records.length.toLocaleString('en')} outcomes (2 task types)`,
      value: Math.min(...fits),
      unit: 'ms',
      note: `best of 5; refitted after each 10% more outcomes`,
    },
    { suite, name: 'plan of a fitted task type p50', value: at(0.5), unit: 'us' },
    {
      suite,
      name: 'plan of a fitted task type p99',
      value: at(0.99),
      unit: 'us',
      target: '<= 50 us',
      pass: at(0.99) <= 50,
      note: '4 cheap models: 4 x (3 + 3) consensus plans, or the tested chains',
    },
  ];
}

/** The planner's first fit when the history lives in the state database: the newest 50,000 of 100,000. */
function fitFromDatabase(): BenchRow {
  const directory = mkdtempSync(join(tmpdir(), 'tierflow-planner-bench-'));
  try {
    const db = openStateDatabase(join(directory, 'state.db'));
    const store = createSqliteOutcomeStore(db);
    db.exec('BEGIN');
    for (const record of pastOutcomes(8334, 'history')) store.record(record);
    db.exec('COMMIT');
    const learner = createLearner({
      priorOf: (model) => models.find((entry) => entry.model === model)?.skill,
      store,
      neighbours: false,
    });
    const planner = createPlanner(learner, { strongest: 'large', knob: 0.85 });
    const started = performance.now();
    planner.plan(requestOf('quiz', 800));
    const elapsed = performance.now() - started;
    db.close();
    return {
      suite,
      name: 'first plan, history in the state database (newest 50,000 of 100,000 read)',
      value: elapsed,
      unit: 'ms',
      target: '<= 500 ms',
      pass: elapsed <= 500,
      note: 'reads and parses the rows, fits costs and one task type; once per 10% more outcomes',
    };
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
}

const bench: BenchFile = { suite, run: async () => [...(await run()), fitFromDatabase()] };
export default bench;
