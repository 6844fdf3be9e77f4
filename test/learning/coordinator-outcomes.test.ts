import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createAgentRegistry } from '../../src/agents/registry.ts';
import { createCoordinator } from '../../src/coordinator/index.ts';
import { createEventBus } from '../../src/events/index.ts';
import { createLearner, subscribeLearner } from '../../src/learning/index.ts';
import { createVirtualClock, task, workflow } from '../coordinator/helpers.ts';

const taskSpec = fc.record({
  failures: fc.array(fc.boolean(), { minLength: 3, maxLength: 3 }),
  retries: fc.integer({ min: 0, max: 2 }),
  afterPrevious: fc.boolean(),
  continueOnError: fc.boolean(),
});

describe('the learner behind the real coordinator', () => {
  it('records exactly one outcome per AGENT_INVOKED over random runs with failures and retries', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(taskSpec, { minLength: 1, maxLength: 6 }), async (specs) => {
        const bus = createEventBus();
        const agents = createAgentRegistry({ builtins: false });
        agents.register('flaky', async (ctx) => {
          const spec = specs[Number(ctx.taskId.slice(1))];
          if (spec?.failures[ctx.attempt - 1] === true) throw new Error(`attempt ${ctx.attempt} fails`);
          return { output: ctx.attempt };
        });
        const coordinator = createCoordinator({
          bus,
          agents,
          clock: createVirtualClock(),
          defaultModel: { id: 'small', provider: 'fake', tier: 1 },
        });
        const learner = createLearner({ priorOf: () => 0.6 });
        const subscription = subscribeLearner(bus, learner);
        const invoked: string[] = [];
        bus.on('AGENT_INVOKED', (event) => void invoked.push(`${event.taskId}/${event.attempt}`));
        const tasks = specs.map((spec, index) =>
          task(`t${index}`, {
            agent: 'flaky',
            needs: spec.afterPrevious && index > 0 ? [`t${index - 1}`] : [],
            retry: { retries: spec.retries, initialDelayMs: 0, factor: 1, maxDelayMs: 0 },
            continueOnError: spec.continueOnError,
          }),
        );
        await coordinator.run(workflow(tasks), { runId: 'run' });
        await bus.settled();
        const recorded = learner.store.all().map((record) => `${record.taskId}/${record.attempt}`);
        expect(invoked.length).toBeGreaterThan(0);
        expect(recorded.sort()).toEqual([...invoked].sort());
        subscription.dispose();
      }),
      { numRuns: 60 },
    );
  });
});
