import { describe, expect, it } from 'vitest';
import { createAgentRegistry } from '../../src/agents/registry.ts';
import type { AgentHandler } from '../../src/agents/types.ts';
import { createCoordinator } from '../../src/coordinator/index.ts';
import type { CoordinatorOptions } from '../../src/coordinator/options.ts';
import { ConfigError } from '../../src/errors.ts';
import { createEventBus } from '../../src/events/bus.ts';
import { eventSchemas } from '../../src/events/events.ts';
import type { ModelRef } from '../../src/events/vocabulary.ts';
import type { Logger } from '../../src/log.ts';
import { ProviderCallError } from '../../src/providers/call-error.ts';
import type { Provider } from '../../src/providers/types.ts';
import { createVirtualClock, recordEvents, task, template, workflow } from './helpers.ts';

const model: ModelRef = { id: 'mid-2', provider: 'fake', tier: 2 };

function setUp(handlers: Record<string, AgentHandler>, options: Partial<CoordinatorOptions> = {}) {
  const bus = createEventBus();
  const agents = createAgentRegistry({ builtins: false });
  for (const [name, handler] of Object.entries(handlers)) agents.register(name, handler);
  const coordinator = createCoordinator({ bus, agents, clock: createVirtualClock(), ...options });
  return { bus, agents, coordinator, recorder: recordEvents(bus) };
}

const echo: AgentHandler = async (ctx) => ({
  output: { input: ctx.input ?? null, prompt: ctx.prompt ?? null, item: ctx.item ?? null },
});

