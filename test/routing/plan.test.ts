// Plans on the router: a planner is asked once, before a validated task's first attempt; its pins, peers
// and escalation are followed attempt by attempt; without a plan a consensus gets default peers.
import { describe, expect, it } from 'vitest';
import { createEventBus, type EventPayload, eventSchemas } from '../../src/events/index.ts';
import type { Planner, PlanRequest, TaskPlan } from '../../src/routing/plan.ts';
import { subscribeRouter } from '../../src/routing/subscriber.ts';
import { subscribeTierUpgrade } from '../../src/routing/tier-upgrade.ts';
import { invoked, shippedConfig, testCatalog } from './fixtures.ts';

const shipped = shippedConfig();
const catalog = testCatalog([
  { id: 'small-a', tier: 1, input: 0.1, output: 0.4, quality: 0.7, latencyMs: 400 },
  { id: 'small-b', tier: 1, input: 0.15, output: 0.6, quality: 0.72, latencyMs: 400 },
  { id: 'mid', tier: 2, input: 1, output: 4, quality: 0.8, latencyMs: 900 },
  { id: 'large', tier: 4, input: 10, output: 40, quality: 0.92, latencyMs: 3000 },
]);

function setup(planner?: Planner, usable: (model: { id: string }) => boolean | string = () => true) {
  const bus = createEventBus();
  const selected: EventPayload<'MODEL_SELECTED'>[] = [];
  const failures: unknown[] = [];
  bus.on('MODEL_SELECTED', (event) => void selected.push(event));
  bus.on('SUBSCRIBER_FAILED', (event) => void failures.push(event));
  subscribeRouter(bus, {
    ...shipped,
    catalog,
    mode: 'on',
    usable,
    ...(planner === undefined ? {} : { planner }),
  });
  const ask = async (overrides: Partial<EventPayload<'AGENT_INVOKED'>>) => {
    bus.emit('AGENT_INVOKED', invoked('answer', 'Which option is right? A) one B) two', overrides));
    await bus.settled();
    const event = selected.at(-1);
    if (event === undefined) throw new Error('no MODEL_SELECTED');
    expect(eventSchemas.MODEL_SELECTED.parse(event)).toEqual(event);
    return event;
  };
  return { bus, selected, failures, ask };
}

const consensus = { validator: { kind: 'consensus' as const, peers: 2 }, maxAttempts: 3 };
const failed = (attempt: number, willRetry: boolean): EventPayload<'AGENT_FAILED'> => ({
  runId: 'run-1',
  taskId: 'answer',
  attempt,
  agent: 'llm',
  error: { code: 'VALIDATION_FAILED', message: 'peers disagreed' },
  retryable: true,
  willRetry,
  usage: {},
  costMicroUsd: 0,
  costEstimated: false,
  latencyMs: 1,
  simulated: true,
});

