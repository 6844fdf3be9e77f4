import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createEventBus, type EventPayload } from '../../src/events/index.ts';
import { createLearner, subscribeLearner } from '../../src/learning/index.ts';

type Step = {
  fails: boolean;
  code: 'VALIDATION_FAILED' | 'PROVIDER_UNAVAILABLE';
  routed: boolean;
  repeat: boolean;
};
const step = fc.record({
  fails: fc.boolean(),
  code: fc.constantFrom('VALIDATION_FAILED' as const, 'PROVIDER_UNAVAILABLE' as const),
  routed: fc.boolean(),
  repeat: fc.boolean(),
});

const model = { id: 'small', provider: 'p', tier: 1 as const };

/** Plays a run as the coordinator would: attempts until one completes or the attempt budget is spent. */
function play(bus: ReturnType<typeof createEventBus>, tasks: Step[][], maxAttempts: number): number {
  let invoked = 0;
  tasks.forEach((steps, index) => {
    const taskId = `t${index}`;
    for (let attempt = 1; attempt <= Math.min(maxAttempts, steps.length); attempt += 1) {
      const current = steps[attempt - 1] as Step;
      const key = { runId: 'r', taskId, attempt };
      bus.emit('AGENT_INVOKED', {
        ...key,
        workflowId: 'wf',
        agent: 'llm',
        priority: 'normal',
        text: `task ${index}`,
        contextChars: 6,
        hints: {},
        excludeModels: [],
      });
      invoked += 1;
      if (current.routed) {
        bus.emit('MODEL_SELECTED', {
          ...key,
          model: 'small',
          provider: 'p',
          tier: 1,
          category: 'FAST',
          complexity: 2,
          taskType: 'coding',
          estimatedCostMicroUsd: 5,
          reason: 'test',
          enforced: true,
        });
      }
      const common = {
        ...key,
        agent: 'llm',
        model,
        usage: {},
        costMicroUsd: 5,
        costEstimated: false,
        latencyMs: 1,
        simulated: true,
      };
      const last = attempt === Math.min(maxAttempts, steps.length);
      const emit = () =>
        current.fails
          ? bus.emit('AGENT_FAILED', {
              ...common,
              error: { code: current.code, message: 'failed' },
              retryable: true,
              willRetry: !last,
            })
          : bus.emit('AGENT_COMPLETED', common);
      emit();
      if (current.repeat) emit();
      if (!current.fails) break;
    }
  });
  return invoked;
}

describe('subscribeLearner', () => {
  it('records exactly one outcome per invocation over random runs with failures and retries', () => {
    fc.assert(
      fc.property(
        fc.array(fc.array(step, { minLength: 1, maxLength: 5 }), { maxLength: 12 }),
        fc.integer({ min: 1, max: 4 }),
        (tasks, maxAttempts) => {
          const bus = createEventBus();
          const learner = createLearner({ priorOf: () => 0.6 });
          const subscription = subscribeLearner(bus, learner);
          const recorded: EventPayload<'OUTCOME_RECORDED'>[] = [];
          bus.on('OUTCOME_RECORDED', (event) => void recorded.push(event));
          const invoked = play(bus, tasks, maxAttempts);
          const keys = learner.store.all().map((record) => `${record.taskId}/${record.attempt}`);
          expect(keys).toHaveLength(invoked);
          expect(new Set(keys).size).toBe(invoked);
          expect(recorded).toHaveLength(invoked);
          subscription.dispose();
          expect(bus.totalListenerCount()).toBe(1);
        },
      ),
      { numRuns: 150 },
    );
  });

  it('records task type, category, model, tier, cost and features of each attempt', () => {
    const bus = createEventBus();
    const learner = createLearner({ priorOf: () => 0.6 });
    subscribeLearner(bus, learner, { clock: { now: () => 42, sleep: async () => {} } });
    play(
      bus,
      [
        [
          { fails: true, code: 'VALIDATION_FAILED', routed: true, repeat: false },
          { fails: false, code: 'VALIDATION_FAILED', routed: false, repeat: false },
        ],
      ],
      3,
    );
    expect(learner.store.all()).toMatchObject([
      {
        taskId: 't0',
        attempt: 1,
        taskType: 'coding',
        category: 'FAST',
        complexity: 2,
        model: 'small',
        tier: 1,
        success: false,
        errorCode: 'VALIDATION_FAILED',
        costMicroUsd: 5,
        words: 2,
        contextChars: 6,
        recordedAt: 42,
      },
      { taskId: 't0', attempt: 2, taskType: 'agent:llm', category: undefined, success: true },
    ]);
  });

  it('reports late feedback and estimate shifts on the bus', () => {
    const bus = createEventBus();
    const learner = createLearner({ priorOf: () => 0.6, neighbours: false });
    const subscription = subscribeLearner(bus, learner);
    const events: string[] = [];
    bus.onAny((type, event) => {
      if (type === 'OUTCOME_RECORDED' || type === 'ROUTING_POLICY_UPDATED')
        events.push(`${type} ${JSON.stringify(event)}`);
    });
    play(bus, [[{ fails: false, code: 'VALIDATION_FAILED', routed: true, repeat: false }]], 1);
    subscription.feedback('r', 't0', { quality: 0 });
    expect(events).toMatchInlineSnapshot(`
      [
        "OUTCOME_RECORDED {"runId":"r","taskId":"t0","attempt":1,"model":"small","taskType":"coding","success":true,"source":"run","category":"FAST","tier":1,"latencyMs":1,"costMicroUsd":5}",
        "ROUTING_POLICY_UPDATED {"runId":"r","taskType":"coding","model":"small","from":0.6,"to":0.48,"observations":1}",
        "OUTCOME_RECORDED {"runId":"r","taskId":"t0","attempt":1,"model":"small","taskType":"coding","success":false,"quality":0,"source":"feedback","category":"FAST","tier":1,"latencyMs":1,"costMicroUsd":5}",
      ]
    `);
  });
});