describe('a run', () => {
  it('returns the run result with one summary per task', async () => {
    const { coordinator } = setUp({ echo });
    const result = await coordinator.run(workflow([task('a', { agent: 'echo', phase: 'scout' })]), {
      runId: 'run-7',
    });
    expect(result).toMatchInlineSnapshot(`
      {
        "cost": {
          "baselineUsd": null,
          "savingsPct": null,
          "totalUsd": 0,
        },
        "durationMs": 0,
        "endedAt": 1700000000000,
        "runId": "run-7",
        "startedAt": 1700000000000,
        "status": "succeeded",
        "tasks": [
          {
            "agent": "echo",
            "attempts": 1,
            "category": null,
            "complexity": null,
            "costUsd": 0,
            "endedAt": 1700000000000,
            "error": undefined,
            "id": "a",
            "inputTokens": null,
            "model": null,
            "output": {
              "input": null,
              "item": null,
              "prompt": null,
            },
            "outputTokens": null,
            "phase": "scout",
            "provider": null,
            "simulated": false,
            "startedAt": 1700000000000,
            "status": "succeeded",
            "tier": null,
          },
        ],
        "workflow": "test-flow",
      }
    `);
  });

  it('gives handlers a ctx with the attempt, its keys, the model and the seed', async () => {
    const { coordinator } = setUp(
      { look: async (ctx) => ({ output: JSON.parse(JSON.stringify(ctx)) }) },
      { defaultModel: model },
    );
    const result = await coordinator.run(
      workflow([task('a', { agent: 'look', input: { k: 1 }, prompt: 'p' })]),
      {
        runId: 'run-9',
        seed: 11,
      },
    );
    expect(result.tasks[0]?.output).toEqual({
      runId: 'run-9',
      workflowId: 'test-flow',
      taskId: 'a',
      attempt: 1,
      idempotencyKey: 'run-9:a',
      input: { k: 1 },
      prompt: 'p',
      model,
      seed: 11,
    });
  });

  it('describes each attempt in AGENT_INVOKED: text capped at 8,000 characters, context size, priority', async () => {
    const { coordinator, recorder } = setUp({ echo }, { defaultModel: model });
    const prompt = 'x'.repeat(9000);
    await coordinator.run(
      workflow([
        task('long', { agent: 'echo', prompt, input: { file: 'a.ts' }, hints: { taskType: 'review' } }),
        task('described', { agent: 'echo', description: 'Summarise the repo' }),
        task('bare', { agent: 'echo', priority: 'high' }),
      ]),
      { priority: 'high' },
    );
    const invoked = recorder.of('AGENT_INVOKED');
    expect(
      invoked.map((event) => [event.taskId, event.text.length, event.contextChars, event.priority]),
    ).toEqual([
      ['long', 8000, 9000 + JSON.stringify({ file: 'a.ts' }).length, 'high'],
      ['described', 'Summarise the repo'.length, 0, 'high'],
      ['bare', 4, 0, 'high'],
    ]);
    expect(invoked[0]).toMatchObject({
      hints: { taskType: 'review' },
      defaultModel: model,
      excludeModels: [],
      deterministic: false,
    });
    expect(invoked[1]?.text).toBe('Summarise the repo');
  });

  it('gives each attempt a child logger bound to the run, task and attempt', async () => {
    const lines: Record<string, unknown>[] = [];
    const logger = (bindings: Record<string, unknown>): Logger => {
      const write = (object: Record<string, unknown> | string, message?: string) =>
        lines.push(
          typeof object === 'string'
            ? { ...bindings, msg: object }
            : { ...bindings, ...object, msg: message },
        );
      return {
        child: (more) => logger({ ...bindings, ...more }),
        trace: write,
        debug: write,
        info: write,
        warn: write,
        error: write,
      };
    };
    const { coordinator } = setUp(
      {
        chatty: async (ctx) => {
          ctx.log.info({ files: 2 }, 'scanned');
          return { output: null };
        },
      },
      { logger: logger({}) },
    );
    await coordinator.run(workflow([task('a', { agent: 'chatty' })]), { runId: 'run-3' });
    expect(lines).toEqual([{ runId: 'run-3', taskId: 'a', attempt: 1, files: 2, msg: 'scanned' }]);
  });

  it('renders input and prompt from inputs and parent outputs', async () => {
    const { coordinator } = setUp({ echo, files: async () => ({ output: ['a.ts', 'b.ts'] }) });
    const result = await coordinator.run(
      workflow(
        [
          task('scout', { agent: 'files' }),
          task('plan', {
            agent: 'echo',
            needs: ['scout'],
            input: { files: template('tasks.scout.output'), goal: template('inputs.goal') },
            prompt: `Goal: ${template('inputs.goal')}; files: ${template('length(tasks.scout.output)')}`,
          }),
        ],
        { inputs: { goal: { type: 'string', required: true, default: undefined, description: undefined } } },
      ),
      { input: { goal: 'add a flag' } },
    );
    expect(result.tasks[1]?.output).toEqual({
      input: { files: ['a.ts', 'b.ts'], goal: 'add a flag' },
      prompt: 'Goal: add a flag; files: 2',
      item: null,
    });
  });

  it('emits only events that match their schemas, and leaves no listeners behind', async () => {
    const bus = createEventBus();
    const before = bus.totalListenerCount();
    const agents = createAgentRegistry({ builtins: false });
    agents.register('flaky', async (ctx) => {
      if (ctx.attempt === 1) throw new Error('first try fails');
      const response = await ctx.llm('hello');
      return { output: response.text, quality: 0.8 };
    });
    const provider: Provider = {
      name: 'fake',
      generate: async () => ({
        text: 'hi',
        usage: { inputTokens: 10, outputTokens: 5 },
        simulated: true,
        finishReason: 'stop',
      }),
    };
    const problems: string[] = [];
    const dispose = bus.onAny((type, event) => {
      const parsed = eventSchemas[type].safeParse(event);
      if (!parsed.success) problems.push(`${type}: ${parsed.error.message}`);
    });
    const coordinator = createCoordinator({
      bus,
      agents,
      defaultModel: model,
      providerFor: () => provider,
      priceUsage: (_, usage) => (usage.inputTokens ?? 0) * 2 + (usage.outputTokens ?? 0) * 10,
      decisions: {
        modelSelection: { await: true, timeoutMs: 5 },
        admission: { await: true, timeoutMs: 5 },
        tierUpgrade: { await: true, timeoutMs: 5 },
      },
    });
    const retry = { retries: 1, initialDelayMs: 0, factor: 1, maxDelayMs: 0 };
    const result = await coordinator.run(
      workflow([
        task('a', { agent: 'flaky', retry }),
        task('b', { agent: 'flaky', needs: ['a'], foreach: template('[1, 2]'), retry }),
      ]),
      { sessionId: 's-1', seed: 3 },
    );
    dispose();
    expect(problems).toEqual([]);
    expect(result.status).toBe('succeeded');
    expect(result.tasks[0]).toMatchObject({
      costUsd: 0.00007,
      inputTokens: 10,
      outputTokens: 5,
      model: 'mid-2',
      tier: 2,
    });
    expect(bus.totalListenerCount()).toBe(before);
  });

  it('completes a workflow without tasks', async () => {
    const { coordinator, recorder } = setUp({ echo });
    const result = await coordinator.run(workflow([]));
    expect(result.status).toBe('succeeded');
    expect(recorder.types()).toEqual(['WORKFLOW_STARTED', 'WORKFLOW_COMPLETED']);
  });

  it('starts ready tasks by priority, then file order', async () => {
    const { coordinator, recorder } = setUp({ echo });
    await coordinator.run(
      workflow(
        [
          task('low', { agent: 'echo', priority: 'low' }),
          task('normal-1', { agent: 'echo' }),
          task('critical', { agent: 'echo', priority: 'critical' }),
          task('normal-2', { agent: 'echo' }),
          task('high', { agent: 'echo', priority: 'high' }),
          task('first', { agent: 'echo', priority: 'low', needs: [] }),
        ].map((t, index) => (index === 5 ? t : { ...t, needs: ['first'] })),
        { concurrency: { max: 1, phases: {}, groups: {} } },
      ),
    );
    expect(recorder.of('AGENT_INVOKED').map((event) => event.taskId)).toEqual([
      'first',
      'critical',
      'high',
      'normal-1',
      'normal-2',
      'low',
    ]);
  });

  it('reports a throwing or rejecting subscriber and goes on', async () => {
    const { bus, coordinator } = setUp({ echo });
    bus.on('AGENT_INVOKED', () => {
      throw new Error('subscriber bug');
    });
    bus.onAny(async (type) => {
      if (type === 'TASK_SETTLED') throw new Error('async subscriber bug');
    });
    const failures: string[] = [];
    bus.on('SUBSCRIBER_FAILED', (event) => {
      failures.push(`${event.event}: ${event.error.message}`);
    });
    const result = await coordinator.run(
      workflow([task('a', { agent: 'echo' }), task('b', { agent: 'echo', needs: ['a'] })]),
    );
    await bus.settled();
    expect(result.status).toBe('succeeded');
    expect(failures).toEqual([
      'AGENT_INVOKED: subscriber bug',
      'AGENT_INVOKED: subscriber bug',
      'TASK_SETTLED: async subscriber bug',
      'TASK_SETTLED: async subscriber bug',
    ]);
  });
});

