import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createAgentRegistry } from '../../src/agents/registry.ts';
import type { AgentHandler } from '../../src/agents/types.ts';
import { createCoordinator } from '../../src/coordinator/index.ts';
import { createEventBus } from '../../src/events/bus.ts';
import type { Priority } from '../../src/events/vocabulary.ts';
import type { TaskDefinition, Trigger, Workflow } from '../../src/workflow/model.ts';
import { createVirtualClock, recordEvents, task, template, workflow } from './helpers.ts';

type Spec = {
  tasks: {
    needs: number[];
    phase: 'a' | 'b' | 'c' | undefined;
    group: 'g1' | 'g2' | undefined;
    priority: Priority;
    trigger: Trigger;
    durationMs: number;
    /** Per attempt: true fails it. */
    failures: boolean[];
    retries: number;
    timeoutMs: number | undefined;
    continueOnError: boolean;
    /** A `foreach` over this many items (undefined: a plain task), at most `maxParallel` at once. */
    items: number | undefined;
    maxParallel: number | undefined;
  }[];
  max: number;
  phases: { a: number; b: number };
  groups: { g1: number; g2: number };
};

const specArbitrary: fc.Arbitrary<Spec> = fc
  .record({
    size: fc.integer({ min: 1, max: 14 }),
    max: fc.integer({ min: 1, max: 5 }),
    phases: fc.record({ a: fc.integer({ min: 1, max: 3 }), b: fc.integer({ min: 1, max: 2 }) }),
    groups: fc.record({ g1: fc.integer({ min: 1, max: 2 }), g2: fc.integer({ min: 1, max: 3 }) }),
  })
  .chain(({ size, max, phases, groups }) =>
    fc
      .array(
        fc.record({
          needBits: fc.array(fc.boolean(), { minLength: 14, maxLength: 14 }),
          phase: fc.constantFrom('a', 'b', 'c', undefined),
          group: fc.constantFrom('g1', 'g2', undefined),
          priority: fc.constantFrom<Priority>('low', 'normal', 'high', 'critical'),
          trigger: fc.constantFrom<Trigger>('all_success', 'none_failed', 'all_done', 'one_success'),
          durationMs: fc.integer({ min: 0, max: 30 }),
          failures: fc.array(fc.boolean(), { minLength: 3, maxLength: 3 }),
          retries: fc.integer({ min: 0, max: 2 }),
          timeoutMs: fc.option(fc.integer({ min: 1, max: 40 }), { nil: undefined }),
          continueOnError: fc.boolean(),
          items: fc.option(fc.integer({ min: 0, max: 3 }), { nil: undefined, freq: 4 }),
          maxParallel: fc.option(fc.integer({ min: 1, max: 2 }), { nil: undefined }),
        }),
        { minLength: size, maxLength: size },
      )
      .map((tasks) => ({
        max,
        phases,
        groups,
        tasks: tasks.map(({ needBits, ...rest }, index) => ({
          ...rest,
          // Sparse edges to earlier tasks only: a DAG by construction.
          needs: needBits
            .slice(0, index)
            .flatMap((bit, parent) => (bit && (parent + index) % 3 === 0 ? [parent] : [])),
        })),
      })),
  );

function toWorkflow(spec: Spec): Workflow {
  const tasks: TaskDefinition[] = spec.tasks.map((t, index) =>
    task(`t${index}`, {
      needs: t.needs.map((parent) => `t${parent}`),
      phase: t.phase,
      group: t.group,
      priority: t.priority,
      trigger: t.trigger,
      retry: { retries: t.retries, initialDelayMs: 1, factor: 2, maxDelayMs: 4 },
      timeoutMs: t.timeoutMs,
      continueOnError: t.continueOnError,
      foreach:
        t.items === undefined
          ? undefined
          : template(JSON.stringify(Array.from({ length: t.items }, (_, item) => item))),
      maxParallel: t.maxParallel,
    }),
  );
  return workflow(tasks, { concurrency: { max: spec.max, phases: spec.phases, groups: spec.groups } });
}

/** The task position of `t3` or of an item `t3[1]`. */
const indexOf = (taskId: string) => Number(taskId.slice(1).split('[')[0]);

async function runSpec(spec: Spec, abortAtMs?: number) {
  const bus = createEventBus();
  const clock = createVirtualClock();
  const agents = createAgentRegistry();
  const running = {
    all: 0,
    phase: new Map<string, number>(),
    group: new Map<string, number>(),
    items: new Map<string, number>(),
  };
  const peak = {
    all: 0,
    phase: new Map<string, number>(),
    group: new Map<string, number>(),
    items: new Map<string, number>(),
  };
  const bump = (
    map: Map<string, number>,
    peaks: Map<string, number>,
    key: string | undefined,
    by: number,
  ) => {
    if (key === undefined) return;
    const value = (map.get(key) ?? 0) + by;
    map.set(key, value);
    peaks.set(key, Math.max(peaks.get(key) ?? 0, value));
  };
  const handler: AgentHandler = async (ctx) => {
    const index = indexOf(ctx.taskId);
    const t = spec.tasks[index] as Spec['tasks'][number];
    const itemKey = t.items === undefined ? undefined : `t${index}`;
    running.all++;
    peak.all = Math.max(peak.all, running.all);
    bump(running.phase, peak.phase, t.phase, 1);
    bump(running.group, peak.group, t.group, 1);
    bump(running.items, peak.items, itemKey, 1);
    try {
      await clock.sleep(t.durationMs, ctx.signal);
      if (t.failures[ctx.attempt - 1])
        throw new Error(`planned failure of ${ctx.taskId} attempt ${ctx.attempt}`);
      return { output: ctx.attempt };
    } finally {
      running.all--;
      bump(running.phase, peak.phase, t.phase, -1);
      bump(running.group, peak.group, t.group, -1);
      bump(running.items, peak.items, itemKey, -1);
    }
  };
  agents.register('noop', handler);
  const listenersBefore = bus.totalListenerCount();
  const recorder = recordEvents(bus);
  const coordinator = createCoordinator({ bus, agents, clock });
  const controller = new AbortController();
  if (abortAtMs !== undefined) void clock.sleep(abortAtMs).then(() => controller.abort(new Error('stopped')));
  const result = await coordinator.run(toWorkflow(spec), { runId: 'run-1', signal: controller.signal });
  recorder.dispose();
  return { result, recorder, peak, listenersLeft: bus.totalListenerCount() - listenersBefore };
}

