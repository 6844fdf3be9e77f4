// Orchestration overhead per task and makespan of the coordinator, next to a bare p-queue scheduler.
import { createAgentRegistry } from '../src/agents/registry.ts';
import { createCoordinator } from '../src/coordinator/index.ts';
import { createEventBus } from '../src/events/bus.ts';
import type { TaskDefinition, Workflow } from '../src/workflow/model.ts';
import { runBare } from './bare-scheduler.ts';
import { chain, criticalPathLength, type Dag, fanOut, layered } from './dags.ts';
import { type BenchFile, type BenchRow, median, timeRuns } from './harness.ts';

const wip = 8;
const suite = 'coordinator';

function toWorkflow(dag: Dag, max: number): Workflow {
  const tasks: TaskDefinition[] = dag.needs.map((parents, index) => ({
    id: `t${index}`,
    agent: 'work',
    description: undefined,
    phase: undefined,
    needs: parents.map((parent) => `t${parent}`),
    input: undefined,
    prompt: undefined,
    when: undefined,
    foreach: undefined,
    as: 'item',
    maxParallel: undefined,
    trigger: 'none_failed',
    retry: { retries: 0, initialDelayMs: 0, factor: 2, maxDelayMs: 0 },
    timeoutMs: undefined,
    deadlineMs: undefined,
    continueOnError: false,
    priority: 'normal',
    group: undefined,
    tier: undefined,
    model: undefined,
    hints: {},
    budget: undefined,
    line: undefined,
  }));
  return {
    version: 1,
    id: dag.name.replace(/\W+/g, '-'),
    description: undefined,
    sourcePath: undefined,
    inputs: {},
    concurrency: { max, phases: {}, groups: {} },
    tasks,
  };
}

function coordinatorFor(handler: () => Promise<unknown>, subscribed: boolean) {
  const bus = createEventBus();
  let events = 0;
  if (subscribed)
    bus.onAny(() => {
      events++;
    });
  const agents = createAgentRegistry({ builtins: false });
  agents.register('work', async () => {
    await handler();
    return { output: null };
  });
  return { coordinator: createCoordinator({ bus, agents }), events: () => events };
}

const noop = async () => null;

/**
 * Per-task overhead: the three contenders run interleaved, round after round, so a burst of load
 * from other processes hits them alike; the best round of each is reported (the least disturbed),
 * with the median next to it.
 */
async function overhead(dag: Dag): Promise<BenchRow[]> {
  const tasks = dag.needs.length;
  const rounds = 40;
  const workflow = toWorkflow(dag, wip);
  const quiet = coordinatorFor(noop, false);
  const loud = coordinatorFor(noop, true);
  const contenders = {
    bare: () => runBare(dag, wip, noop),
    alone: () => quiet.coordinator.run(workflow),
    withBus: () => loud.coordinator.run(workflow),
  };
  const times = { bare: [] as number[], alone: [] as number[], withBus: [] as number[] };
  for (let round = 0; round < rounds + 5; round++) {
    for (const name of ['bare', 'alone', 'withBus'] as const) {
      const started = performance.now();
      await contenders[name]();
      if (round >= 5) times[name].push(performance.now() - started);
    }
  }
  const perTask = (ms: number) => (ms * 1000) / tasks;
  const best = (name: keyof typeof times) => perTask(Math.min(...times[name]));
  const typical = (name: keyof typeof times) => `median ${perTask(median(times[name])).toFixed(2)}`;
  const ratio = best('alone') / best('bare');
  const events = Math.round(loud.events() / (rounds + 5) / tasks);
  return [
    {
      suite,
      name: `${dag.name}: bare p-queue scheduler`,
      value: best('bare'),
      unit: 'us/task',
      note: typical('bare'),
    },
    {
      suite,
      name: `${dag.name}: coordinator, no subscribers`,
      value: best('alone'),
      unit: 'us/task',
      note: typical('alone'),
    },
    {
      suite,
      name: `${dag.name}: coordinator / bare`,
      value: ratio,
      unit: 'x',
      target: '<= 1.5x',
      pass: ratio <= 1.5,
    },
    {
      suite,
      name: `${dag.name}: coordinator + onAny subscriber`,
      value: best('withBus'),
      unit: 'us/task',
      target: '<= 5 us/task',
      pass: best('withBus') <= 5,
      note: `${typical('withBus')}; ${events} events/task`,
    },
  ];
}

/** Sleeps `ms` precisely: a timer for most of it, then turns of the event loop, so timer slack is not measured. */
function preciseSleep(ms: number): Promise<void> {
  const end = performance.now() + ms;
  return new Promise((resolve) => {
    const tick = () => {
      const left = end - performance.now();
      if (left <= 0) resolve();
      else if (left > 2) setTimeout(tick, left - 1.5);
      else setImmediate(tick);
    };
    tick();
  });
}

async function makespan(): Promise<BenchRow[]> {
  const dag = layered(20, 50);
  const taskMs = 5;
  const ideal = Math.max(criticalPathLength(dag) * taskMs, (dag.needs.length * taskMs) / wip);
  const work = () => preciseSleep(taskMs);
  const { coordinator } = coordinatorFor(work, true);
  const workflow = toWorkflow(dag, wip);
  const measured = median(await timeRuns(3, 1, () => coordinator.run(workflow)));
  const bare = median(await timeRuns(3, 1, () => runBare(dag, wip, work)));
  const ratio = measured / ideal;
  const timer = coordinatorFor(() => new Promise((resolve) => setTimeout(resolve, taskMs)), true);
  const withTimers = median(await timeRuns(1, 0, () => timer.coordinator.run(workflow)));
  return [
    {
      suite,
      name: `${dag.name}, 5 ms tasks, WIP ${wip}: ideal max(critical path, work/${wip})`,
      value: ideal,
      unit: 'ms',
    },
    { suite, name: `${dag.name}, 5 ms tasks, WIP ${wip}: bare p-queue scheduler`, value: bare, unit: 'ms' },
    { suite, name: `${dag.name}, 5 ms tasks, WIP ${wip}: coordinator`, value: measured, unit: 'ms' },
    {
      suite,
      name: `${dag.name}, 5 ms tasks, WIP ${wip}: coordinator / ideal`,
      value: ratio,
      unit: 'x',
      target: '<= 1.03x',
      pass: ratio <= 1.03,
    },
    {
      suite,
      name: `${dag.name}, setTimeout(5) tasks, WIP ${wip}: coordinator / ideal`,
      value: withTimers / ideal,
      unit: 'x',
      note: 'informational: includes timer slack of setTimeout',
    },
  ];
}

const bench: BenchFile = {
  suite,
  run: async () => [
    ...(await overhead(chain(1000))),
    ...(await overhead(fanOut(1000))),
    ...(await overhead(layered(20, 50))),
    ...(await makespan()),
  ],
};
export default bench;