describe('handler results', () => {
  it.each<[string, AgentHandler, string]>([
    [
      'a Date output',
      async () => ({ output: new Date(0) as never }),
      'Agent "bad" returned an output that is not JSON (a Date) for task "a".',
    ],
    [
      'an undefined output',
      async () => ({ output: undefined as never }),
      'Agent "bad" returned an output that is not JSON (undefined) for task "a".',
    ],
    [
      'nothing',
      async () => undefined as never,
      'Agent "bad" returned nothing instead of an object with an "output" field for task "a".',
    ],
    [
      'a quality above 1',
      async () => ({ output: 'x', quality: 3 }),
      'Agent "bad" returned quality 3; expected a number from 0 to 1 for task "a".',
    ],
    [
      'a NaN nested in the output',
      async () => ({ output: { score: Number.NaN } }),
      'Agent "bad" returned an output that is not JSON (a value holding something that is not JSON (undefined, NaN, a function, a class instance or a cycle)) for task "a".',
    ],
  ])('rejects %s with AGENT_OUTPUT_INVALID', async (_, handler, message) => {
    const { coordinator, recorder } = setUp({ bad: handler });
    const result = await coordinator.run(workflow([task('a', { agent: 'bad' })]));
    expect(result.tasks[0]?.error).toEqual({
      code: 'AGENT_OUTPUT_INVALID',
      message,
      hint: expect.stringContaining('{ output, quality?, usage? }'),
    });
    expect(recorder.of('AGENT_FAILED')[0]?.retryable).toBe(false);
  });

  it('turns whatever a handler throws into AGENT_FAILED', async () => {
    const { coordinator, recorder } = setUp({
      throwsString: async () => {
        throw 'plain string';
      },
      throwsSync: (() => {
        throw new TypeError('sync throw');
      }) as unknown as AgentHandler,
    });
    const result = await coordinator.run(
      workflow([task('a', { agent: 'throwsString' }), task('b', { agent: 'throwsSync' })]),
    );
    expect(result.tasks.map((t) => t.error?.message)).toEqual([
      'Task "a" used up its only attempt (retries: 0); last error AGENT_ERROR: plain string',
      'Task "b" used up its only attempt (retries: 0); last error AGENT_ERROR: sync throw',
    ]);
    expect(
      Object.fromEntries(recorder.of('AGENT_FAILED').map((event) => [event.taskId, event.error])),
    ).toEqual({
      a: { code: 'AGENT_ERROR', message: 'plain string' },
      b: { code: 'AGENT_ERROR', message: 'sync throw' },
    });
  });
});

