import { describe, expect, it } from 'vitest';
import { createAgentRegistry } from '../../src/agents/registry.ts';
import type { AgentContext } from '../../src/agents/types.ts';
import { createCoordinator } from '../../src/coordinator/index.ts';
import type { CoordinatorOptions } from '../../src/coordinator/options.ts';
import { createEventBus, type EventBus } from '../../src/events/bus.ts';
import type { ModelRef, Tier } from '../../src/events/vocabulary.ts';
import { createVirtualClock, recordEvents, task, workflow } from './helpers.ts';

const models: Record<string, ModelRef> = {
  'small-1': { id: 'small-1', provider: 'sim', tier: 1 },
  'mid-2': { id: 'mid-2', provider: 'sim', tier: 2 },
  'reason-3': { id: 'reason-3', provider: 'sim', tier: 3 },
  'big-4': { id: 'big-4', provider: 'sim', tier: 4 },
};
const byTier = (tier: Tier) => Object.values(models).find((model) => model.tier === tier) as ModelRef;
const awaited = { await: true, timeoutMs: 1000 };

/** A router that picks the model of the requested tier (tier 1 first) and reports it. */
function fakeRouter(bus: EventBus, options: { enforced?: boolean; delayMs?: number } = {}) {
  return bus.on('AGENT_INVOKED', (event) => {
    const model = byTier(event.requestedTier ?? 1);
    const answer = () =>
      bus.emit('MODEL_SELECTED', {
        runId: event.runId,
        taskId: event.taskId,
        attempt: event.attempt,
        model: model.id,
        provider: model.provider,
        tier: model.tier,
        category: 'NORMAL',
        complexity: 5,
        taskType: 'code',
        estimatedCostMicroUsd: 100,
        reason: 'test router',
        enforced: options.enforced ?? true,
      });
    if (options.delayMs === undefined) answer();
    else setTimeout(answer, options.delayMs);
  });
}

/** A tier upgrader: one tier up per failure, exhausted at `maxTier`. */
function fakeUpgrader(bus: EventBus, maxTier: Tier = 4) {
  return bus.on('AGENT_FAILED', (event) => {
    if (!event.willRetry) return;
    const fromTier = (event.model?.tier ?? 1) as Tier;
    const exhausted = fromTier >= maxTier;
    bus.emit('MODEL_TIER_UPGRADE', {
      runId: event.runId,
      taskId: event.taskId,
      attempt: event.attempt,
      fromTier,
      toTier: exhausted ? undefined : ((fromTier + 1) as Tier),
      exhausted,
      reason: exhausted ? 'no stronger tier' : 'one tier up',
    });
  });
}

function setUp(
  handler: (ctx: AgentContext) => Promise<{ output: string }>,
  options: Partial<CoordinatorOptions> = {},
) {
  const bus = createEventBus();
  const agents = createAgentRegistry({ builtins: false });
  agents.register('coder', handler);
  const coordinator = createCoordinator({
    bus,
    agents,
    clock: createVirtualClock(),
    defaultModel: models['small-1'],
    resolveModel: (id) => models[id],
    ...options,
  });
  return { bus, coordinator, recorder: recordEvents(bus) };
}

const modelOf = async (ctx: AgentContext) => ({ output: ctx.model?.id ?? 'none' });

