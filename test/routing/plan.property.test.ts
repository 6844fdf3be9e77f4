// Whatever a planner answers and whatever the task has tried, the router's answer stays within bounds:
// no excluded or unusable model runs or checks, peers check a consensus only, at most validator.peers of
// them and never the model they check, and the estimate covers the peers.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createEventBus, type EventPayload, eventSchemas } from '../../src/events/index.ts';
import type { TaskPlan } from '../../src/routing/plan.ts';
import { subscribeRouter } from '../../src/routing/subscriber.ts';
import { invoked, shippedConfig, testCatalog } from './fixtures.ts';

const shipped = shippedConfig();
const ids = ['a1', 'a2', 'b1', 'b2', 'c1', 'd1'];
const catalog = testCatalog([
  { id: 'a1', tier: 1, input: 0.1, output: 0.4, quality: 0.7, latencyMs: 400 },
  { id: 'a2', tier: 1, input: 0.15, output: 0.6, quality: 0.72, latencyMs: 400 },
  { id: 'b1', tier: 2, input: 1, output: 4, quality: 0.8, latencyMs: 900 },
  { id: 'b2', tier: 2, input: 1.2, output: 5, quality: 0.82, latencyMs: 900 },
  { id: 'c1', tier: 3, input: 3, output: 12, quality: 0.88, latencyMs: 2000 },
  { id: 'd1', tier: 4, input: 10, output: 40, quality: 0.92, latencyMs: 3000 },
]);

const modelId = fc.constantFrom(...ids, 'nope');
const planArbitrary = fc.option(
  fc.record({
    pinned: fc.array(modelId, { maxLength: 4 }),
    peers: fc.array(modelId, { maxLength: 4 }),
    escalateTier: fc.option(fc.constantFrom(1, 2, 3, 4) as fc.Arbitrary<1 | 2 | 3 | 4>, { nil: undefined }),
    escalateModel: fc.option(modelId, { nil: undefined }),
    summary: fc.constant('random plan'),
  }),
  { nil: undefined },
);

describe('the router following any plan', () => {
  it('never runs or asks an excluded or unusable model, and names peers only as a consensus allows', async () => {
    await fc.assert(
      fc.asyncProperty(
        planArbitrary,
        fc.constantFrom('consensus', 'command', 'none'),
        fc.constantFrom(1, 2),
        fc.integer({ min: 1, max: 4 }),
        fc.subarray(ids),
        fc.subarray(ids),
        fc.option(fc.integer({ min: 1, max: 5 }), { nil: undefined }),
        async (plan, kind, peerCount, maxAttempts, tried, unusable, lastAttempt) => {
          const bus = createEventBus();
          const selected: EventPayload<'MODEL_SELECTED'>[] = [];
          bus.on('MODEL_SELECTED', (event) => void selected.push(event));
          subscribeRouter(bus, {
            ...shipped,
            catalog,
            mode: 'on',
            usable: (model) => !unusable.includes(model.id) || 'unusable',
            planner: { plan: () => plan as TaskPlan | undefined },
          });
          const validator =
            kind === 'none'
              ? {}
              : {
                  validator: kind === 'consensus' ? { kind, peers: peerCount } : { kind: 'command' as const },
                };
          const attempts = lastAttempt === undefined ? maxAttempts : Math.min(lastAttempt, maxAttempts);
          for (let attempt = 1; attempt <= attempts; attempt += 1) {
            bus.emit(
              'AGENT_INVOKED',
              invoked('task', 'Answer the question: A, B or C?', {
                attempt,
                maxAttempts,
                excludeModels: attempt === 1 ? [] : tried,
                ...validator,
              }),
            );
          }
          await bus.settled();
          for (const event of selected) {
            expect(eventSchemas.MODEL_SELECTED.parse(event)).toEqual(event);
            const excluded = event.attempt === 1 ? [] : tried;
            if (event.rule !== 'pinned') expect(excluded).not.toContain(event.model);
            if (event.rule === 'planned') expect(unusable).not.toContain(event.model);
            const peers = (event.peers ?? []).map((peer) => peer.model);
            if (kind !== 'consensus') expect(peers).toEqual([]);
            expect(peers.length).toBeLessThanOrEqual(peerCount);
            expect(peers).not.toContain(event.model);
            for (const peer of peers) {
              expect(excluded).not.toContain(peer);
              expect(unusable).not.toContain(peer);
            }
            if (event.attempt === maxAttempts && event.rule !== 'planned') expect(peers).toEqual([]);
            const peersCost = (event.peers ?? []).reduce((sum, peer) => sum + peer.estimatedCostMicroUsd, 0);
            expect(event.estimatedCostMicroUsd).toBeGreaterThanOrEqual(peersCost);
          }
        },
      ),
      { numRuns: 300, seed: 7 },
    );
  });
});