describe('foreach', () => {
  it('runs the task once per item, within maxParallel, and outputs the array of item outputs', async () => {
    let running = 0;
    let peak = 0;
    const clock = createVirtualClock();
    const { coordinator, recorder } = setUp(
      {
        list: async () => ({ output: ['x', 'y', 'z', 'w'] }),
        review: async (ctx) => {
          running++;
          peak = Math.max(peak, running);
          await clock.sleep(10);
          running--;
          return { output: `reviewed ${String(ctx.item)} (${ctx.taskId})` };
        },
      },
      { clock },
    );
    const result = await coordinator.run(
      workflow([
        task('list', { agent: 'list' }),
        task('review', {
          agent: 'review',
          needs: ['list'],
          foreach: template('tasks.list.output'),
          maxParallel: 2,
          input: { file: template('file') },
          as: 'file',
        }),
      ]),
    );
    expect(peak).toBe(2);
    expect(result.tasks[1]).toMatchObject({
      status: 'succeeded',
      attempts: 4,
      output: [
        'reviewed x (review[0])',
        'reviewed y (review[1])',
        'reviewed z (review[2])',
        'reviewed w (review[3])',
      ],
    });
    expect(recorder.of('TASK_SETTLED').map((event) => event.taskId)).toEqual([
      'list',
      'review[0]',
      'review[1]',
      'review[2]',
      'review[3]',
      'review',
    ]);
  });

  it('skips a task with no items and fails one whose foreach is not a list', async () => {
    const { coordinator, recorder } = setUp({ echo });
    const result = await coordinator.run(
      workflow([
        task('none', { agent: 'echo', foreach: template('[]') }),
        task('text', { agent: 'echo', foreach: template("'abc'") }),
      ]),
    );
    expect(result.tasks.map((t) => t.status)).toEqual(['skipped', 'failed']);
    expect(recorder.of('TASK_SKIPPED')[0]?.cause).toBe('no_items');
    expect(result.tasks[1]?.error).toMatchInlineSnapshot(`
      {
        "code": "FOREACH_NOT_ARRAY",
        "hint": "Point foreach at a list, such as the output of a task that returns an array.",
        "message": "Task "text" foreach \${{ 'abc' }} gave the string "abc"; expected an array.",
      }
    `);
  });

  it('fails the task when an item fails, naming the item', async () => {
    const { coordinator } = setUp({
      picky: async (ctx) => {
        if (ctx.item === 2) throw new Error('cannot do 2');
        return { output: ctx.item ?? null };
      },
    });
    const result = await coordinator.run(
      workflow([task('each', { agent: 'picky', foreach: template('[1, 2, 3]') })]),
    );
    expect(result.tasks[0]?.error?.message).toBe(
      'Item 1 of 3 ("each[1]") failed: Task "each[1]" used up its only attempt (retries: 0); last error AGENT_ERROR: cannot do 2',
    );
  });
});

describe('maxAttempts in AGENT_INVOKED', () => {
  it('is lowered by the provider-level retries of earlier attempts, reaching the attempt that will not be retried', async () => {
    let calls = 0;
    const provider: Provider = {
      name: 'flaky',
      generate: async () => {
        calls++;
        // The first call retried once inside the provider; later calls fail once each.
        throw new ProviderCallError('PROVIDER_RATE_LIMITED', 'Rate limited by fake (429).', {
          retryable: true,
          attempts: calls === 1 ? 2 : 1,
        });
      },
    };
    const { coordinator, recorder } = setUp(
      { asks: async (ctx) => ({ output: (await ctx.llm('hello')).text }) },
      { defaultModel: model, providerFor: () => provider },
    );
    const retry = { retries: 3, initialDelayMs: 0, factor: 1, maxDelayMs: 0 };
    await coordinator.run(workflow([task('a', { agent: 'asks', retry })]));
    const invoked = recorder
      .of('AGENT_INVOKED')
      .map(({ attempt, maxAttempts }) => ({ attempt, maxAttempts }));
    expect(invoked).toEqual([
      { attempt: 1, maxAttempts: 4 },
      { attempt: 2, maxAttempts: 3 },
      { attempt: 3, maxAttempts: 3 },
    ]);
    expect(recorder.of('AGENT_FAILED').map((event) => event.willRetry)).toEqual([true, true, false]);
  });
});