describe('plans on the router', () => {
  it('follows a plan: pinned start checked by its peers, then the escalation tier, then routing as usual', async () => {
    const requests: PlanRequest[] = [];
    const plan: TaskPlan = {
      pinned: ['small-a'],
      peers: ['small-b', 'mid'],
      escalateTier: 4,
      summary: 'small-a checked by small-b and mid',
    };
    const { ask, bus, failures } = setup({
      plan: (request) => {
        requests.push(request);
        return plan;
      },
    });
    const first = await ask(consensus);
    expect(first).toMatchObject({ model: 'small-a', rule: 'planned', plan: plan.summary });
    expect(first.peers?.map((peer) => peer.model)).toEqual(['small-b', 'mid']);
    expect(first.reason).toMatch(/^plan: small-a checked by small-b and mid; /);
    const peersCost = (first.peers ?? []).reduce((sum, peer) => sum + peer.estimatedCostMicroUsd, 0);
    expect(peersCost).toBeGreaterThan(0);
    expect(ownCost(first)).toBeGreaterThan(0);
    bus.emit('AGENT_FAILED', failed(1, true));
    const second = await ask({ ...consensus, attempt: 2, excludeModels: ['small-a', 'small-b', 'mid'] });
    expect(second).toMatchObject({ model: 'large', tier: 4 });
    expect(second.peers).toBeUndefined();
    expect(second.rule).not.toBe('planned');
    bus.emit('AGENT_FAILED', failed(2, true));
    // After the escalation the task is never routed below its tier, whatever the tier upgrade said.
    const third = await ask({
      ...consensus,
      attempt: 3,
      requestedTier: 2,
      excludeModels: ['small-a', 'small-b', 'mid'],
    });
    expect(third).toMatchObject({ attempt: 3, model: 'large', tier: 4 });
    expect(third.plan).toBeUndefined();
    // The planner was asked once, with the models the task may use.
    expect(requests).toHaveLength(1);
    expect(requests[0]).toMatchObject({ validator: 'consensus', peers: 2, maxAttempts: 3 });
    expect(requests[0]?.candidates.map((candidate) => candidate.model).sort()).toEqual(
      ['large', 'mid', 'small-a', 'small-b'].filter((id) =>
        requests[0]?.candidates.some((candidate) => candidate.model === id),
      ),
    );
    expect(failures).toEqual([]);
  });

  it('leaves the next attempt to the plan: the tier upgrade asks for no tier after a planned attempt', async () => {
    const plan: TaskPlan = {
      pinned: ['small-a', 'small-b'],
      peers: ['mid'],
      escalateTier: 4,
      summary: 'two',
    };
    const { ask, bus } = setup({ plan: () => plan });
    subscribeTierUpgrade(bus, { catalog, config: shipped.config, mode: 'on' });
    const upgrades: EventPayload<'MODEL_TIER_UPGRADE'>[] = [];
    bus.on('MODEL_TIER_UPGRADE', (event) => void upgrades.push(event));
    const first = await ask({ ...consensus, validator: { kind: 'command' } });
    // Peers check a consensus only: a tested task's plan names none, whatever the plan says.
    expect(first.peers).toBeUndefined();
    bus.emit('AGENT_FAILED', { ...failed(1, true), model: { id: 'small-a', provider: 'openai', tier: 1 } });
    await bus.settled();
    expect(upgrades).toHaveLength(1);
    expect(upgrades[0]?.toTier).toBeUndefined();
    expect(upgrades[0]).toMatchObject({
      fromTier: 1,
      exhausted: false,
      reason: "VALIDATION_FAILED at tier 1: the task's plan chooses the next attempt",
    });
  });

  it('asks no planner for unvalidated or pinned tasks, and plans again after the task ended', async () => {
    let asked = 0;
    const { ask, bus } = setup({
      plan: () => {
        asked += 1;
        return undefined;
      },
    });
    await ask({ maxAttempts: 2 });
    await ask({ ...consensus, pinnedModel: 'mid' });
    expect(asked).toBe(0);
    await ask(consensus);
    expect(asked).toBe(1);
    bus.emit('AGENT_FAILED', failed(1, false));
    await ask(consensus);
    expect(asked).toBe(2);
  });

  it('says why a validated task has no plan, at the head of its first reason', async () => {
    const { ask } = setup({ plan: () => ({ pinned: [], peers: [], summary: 'no plan yet: too few tasks' }) });
    const first = await ask(consensus);
    expect(first.reason).toMatch(/^no plan yet: too few tasks; type /);
    expect(first.plan).toBeUndefined();
    expect(first.rule).not.toBe('planned');
    const second = await ask({ ...consensus, attempt: 2, excludeModels: [first.model] });
    expect(second.reason).not.toMatch(/no plan yet/);
  });

  it('skips a pinned model the task already tried', async () => {
    const { ask } = setup({
      plan: () => ({ pinned: ['small-a', 'small-b'], peers: [], summary: 'two cheap tries' }),
    });
    await ask(consensus);
    const second = await ask({ ...consensus, attempt: 2, excludeModels: ['small-a', 'small-b'] });
    expect(second.rule).not.toBe('planned');
    expect(['small-a', 'small-b']).not.toContain(second.model);
  });

  it('routes as usual when a pinned model of the plan cannot be used now, and drops unusable or extra peers', async () => {
    const plan: TaskPlan = {
      pinned: ['small-a'],
      peers: ['small-a', 'small-b', 'mid', 'large'],
      summary: 'odd plan',
    };
    const cooling = setup({ plan: () => plan }, (model) => (model.id === 'small-a' ? 'cooling down' : true));
    const first = await cooling.ask(consensus);
    expect(first.rule).not.toBe('planned');
    expect(first.model).not.toBe('small-a');
    const open = setup({ plan: () => plan }, (model) => (model.id === 'mid' ? 'no key' : true));
    const planned = await open.ask(consensus);
    expect(planned).toMatchObject({ model: 'small-a', rule: 'planned' });
    // Not the pinned model itself, not an unusable one, at most validator.peers (2) of them.
    expect(planned.peers?.map((peer) => peer.model)).toEqual(['small-b', 'large']);
  });

  it('plans nothing without the attempt limit, and names peers then (no attempt is known to be the last)', async () => {
    let asked = 0;
    const { ask } = setup({
      plan: () => {
        asked += 1;
        return undefined;
      },
    });
    const event = await ask({ validator: { kind: 'consensus', peers: 1 } });
    expect(asked).toBe(0);
    expect(event.peers).toHaveLength(1);
  });

  it('without a plan, a consensus gets default peers on every attempt but its last', async () => {
    const { ask } = setup();
    // An optimistic start routes within tier 1: its one other model is the only peer there.
    const optimistic = await ask({ ...consensus, hints: { validated: true } });
    expect(optimistic).toMatchObject({ tier: 1 });
    expect(optimistic.peers?.map((peer) => peer.model)).toEqual([
      optimistic.model === 'small-a' ? 'small-b' : 'small-a',
    ]);
    const first = await ask({ ...consensus, taskId: 'whole' });
    expect(first.peers).toHaveLength(2);
    expect(first.peers?.map((peer) => peer.model)).not.toContain(first.model);
    const oneOnly = await ask({ validator: { kind: 'consensus' }, maxAttempts: 2, taskId: 'other' });
    expect(oneOnly.peers).toHaveLength(1);
    const last = await ask({ ...consensus, attempt: 3, excludeModels: ['small-a'] });
    expect(last.peers).toBeUndefined();
    const tested = await ask({ validator: { kind: 'command' }, maxAttempts: 3, taskId: 'tested' });
    expect(tested.peers).toBeUndefined();
  });

  it('prefers peers no dearer than the chosen model, best estimate first, never a tried one', async () => {
    const { ask } = setup();
    // A pinned model's peers come from the task's routed window.
    const pinned = await ask({ ...consensus, pinnedModel: 'mid', taskId: 'pinned' });
    expect(pinned).toMatchObject({ model: 'mid', rule: 'pinned' });
    expect(pinned.peers?.length).toBeGreaterThan(0);
    expect(pinned.peers?.map((peer) => peer.model)).not.toContain('mid');
    const routed = await ask({
      validator: { kind: 'consensus', peers: 1 },
      maxAttempts: 2,
      requestedTier: 2,
      excludeModels: ['small-b'],
      taskId: 'routed',
    });
    for (const peer of routed.peers ?? []) {
      expect(peer.model).not.toBe('small-b');
      expect(peer.model).not.toBe(routed.model);
    }
  });
});

function ownCost(event: EventPayload<'MODEL_SELECTED'>): number {
  const peers = (event.peers ?? []).reduce((sum, peer) => sum + peer.estimatedCostMicroUsd, 0);
  return event.estimatedCostMicroUsd - peers;
}