describe('model selection', () => {
  it('runs the model the router selects and reports its tier, category and complexity', async () => {
    const { bus, coordinator } = setUp(modelOf, { decisions: { modelSelection: awaited } });
    fakeRouter(bus);
    const result = await coordinator.run(workflow([task('a', { agent: 'coder' })]));
    expect(result.tasks[0]).toMatchObject({
      output: 'small-1',
      model: 'small-1',
      provider: 'sim',
      tier: 1,
      category: 'NORMAL',
      complexity: 5,
    });
  });

  it('accepts an answer that comes later, as from another process', async () => {
    const { bus, coordinator } = setUp(modelOf, { decisions: { modelSelection: awaited } });
    fakeRouter(bus, { delayMs: 5 });
    const result = await coordinator.run(workflow([task('a', { agent: 'coder' })]));
    expect(result.tasks[0]?.output).toBe('small-1');
  });

  it('runs the default model in shadow mode (enforced: false) but records the decision', async () => {
    const { bus, coordinator } = setUp(modelOf, {
      decisions: { modelSelection: awaited },
      defaultModel: models['big-4'],
    });
    fakeRouter(bus, { enforced: false });
    const result = await coordinator.run(workflow([task('a', { agent: 'coder' })]));
    expect(result.tasks[0]).toMatchObject({ output: 'big-4', model: 'big-4', tier: 4, category: 'NORMAL' });
  });

  it('falls back to the default model when no router answers in time', async () => {
    const { coordinator, bus } = setUp(modelOf, {
      decisions: { modelSelection: { await: true, timeoutMs: 10 } },
    });
    const listeners = bus.totalListenerCount();
    const result = await coordinator.run(workflow([task('a', { agent: 'coder' })]));
    expect(result.tasks[0]).toMatchObject({ output: 'small-1', tier: 1, category: null });
    expect(bus.totalListenerCount()).toBe(listeners);
  });

  it('honours a pinned model, then the agent default, when no router answers', async () => {
    const { coordinator } = setUp(modelOf);
    const result = await coordinator.run(
      workflow([task('a', { agent: 'coder', model: 'reason-3' }), task('b', { agent: 'coder' })]),
    );
    expect(result.tasks.map((t) => t.output)).toEqual(['reason-3', 'small-1']);
  });

  it('skips routing and admission for deterministic agents (tier 0)', async () => {
    const bus = createEventBus();
    const agents = createAgentRegistry({ builtins: false });
    agents.register('tool', async (ctx) => ({ output: ctx.model === undefined ? 'no model' : 'model' }), {
      deterministic: true,
    });
    const coordinator = createCoordinator({
      bus,
      agents,
      defaultModel: models['small-1'],
      decisions: {
        modelSelection: { await: true, timeoutMs: 60_000 },
        admission: { await: true, timeoutMs: 60_000 },
      },
    });
    const recorder = recordEvents(bus);
    const result = await coordinator.run(workflow([task('a', { agent: 'tool' })]));
    expect(result.tasks[0]).toMatchObject({ output: 'no model', tier: 0, model: null });
    expect(recorder.of('ADMISSION_REQUESTED')).toHaveLength(0);
  });
});

describe('concurrent runs', () => {
  it('keep their replies apart on one bus and leave no listeners behind', async () => {
    const { bus, coordinator } = setUp(modelOf, { decisions: { modelSelection: awaited } });
    const router = fakeRouter(bus, { delayMs: 1 });
    const before = bus.totalListenerCount();
    const flow = workflow([task('a', { agent: 'coder' }), task('b', { agent: 'coder', needs: ['a'] })]);
    const results = await Promise.all([
      coordinator.run(flow, { runId: 'one' }),
      coordinator.run(flow, { runId: 'two' }),
    ]);
    expect(results.map((result) => [result.runId, result.status, result.tasks.map((t) => t.output)])).toEqual(
      [
        ['one', 'succeeded', ['small-1', 'small-1']],
        ['two', 'succeeded', ['small-1', 'small-1']],
      ],
    );
    expect(bus.totalListenerCount()).toBe(before);
    router();
  });
});