describe('checks before anything runs', () => {
  it('rejects a workflow it cannot run with every problem, emitting nothing', async () => {
    const { coordinator, recorder } = setUp({ echo });
    const bad = workflow([
      task('plan', { agent: 'ehco', needs: ['build'] }),
      task('build', { agent: 'echo', needs: ['plan', 'scuot'], group: 'gpu' }),
      task('scout', { agent: 'echo', model: 'gpt-9' }),
    ]);
    const error = await coordinator.run(bad).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ConfigError);
    expect(
      (error as ConfigError).diagnostics.map(({ code, path, message, hint }) => ({
        code,
        path,
        message,
        hint,
      })),
    ).toMatchInlineSnapshot(`
      [
        {
          "code": "WORKFLOW_UNKNOWN_DEPENDENCY",
          "hint": "did you mean "scout"?",
          "message": "Task "build" needs "scuot", which is not defined.",
          "path": "tasks.build.needs[1]",
        },
        {
          "code": "WORKFLOW_UNKNOWN_GROUP",
          "hint": undefined,
          "message": "Task "build" is in group "gpu", which concurrency.groups does not declare.",
          "path": "tasks.build.group",
        },
        {
          "code": "WORKFLOW_CYCLE",
          "hint": "Remove one of these \`needs\`.",
          "message": "Tasks depend on each other in a loop: plan -> build -> plan.",
          "path": "tasks.plan.needs",
        },
        {
          "code": "WORKFLOW_UNKNOWN_AGENT",
          "hint": "did you mean "echo"?",
          "message": "Task "plan" uses agent "ehco", which is not registered. Known: "echo".",
          "path": "tasks.plan.agent",
        },
        {
          "code": "MODEL_UNKNOWN",
          "hint": undefined,
          "message": "Task "scout" pins model "gpt-9", which the model catalog does not know.",
          "path": "tasks.scout.model",
        },
      ]
    `);
    expect(recorder.events).toHaveLength(0);
  });

  it('refuses a hints.taskType that is not text when task types are known, with a hint', async () => {
    const { coordinator, recorder } = setUp({ echo }, { taskTypes: ['coding', 'qa'] });
    const error = await coordinator
      .run(workflow([task('a', { agent: 'echo', hints: { taskType: 3 } })]))
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ConfigError);
    expect(
      (error as ConfigError).diagnostics.map(({ code, path, message, hint }) => ({
        code,
        path,
        message,
        hint,
      })),
    ).toMatchInlineSnapshot(`
      [
        {
          "code": "CONFIG_INVALID",
          "hint": "Write one id, e.g. taskType: "coding", or remove it to classify the task from its text.",
          "message": "Task "a" has hints.taskType 3; expected the id of a task type.",
          "path": "tasks.a.hints.taskType",
        },
      ]
    `);
    expect(recorder.events).toHaveLength(0);
  });

  it('checks the run input against the declared inputs', async () => {
    const { coordinator } = setUp({ echo });
    const inputs = {
      goal: { type: 'string' as const, required: true, default: undefined, description: undefined },
      depth: { type: 'number' as const, required: false, default: 2, description: undefined },
    };
    const error = await coordinator
      .run(workflow([task('a', { agent: 'echo' })], { inputs }), { input: { depth: 'deep', gaol: 'x' } })
      .catch((caught: unknown) => caught);
    expect(
      (error as ConfigError).diagnostics.map(({ path, message }) => `${path}: ${message}`),
    ).toMatchInlineSnapshot(`
      [
        "inputs.gaol: Input "gaol" is not declared by workflow "test-flow"; it declares "goal", "depth".",
        "inputs.goal: Workflow "test-flow" needs input "goal" (string).",
        "inputs.depth: Input "depth" must be a number.",
      ]
    `);
    const result = await coordinator.run(
      workflow([task('a', { agent: 'echo', input: template('inputs.depth') })], { inputs }),
      {
        input: { goal: 'g', depth: '5' },
      },
    );
    expect(result.tasks[0]?.output).toMatchObject({ input: 5 });
  });
});