let itemsSeen = 0;
let cancelledRuns = 0;

/** The invariants every run must keep, cancelled or not. */
function checkRun(spec: Spec, outcome: Awaited<ReturnType<typeof runSpec>>): void {
  const { result, recorder, peak, listenersLeft } = outcome;
  expect(listenersLeft).toBe(0);
  expect(peak.all).toBeLessThanOrEqual(spec.max);
  for (const [phase, count] of peak.phase) {
    const limit = spec.phases[phase as 'a' | 'b'] ?? spec.max;
    expect(count).toBeLessThanOrEqual(limit);
  }
  for (const [group, count] of peak.group)
    expect(count).toBeLessThanOrEqual(spec.groups[group as 'g1' | 'g2']);
  for (const [id, count] of peak.items)
    expect(count).toBeLessThanOrEqual(spec.tasks[indexOf(id)]?.maxParallel ?? 3);
  itemsSeen += peak.items.size;

  const settledAt = new Map<string, number>();
  const terminal = new Map<string, number>();
  const open = new Map<string, number>();
  recorder.events.forEach(({ type, event }, position) => {
    const { taskId, attempt } = event as { taskId?: string; attempt?: number };
    if (type === 'TASK_SETTLED') {
      expect(settledAt.has(taskId as string)).toBe(false);
      settledAt.set(taskId as string, position);
    }
    if (
      type === 'TASK_SUCCEEDED' ||
      type === 'TASK_FAILED' ||
      type === 'TASK_SKIPPED' ||
      type === 'TASK_CANCELLED'
    ) {
      terminal.set(taskId as string, (terminal.get(taskId as string) ?? 0) + 1);
    }
    const key = `${taskId}#${attempt}`;
    if (type === 'AGENT_INVOKED') {
      expect(open.has(key)).toBe(false);
      open.set(key, 1);
      const index = indexOf(taskId as string);
      for (const parent of spec.tasks[index]?.needs ?? []) {
        const parentSettled = settledAt.get(`t${parent}`);
        expect(parentSettled).toBeDefined();
        expect(parentSettled as number).toBeLessThan(position);
      }
    }
    if (type === 'AGENT_COMPLETED' || type === 'AGENT_FAILED') {
      expect(open.get(key)).toBe(1);
      open.set(key, 2);
    }
  });
  expect([...open.values()].every((state) => state === 2)).toBe(true);
  const items = spec.tasks.reduce((sum, t) => sum + (t.items ?? 0), 0);
  expect([...settledAt.keys()].filter((id) => !id.includes('[')).sort()).toEqual(
    spec.tasks.map((_, index) => `t${index}`).sort(),
  );
  expect(settledAt.size).toBeLessThanOrEqual(spec.tasks.length + items);
  expect([...terminal.values()].every((count) => count === 1)).toBe(true);
  expect(result.tasks.map((t) => t.status).every((status) => status !== undefined)).toBe(true);
  const ends = recorder.types().filter((type) => type.startsWith('WORKFLOW_') && type !== 'WORKFLOW_STARTED');
  expect(ends).toHaveLength(1);
}

describe('scheduler properties over random DAGs', () => {
  it('holds WIP limits, starts no task before its parents settle, settles every task once', async () => {
    await fc.assert(
      fc.asyncProperty(specArbitrary, async (spec) => {
        checkRun(spec, await runSpec(spec));
      }),
      { numRuns: 1000, seed: 20261122 },
    );
    // The DAGs must exercise dynamic fan-out, or the maxParallel check above proves nothing.
    expect(itemsSeen).toBeGreaterThan(500);
  });

  it('keeps them when the run is cancelled at any moment', async () => {
    await fc.assert(
      fc.asyncProperty(specArbitrary, fc.integer({ min: 0, max: 60 }), async (spec, abortAtMs) => {
        const outcome = await runSpec(spec, abortAtMs);
        checkRun(spec, outcome);
        const { result, recorder } = outcome;
        if (result.status !== 'cancelled') return;
        cancelledRuns++;
        expect(recorder.types().at(-1)).toBe('WORKFLOW_CANCELLED');
        // Nothing starts after the cancellation.
        const cancelledAt = recorder.events.findIndex((entry) => entry.type === 'TASK_CANCELLED');
        expect(recorder.events.slice(cancelledAt).some((entry) => entry.type === 'AGENT_INVOKED')).toBe(
          false,
        );
      }),
      { numRuns: 300, seed: 99 },
    );
    expect(cancelledRuns).toBeGreaterThan(100);
  });

  it('gives the same start order for the same seed', async () => {
    await fc.assert(
      fc.asyncProperty(specArbitrary, async (spec) => {
        const order = async () =>
          (await runSpec(spec)).recorder
            .of('AGENT_INVOKED')
            .map((event) => `${event.taskId}#${event.attempt}`);
        expect(await order()).toEqual(await order());
      }),
      { numRuns: 200, seed: 7 },
    );
  });
});
