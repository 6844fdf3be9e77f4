import { describe, expect, it } from 'vitest';
import { createAgentRegistry } from '../../src/agents/registry.ts';
import type { AgentHandler } from '../../src/agents/types.ts';
import { createCoordinator } from '../../src/coordinator/index.ts';
import { createEventBus } from '../../src/events/bus.ts';
import type { ModelRef } from '../../src/events/vocabulary.ts';
import type { Provider } from '../../src/providers/types.ts';
import { createVirtualClock, recordEvents, task, workflow } from './helpers.ts';

const model: ModelRef = { id: 'small', provider: 'fake', tier: 1 };
const provider: Provider = {
  name: 'fake',
  generate: async () => ({
    text: 'ok',
    usage: { inputTokens: 60, outputTokens: 40 },
    simulated: true,
    finishReason: 'stop',
  }),
};

function setUp(handler: AgentHandler) {
  const bus = createEventBus();
  const agents = createAgentRegistry({ builtins: false });
  agents.register('ask', handler);
  const coordinator = createCoordinator({
    bus,
    agents,
    clock: createVirtualClock(),
    defaultModel: model,
    providerFor: () => provider,
    priceUsage: () => 250,
  });
  return { coordinator, recorder: recordEvents(bus) };
}

const threeCalls: AgentHandler = async (ctx) => {
  for (let call = 0; call < 3; call++) await ctx.llm('q');
  return { output: 'done' };
};

describe('task budget', () => {
  it('refuses the model call that would pass maxUsd, naming the budget and what was spent', async () => {
    const { coordinator, recorder } = setUp(threeCalls);
    const result = await coordinator.run(
      workflow([task('t', { agent: 'ask', budget: { maxMicroUsd: 500, maxTokens: undefined } })]),
    );
    expect(result.tasks[0]?.status).toBe('failed');
    expect(recorder.of('AGENT_FAILED')[0]?.error).toMatchInlineSnapshot(`
      {
        "code": "BUDGET_EXCEEDED",
        "hint": "Raise \`budget.maxUsd\` of the task, or lower its tier.",
        "message": "Task "t" would pass its budget of $0.0005: it has spent $0.0005.",
      }
    `);
    expect(recorder.of('AGENT_FAILED')[0]).toMatchObject({
      costMicroUsd: 500,
      retryable: false,
      willRetry: false,
    });
  });

  it('counts every attempt: a retry that would pass the budget is refused, not run', async () => {
    let calls = 0;
    const { coordinator, recorder } = setUp(async (ctx) => {
      calls++;
      await ctx.llm('q');
      throw new Error('wrong answer');
    });
    const retry = { retries: 5, initialDelayMs: 0, factor: 1, maxDelayMs: 0 };
    await coordinator.run(
      workflow([task('t', { agent: 'ask', retry, budget: { maxMicroUsd: 500, maxTokens: undefined } })]),
    );
    expect(calls).toBe(2);
    expect(recorder.of('AGENT_FAILED').map((event) => event.error.code)).toEqual([
      'AGENT_ERROR',
      'AGENT_ERROR',
      'BUDGET_EXCEEDED',
    ]);
  });

  it('stops model calls once maxTokens is used', async () => {
    const { coordinator, recorder } = setUp(threeCalls);
    await coordinator.run(
      workflow([task('t', { agent: 'ask', budget: { maxMicroUsd: undefined, maxTokens: 200 } })]),
    );
    expect(recorder.of('AGENT_FAILED')[0]?.error.message).toBe(
      'Task "t" has used 200 tokens, its budget of 200; no further model call is made.',
    );
  });

  it('lets a task within its budget run as usual', async () => {
    const { coordinator } = setUp(threeCalls);
    const result = await coordinator.run(
      workflow([task('t', { agent: 'ask', budget: { maxMicroUsd: 10_000, maxTokens: 10_000 } })]),
    );
    expect(result.tasks[0]).toMatchObject({ status: 'succeeded', costUsd: 0.00075 });
  });
});