describe('tier upgrade', () => {
  /** Fails below tier 3, succeeds at 3 or above. */
  const needsTier3 = async (ctx: AgentContext) => {
    if ((ctx.model?.tier ?? 0) < 3) throw new Error(`too hard for ${ctx.model?.id}`);
    return { output: `done by ${ctx.model?.id}` };
  };
  const decisions = { modelSelection: awaited, tierUpgrade: awaited };

  it('retries one tier up after each failure until a tier that succeeds', async () => {
    const { bus, coordinator, recorder } = setUp(needsTier3, { decisions });
    fakeRouter(bus);
    fakeUpgrader(bus);
    const retry = { retries: 3, initialDelayMs: 10, factor: 2, maxDelayMs: 100 };
    const result = await coordinator.run(workflow([task('hard', { agent: 'coder', retry })]));
    expect(result.tasks[0]).toMatchObject({
      status: 'succeeded',
      attempts: 3,
      tier: 3,
      output: 'done by reason-3',
    });
    expect(recorder.of('AGENT_INVOKED').map((event) => [event.requestedTier, event.excludeModels])).toEqual([
      [undefined, []],
      [2, ['small-1']],
      [3, ['small-1', 'mid-2']],
    ]);
  });

  it('ends failed, naming the attempt budget, when retries run out first', async () => {
    const { bus, coordinator, recorder } = setUp(needsTier3, { decisions });
    fakeRouter(bus);
    fakeUpgrader(bus);
    const retry = { retries: 1, initialDelayMs: 10, factor: 2, maxDelayMs: 100 };
    const result = await coordinator.run(workflow([task('hard', { agent: 'coder', retry })]));
    expect(result.tasks[0]?.attempts).toBe(2);
    expect(recorder.of('AGENT_FAILED').map((event) => event.willRetry)).toEqual([true, false]);
    expect(result.tasks[0]?.error).toMatchInlineSnapshot(`
      {
        "code": "ATTEMPTS_EXHAUSTED",
        "hint": "Raise \`retries\` on the task, or fix the cause of the last error.",
        "message": "Task "hard" used up its attempt budget of 2 (retries: 1); last error AGENT_ERROR: too hard for mid-2",
      }
    `);
  });

  it('keeps retrying at the same tier when the upgrade chain is exhausted', async () => {
    const { bus, coordinator, recorder } = setUp(needsTier3, { decisions });
    fakeRouter(bus);
    fakeUpgrader(bus, 2);
    const retry = { retries: 3, initialDelayMs: 0, factor: 1, maxDelayMs: 0 };
    const result = await coordinator.run(workflow([task('hard', { agent: 'coder', retry })]));
    expect(result.tasks[0]?.status).toBe('failed');
    expect(recorder.of('AGENT_INVOKED').map((event) => event.requestedTier)).toEqual([undefined, 2, 2, 2]);
    expect(recorder.of('MODEL_TIER_UPGRADE').map((event) => event.exhausted)).toEqual([false, true, true]);
  });
});

describe('admission', () => {
  const decisions = { admission: awaited };

  it('waits out throttling on the injected clock, then runs', async () => {
    const clock = createVirtualClock();
    const { bus, coordinator, recorder } = setUp(modelOf, { decisions, clock });
    let asked = 0;
    bus.on('ADMISSION_REQUESTED', (event) => {
      asked++;
      const key = { runId: event.runId, taskId: event.taskId, attempt: event.attempt };
      if (asked < 3)
        bus.emit('ADMISSION_DECIDED', {
          ...key,
          decision: 'throttled',
          retryAfterMs: 500,
          reason: 'soft limit',
        });
      else bus.emit('ADMISSION_DECIDED', { ...key, decision: 'allowed', reason: 'ok' });
    });
    const started = clock.now();
    const result = await coordinator.run(workflow([task('a', { agent: 'coder' })]));
    expect(result.tasks[0]?.status).toBe('succeeded');
    expect(asked).toBe(3);
    expect(clock.now() - started).toBe(1000);
    expect(recorder.of('ADMISSION_REQUESTED')[0]?.model).toEqual(models['small-1']);
  });

  it('fails the attempt with BUDGET_EXCEEDED when blocked, without retrying', async () => {
    const { bus, coordinator, recorder } = setUp(modelOf, { decisions });
    bus.on('ADMISSION_REQUESTED', (event) => {
      bus.emit('ADMISSION_DECIDED', {
        runId: event.runId,
        taskId: event.taskId,
        attempt: event.attempt,
        decision: 'blocked',
        budget: 'monthly',
        reason: 'monthly budget of $5.00 is spent',
      });
    });
    const retry = { retries: 3, initialDelayMs: 0, factor: 1, maxDelayMs: 0 };
    const result = await coordinator.run(workflow([task('a', { agent: 'coder', retry })]));
    expect(recorder.of('AGENT_FAILED').map(({ retryable, willRetry }) => ({ retryable, willRetry }))).toEqual(
      [{ retryable: false, willRetry: false }],
    );
    expect(result.tasks[0]?.error).toMatchInlineSnapshot(`
      {
        "code": "BUDGET_EXCEEDED",
        "hint": "Raise the budget, lower the tier of the task, or wait for the budget window to reset.",
        "message": "Task "a" was refused a model call by budget "monthly": monthly budget of $5.00 is spent",
      }
    `);
  });
});
