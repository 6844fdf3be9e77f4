import { describe, expect, it } from 'vitest';
import { createAgentRegistry } from '../../src/agents/registry.ts';
import type { AgentHandler } from '../../src/agents/types.ts';
import { createCoordinator } from '../../src/coordinator/index.ts';
import type { CoordinatorOptions } from '../../src/coordinator/options.ts';
import type { ConfigError } from '../../src/errors.ts';
import { createEventBus } from '../../src/events/bus.ts';
import type { ModelRef } from '../../src/events/vocabulary.ts';
import { ProviderCallError } from '../../src/providers/call-error.ts';
import type { TaskDefinition, Workflow } from '../../src/workflow/model.ts';
import { createVirtualClock, task, template, workflow } from './helpers.ts';

const model: ModelRef = { id: 'mid-2', provider: 'fake', tier: 2 };

async function failureOf(
  definition: Partial<TaskDefinition>,
  handler: AgentHandler,
  options: Partial<CoordinatorOptions> = {},
) {
  const bus = createEventBus();
  const agents = createAgentRegistry({ builtins: false });
  agents.register('agent', handler);
  const coordinator = createCoordinator({ bus, agents, clock: createVirtualClock(), ...options });
  const result = await coordinator.run(workflow([task('t', { agent: 'agent', ...definition })]));
  return result.tasks[0]?.error;
}

const asks: AgentHandler = async (ctx) => ({ output: (await ctx.llm('hello')).text });

describe('messages of failed tasks', () => {
  it('says when a template renderer fails with a plain error, and when an input is not JSON', async () => {
    const echo: AgentHandler = async () => ({ output: null });
    const broken = await failureOf({ prompt: template('1') }, echo, {
      renderTemplate: () => {
        throw new Error('renderer exploded');
      },
    });
    expect(broken?.message).toBe('Task "t" could not render its prompt: renderer exploded');
    const notJson = await failureOf({ input: { a: template('1') } }, echo, { renderTemplate: () => () => 1 });
    expect(notJson?.message).toBe('Task "t" input rendered to a function, which is not JSON.');
  });

  it('says when the executor finds no agent of that name', async () => {
    const { createInProcessExecutor } = await import('../../src/coordinator/executor.ts');
    const executor = createInProcessExecutor({ get: () => undefined });
    const outcome = await executor.runHere?.('ghost', {} as never);
    expect(outcome).toMatchObject({
      ok: false,
      error: { code: 'AGENT_UNKNOWN', message: 'No agent named "ghost" is registered.' },
    });
  });

  it('says when a handler calls a model but none was chosen', async () => {
    expect(await failureOf({}, asks)).toMatchInlineSnapshot(`
      {
        "code": "ROUTING_NO_MODEL",
        "hint": "Configure a default model, or give agent "agent" a defaultModel; deterministic agents cannot call models.",
        "message": "Task "t" called ctx.llm, but no model was chosen for it.",
      }
    `);
  });

  it('says when no provider serves the chosen model', async () => {
    expect(await failureOf({}, asks, { defaultModel: model })).toMatchInlineSnapshot(`
      {
        "code": "PROVIDER_NOT_CONFIGURED",
        "message": "No provider is configured for model "mid-2" (fake).",
      }
    `);
  });

  it('names the task and the field whose template failed', async () => {
    const error = await failureOf({ prompt: `Files: ${template('length(1)')}` }, asks);
    expect(error).toMatchInlineSnapshot(`
      {
        "code": "EXPRESSION_FAILED",
        "message": "Task "t" prompt: expression "length(1)" failed: length() expects text, a list or a mapping, got number 1",
      }
    `);
  });

  it('counts provider-level retries against the attempt budget', async () => {
    const provider = {
      name: 'flaky',
      generate: async () => {
        throw new ProviderCallError('PROVIDER_RATE_LIMITED', 'Rate limited by fake (429).', {
          retryable: true,
          attempts: 3,
        });
      },
    };
    const retry = { retries: 3, initialDelayMs: 0, factor: 1, maxDelayMs: 0 };
    const error = await failureOf({ retry }, asks, { defaultModel: model, providerFor: () => provider });
    expect(error?.message).toMatchInlineSnapshot(
      `"Task "t" used up its attempt budget of 4 (retries: 3) after 2 attempts and 4 provider-level retries; last error PROVIDER_RATE_LIMITED: Rate limited by fake (429)."`,
    );
  });

  it('refuses usage that is not token counts', async () => {
    const error = await failureOf({}, async () => ({ output: 'x', usage: { tokens: 5 } as never }));
    expect(error?.message).toMatchInlineSnapshot(
      `"Agent "agent" returned usage {"tokens":5}; expected { inputTokens?, outputTokens?, cachedInputTokens?, reasoningTokens? } as whole numbers >= 0 for task "t"."`,
    );
  });
});

describe('messages of workflows that cannot run', () => {
  it('names duplicate ids, bad limits and an unknown agent default model', async () => {
    const bus = createEventBus();
    const agents = createAgentRegistry({ builtins: false });
    agents.register('agent', asks, { defaultModel: 'gpt-nope' });
    const coordinator = createCoordinator({ bus, agents, resolveModel: () => undefined });
    const bad: Workflow = workflow(
      [task('t', { agent: 'agent', maxParallel: 0, foreach: '[1]' }), task('t', { agent: 'agent' })],
      {
        concurrency: { max: 0, phases: { build: 1.5 }, groups: {} },
      },
    );
    const error = (await coordinator.run(bad).catch((caught: unknown) => caught)) as ConfigError;
    expect(
      error.diagnostics.map(({ code, path, message }) => `${code} at ${path}: ${message}`),
    ).toMatchInlineSnapshot(`
      [
        "WORKFLOW_DUPLICATE_ID at tasks.t: Task id "t" is used twice.",
        "CONFIG_INVALID at concurrency.max: concurrency.max is 0; expected a whole number >= 1.",
        "CONFIG_INVALID at concurrency.phases.build: concurrency.phases.build is 1.5; expected a whole number >= 1.",
        "CONFIG_INVALID at tasks.t.maxParallel: maxParallel of task "t" is 0; expected a whole number >= 1.",
        "MODEL_UNKNOWN at tasks.t.agent: Agent "agent" names default model "gpt-nope", which the model catalog does not know.",
        "MODEL_UNKNOWN at tasks.t.agent: Agent "agent" names default model "gpt-nope", which the model catalog does not know.",
      ]
    `);
    expect(error.message).toMatchInlineSnapshot(`"input: 6 problems; first: Task id "t" is used twice."`);
  });
});

describe('a tier window no model can meet', () => {
  it('stops a model-calling task limited to tier 0 before anything runs', async () => {
    const bus = createEventBus();
    const agents = createAgentRegistry({ builtins: false });
    agents.register('agent', asks);
    const coordinator = createCoordinator({ bus, agents });
    const error = (await coordinator
      .run(workflow([task('t', { agent: 'agent', tier: { min: 0, max: 0, start: undefined } })]))
      .catch((caught: unknown) => caught)) as ConfigError;
    expect(
      error.diagnostics.map((diagnostic) => [diagnostic.path, diagnostic.message, diagnostic.hint]),
    ).toEqual([
      [
        'tasks.t.tier',
        'Task "t" is limited to tier 0 (no model), but agent "agent" calls a model.',
        'Allow tier 1 or more, or register the agent as deterministic.',
      ],
    ]);
  });
});
