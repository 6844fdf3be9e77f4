import { describe, expect, it } from 'vitest';
import { createEventBus, type EventPayload, eventSchemas } from '../../src/events/index.ts';
import { subscribeRouter } from '../../src/routing/subscriber.ts';
import { invoked, shippedConfig } from './fixtures.ts';

const shipped = shippedConfig();

function collect(mode: 'on' | 'shadow' | 'off', extra: Partial<Parameters<typeof subscribeRouter>[1]> = {}) {
  const bus = createEventBus();
  const selected: EventPayload<'MODEL_SELECTED'>[] = [];
  bus.on('MODEL_SELECTED', (event) => {
    selected.push(event);
  });
  const failures: unknown[] = [];
  bus.on('SUBSCRIBER_FAILED', (event) => {
    failures.push(event);
  });
  const dispose = subscribeRouter(bus, { ...shipped, mode, ...extra });
  return { bus, selected, failures, dispose };
}

describe('the router subscriber on a real bus', () => {
  it('routes the tasks of a workflow to different tiers, for stated reasons', async () => {
    const { bus, selected, failures, dispose } = collect('on');
    bus.emit('AGENT_INVOKED', invoked('fix-typo', 'Fix the typo in README.md'));
    bus.emit(
      'AGENT_INVOKED',
      invoked('signup', 'Implement the signup endpoint in src/api/users.ts', { contextChars: 6_000 }),
    );
    bus.emit(
      'AGENT_INVOKED',
      invoked('design', 'Propose an architecture for billing: data model and trade offs', {
        contextChars: 30_000,
      }),
    );
    bus.emit(
      'AGENT_INVOKED',
      invoked('incident', 'Production outage: fix the rollback in src/a.ts, src/b.ts and src/c.ts', {
        contextChars: 90_000,
      }),
    );
    await bus.settled();
    expect(failures).toEqual([]);
    for (const event of selected) expect(eventSchemas.MODEL_SELECTED.parse(event)).toEqual(event);
    expect(
      selected.map((e) => [e.taskId, e.taskType, e.complexity, e.category, e.tier, e.model, e.enforced]),
    ).toMatchInlineSnapshot(`
      [
        [
          "fix-typo",
          "documentation",
          3,
          "FAST",
          1,
          "gemini-2.5-flash-lite",
          true,
        ],
        [
          "signup",
          "coding",
          5,
          "NORMAL",
          2,
          "gemini-2.5-flash",
          true,
        ],
        [
          "design",
          "architecture",
          7,
          "COMPLEX",
          2,
          "gpt-5-mini",
          true,
        ],
        [
          "incident",
          "production_critical",
          9,
          "HIGH_COMPLEX",
          3,
          "o4-mini",
          true,
        ],
      ]
    `);
    expect(selected.map((e) => e.factors)).toMatchInlineSnapshot(`
      [
        {
          "context": 1,
          "failures": 0,
          "files": 1,
          "taskType": 1,
        },
        {
          "context": 1,
          "failures": 0,
          "files": 1,
          "taskType": 3,
        },
        {
          "context": 2,
          "failures": 0,
          "files": 1,
          "taskType": 4,
        },
        {
          "context": 3,
          "failures": 0,
          "files": 2,
          "taskType": 4,
        },
      ]
    `);
    const incident = selected.find((e) => e.taskId === 'incident')!;
    expect(incident.candidates?.filter((c) => c.dropped === undefined).map((c) => c.model)).toEqual([
      incident.model,
    ]);
    expect(incident.candidates?.find((c) => c.model === 'gpt-5-pro')?.dropped).toBe(
      'latency 90000 ms > SLA 60000 ms',
    );
    dispose();
    expect(bus.totalListenerCount()).toBe(2);
  });

  it('answers with the same run, task and attempt as the request', async () => {
    const { bus, selected } = collect('on');
    bus.emit('AGENT_INVOKED', invoked('t', 'Write tests', { runId: 'r9', attempt: 3 }));
    expect(selected.map((e) => [e.runId, e.taskId, e.attempt])).toEqual([['r9', 't', 3]]);
  });

  it('reports but does not enforce in shadow mode', () => {
    const { bus, selected } = collect('shadow');
    bus.emit('AGENT_INVOKED', invoked('t', 'Write tests'));
    expect(selected).toHaveLength(1);
    expect(selected[0]?.enforced).toBe(false);
  });

  it('leaves agents that call no model alone', () => {
    const { bus, selected } = collect('on');
    bus.emit('AGENT_INVOKED', invoked('ls', 'git ls-files', { agent: 'shell', deterministic: true }));
    bus.emit('AGENT_INVOKED', invoked('t', 'Write tests', { deterministic: false }));
    expect(selected.map((event) => event.taskId)).toEqual(['t']);
  });

  it('emits nothing and listens to nothing when routing is off', () => {
    const { bus, selected } = collect('off');
    expect(bus.listenerCount('AGENT_INVOKED')).toBe(0);
    bus.emit('AGENT_INVOKED', invoked('t', 'Write tests'));
    expect(selected).toEqual([]);
  });

  it('reads TIERFLOW_ROUTING when no mode is given', () => {
    const bus = createEventBus();
    const previous = process.env.TIERFLOW_ROUTING;
    process.env.TIERFLOW_ROUTING = 'off';
    try {
      subscribeRouter(bus, shipped);
      expect(bus.listenerCount('AGENT_INVOKED')).toBe(0);
    } finally {
      if (previous === undefined) delete process.env.TIERFLOW_ROUTING;
      else process.env.TIERFLOW_ROUTING = previous;
    }
  });

  it('keeps the agent default model when no catalog model can be used', () => {
    const { bus, selected } = collect('on', { usable: () => 'provider not configured' });
    bus.emit(
      'AGENT_INVOKED',
      invoked('t', 'Write tests', { defaultModel: { id: 'gpt-4o-mini', provider: 'openai', tier: 1 } }),
    );
    bus.emit('AGENT_INVOKED', invoked('u', 'Write tests'));
    expect(selected.map((e) => [e.taskId, e.model, e.rule, e.estimatedCostMicroUsd])).toEqual([
      // 3 input tokens at $0.15 + 1,200 expected output tokens (testing) at $0.60 per million, rounded up.
      ['t', 'gpt-4o-mini', 'default_model', 721],
    ]);
    expect(selected[0]?.reason).toMatch(/keeping the agent's default model gpt-4o-mini$/);
  });

  it('honours the task tier window, the requested tier and the models already tried', () => {
    const { bus, selected } = collect('on');
    bus.emit('AGENT_INVOKED', invoked('a', 'Fix the typo', { tier: { min: 2, max: 2 } }));
    bus.emit(
      'AGENT_INVOKED',
      invoked('b', 'Write tests', { attempt: 2, requestedTier: 3, excludeModels: ['o4-mini'] }),
    );
    bus.emit('AGENT_INVOKED', invoked('c', 'Write tests', { pinnedModel: 'claude-haiku-4-5' }));
    expect(selected.map((e) => [e.taskId, e.tier, e.model, e.rule])).toMatchInlineSnapshot(`
      [
        [
          "a",
          2,
          "qwen2.5-coder:32b",
          "relaxed_latency",
        ],
        [
          "b",
          3,
          "o3",
          "relaxed_latency",
        ],
        [
          "c",
          1,
          "claude-haiku-4-5",
          "pinned",
        ],
      ]
    `);
  });

  it('feeds the failure factor from outcomes of the attempts it routed', () => {
    const { bus, selected } = collect('on');
    for (const attempt of [1, 2]) {
      bus.emit('AGENT_INVOKED', invoked('t', 'Write unit tests', { attempt }));
      bus.emit('AGENT_FAILED', {
        runId: 'run-1',
        taskId: 't',
        attempt,
        agent: 'llm',
        error: { code: 'AGENT_ERROR', message: 'bad output' },
        retryable: true,
        willRetry: true,
        usage: {},
        costMicroUsd: 0,
        costEstimated: false,
        latencyMs: 5,
        simulated: true,
      });
    }
    bus.emit('AGENT_INVOKED', invoked('t', 'Write unit tests', { attempt: 3 }));
    expect(selected.map((e) => e.factors?.failures)).toEqual([0, 0, 1]);
    expect(selected[2]?.reason).toContain('failures 1 (2 of the last 10 testing attempts failed)');
  });

  it('does not count failures a stronger model could not avoid', () => {
    const { bus, selected } = collect('on');
    for (const attempt of [1, 2]) {
      bus.emit('AGENT_INVOKED', invoked('t', 'Write unit tests', { attempt }));
      bus.emit('AGENT_FAILED', {
        runId: 'run-1',
        taskId: 't',
        attempt,
        agent: 'llm',
        error: { code: 'BUDGET_EXCEEDED', message: 'over budget' },
        retryable: false,
        willRetry: false,
        usage: {},
        costMicroUsd: 0,
        costEstimated: false,
        latencyMs: 5,
        simulated: true,
      });
    }
    bus.emit('AGENT_INVOKED', invoked('t', 'Write unit tests', { attempt: 3 }));
    expect(selected.map((e) => e.factors?.failures)).toEqual([0, 0, 0]);
  });

  it('never throws into the coordinator: a failing quality estimator is reported on the bus', async () => {
    const { bus, selected, failures } = collect('on', {
      quality: {
        estimate: () => {
          throw new Error('estimator down');
        },
      },
    });
    expect(() => bus.emit('AGENT_INVOKED', invoked('t', 'Write tests'))).not.toThrow();
    await bus.settled();
    expect(selected).toEqual([]);
    expect(failures).toMatchObject([
      { event: 'AGENT_INVOKED', subscriber: 'router', error: { message: 'estimator down' } },
    ]);
  });
});