describe('cost', () => {
  it('fills baselineUsd and savingsPct through the baselineCost hook', async () => {
    const provider: Provider = {
      name: 'fake',
      generate: async () => ({
        text: 'ok',
        usage: { inputTokens: 1000, outputTokens: 100 },
        simulated: true,
        finishReason: 'stop',
      }),
    };
    const { coordinator } = setUp(
      { ask: async (ctx) => ({ output: (await ctx.llm({ prompt: 'q' })).text }) },
      {
        defaultModel: model,
        providerFor: () => provider,
        priceUsage: () => 250,
        baselineCost: () => 1000,
      },
    );
    const result = await coordinator.run(
      workflow([task('a', { agent: 'ask' }), task('b', { agent: 'ask' })]),
    );
    expect(result.cost).toEqual({ totalUsd: 0.0005, baselineUsd: 0.002, savingsPct: 75 });
  });

  it('books a call cut off part-way as estimated, at its reservation when that is more than the partial usage, never free', async () => {
    const provider: Provider = {
      name: 'cut-off',
      generate: async () => {
        throw new ProviderCallError('PROVIDER_ABORTED', 'The stream was cut off.', {
          retryable: false,
          usage: { inputTokens: 1000 },
          usagePartial: true,
        });
      },
    };
    const { bus, coordinator, recorder } = setUp(
      { ask: async (ctx) => ({ output: (await ctx.llm({ prompt: 'q' })).text }) },
      {
        defaultModel: model,
        providerFor: () => provider,
        priceUsage: () => 250,
        decisions: { admission: { await: true, timeoutMs: 1000 } },
      },
    );
    bus.on('ADMISSION_REQUESTED', (event) =>
      bus.emit('ADMISSION_DECIDED', {
        runId: event.runId,
        taskId: event.taskId,
        attempt: event.attempt,
        decision: 'allowed',
        reservedMicroUsd: 900,
        reason: 'test',
      }),
    );
    await coordinator.run(workflow([task('a', { agent: 'ask' })]));
    expect(recorder.of('AGENT_FAILED')[0]).toMatchObject({
      usage: { inputTokens: 1000 },
      costEstimated: true,
      costMicroUsd: 900,
    });
  });

  it('marks the cost estimated when a price is unknown', async () => {
    const { coordinator, recorder } = setUp(
      { reports: async () => ({ output: 'x', usage: { inputTokens: 7 } }) },
      { defaultModel: model, priceUsage: () => undefined },
    );
    await coordinator.run(workflow([task('a', { agent: 'reports' })]));
    expect(recorder.of('AGENT_COMPLETED')[0]).toMatchObject({
      usage: { inputTokens: 7 },
      costEstimated: true,
      costMicroUsd: 0,
    });
  });
});

describe('pricing callbacks that throw', () => {
  it('still end every AGENT_INVOKED in one outcome, with the cost marked estimated', async () => {
    const provider: Provider = {
      name: 'fake',
      generate: async () => ({
        text: 'ok',
        usage: { inputTokens: 10, outputTokens: 5 },
        simulated: true,
        finishReason: 'stop',
      }),
    };
    const { coordinator, recorder } = setUp(
      { ask: async (ctx) => ({ output: (await ctx.llm({ prompt: 'q' })).text }) },
      {
        defaultModel: model,
        providerFor: () => provider,
        priceUsage: () => {
          throw new Error('price table broke');
        },
        baselineCost: () => {
          throw new Error('baseline broke');
        },
      },
    );
    const result = await coordinator.run(workflow([task('a', { agent: 'ask' })]));
    expect(result.tasks[0]?.status).toBe('succeeded');
    expect(recorder.of('AGENT_INVOKED')).toHaveLength(1);
    expect(recorder.of('AGENT_COMPLETED')).toEqual([expect.objectContaining({ costEstimated: true })]);
  });
});

describe('redact', () => {
  it('applies to every error message the coordinator reports', async () => {
    const { coordinator, recorder } = setUp(
      {
        leaky: async () => {
          throw new Error('GET https://api.example.com/v1?key=sk-canary-42 failed');
        },
      },
      { redact: (text) => text.replaceAll('sk-canary-42', '[REDACTED]') },
    );
    const result = await coordinator.run(workflow([task('a', { agent: 'leaky' })]));
    const reported = JSON.stringify([recorder.of('AGENT_FAILED'), recorder.of('TASK_FAILED'), result]);
    expect(reported).not.toContain('sk-canary-42');
    expect(recorder.of('AGENT_FAILED')[0]?.error.message).toBe(
      'GET https://api.example.com/v1?key=[REDACTED] failed',
    );
  });
});
