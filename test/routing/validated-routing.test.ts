// Validation-driven escalation with the real bus, router, tier upgrade and coordinator: a validated
// task starts optimistic on the lowest tier its category allows, a failed validation climbs, and an
// unvalidated task is routed exactly as before.
import { describe, expect, it } from 'vitest';
import { createAgentRegistry } from '../../src/agents/registry.ts';
import { createValidatorRegistry } from '../../src/agents/validators.ts';
import { createCoordinator } from '../../src/coordinator/index.ts';
import { createEventBus, type EventPayload } from '../../src/events/index.ts';
import { createRouter } from '../../src/routing/router.ts';
import { subscribeRouter } from '../../src/routing/subscriber.ts';
import { subscribeTierUpgrade } from '../../src/routing/tier-upgrade.ts';
import { tierWindow } from '../../src/routing/tier-window.ts';
import { parseWorkflow } from '../../src/workflow/index.ts';
import { shippedConfig } from './fixtures.ts';

const shipped = shippedConfig();

function setup() {
  const bus = createEventBus();
  const selected: EventPayload<'MODEL_SELECTED'>[] = [];
  const upgrades: EventPayload<'MODEL_TIER_UPGRADE'>[] = [];
  const failures: EventPayload<'AGENT_FAILED'>[] = [];
  bus.on('MODEL_SELECTED', (event) => void selected.push(event));
  bus.on('MODEL_TIER_UPGRADE', (event) => void upgrades.push(event));
  bus.on('AGENT_FAILED', (event) => void failures.push(event));
  subscribeRouter(bus, { ...shipped, mode: 'on' });
  subscribeTierUpgrade(bus, { catalog: shipped.catalog, config: shipped.config, mode: 'on' });
  const agents = createAgentRegistry({ builtins: false });
  // The answer says which tier wrote it; the tests below pass answers from tier 2 up.
  agents.register('coder', async (ctx) => ({
    output: `patch by ${ctx.model?.id} (tier ${ctx.model?.tier})`,
  }));
  const validators = createValidatorRegistry();
  validators.register('tests-pass', (output) => {
    const tier = Number(/tier (\d)/.exec(String(output))?.[1] ?? 0);
    return tier >= 2 ? true : { ok: false, reason: `2 of 14 tests fail on the tier-${tier} patch` };
  });
  const coordinator = createCoordinator({
    bus,
    agents,
    validators,
    resolveModel: (id) => {
      const spec = shipped.catalog.byId.get(id);
      return spec === undefined ? undefined : { id: spec.id, provider: spec.provider, tier: spec.tier };
    },
    decisions: {
      modelSelection: { await: true, timeoutMs: 1000 },
      tierUpgrade: { await: true, timeoutMs: 1000 },
    },
  });
  const run = (extra: string) =>
    coordinator.run(
      parseWorkflow(
        `version: 1\nid: signup\ntasks:\n  - id: endpoint\n    agent: coder\n    retries: { count: 3, backoff: { initial: 0ms } }\n    prompt: Implement the signup endpoint in src/api/users.ts\n${extra}`,
        { knownAgents: ['coder'], knownPredicates: validators.names() },
      ),
    );
  return { run, selected, upgrades, failures };
}

describe('validated tasks with the real router', () => {
  it('start at tier 1, fail validation there and climb to tier 2, where the tests pass', async () => {
    const { run, selected, upgrades, failures } = setup();
    const result = await run('    validate: { predicate: tests-pass }\n');
    expect(result.tasks[0]).toMatchObject({ status: 'succeeded', attempts: 2, tier: 2, category: 'NORMAL' });
    expect(selected.map((event) => `${event.attempt}: tier ${event.tier} ${event.model}`)).toEqual([
      '1: tier 1 claude-haiku-4-5',
      '2: tier 2 gemini-2.5-flash',
    ]);
    expect(selected[0]?.reason).toMatchInlineSnapshot(
      `"type coding (matched implement*, endpoint*, api); complexity 5 = context 1 (~13 tokens) + type 3 (coding) + files 1 (1 file) + failures 0 -> NORMAL; tier 1 (NORMAL; validated: starting optimistic at tier 1); chose claude-haiku-4-5 (anthropic, tier 1): cheapest meeting quality >= 0.70, cost <= $0.05, latency <= 5000 ms (est. $0.007513, quality 0.72, 900 ms); 12 candidates (11 below quality)"`,
    );
    expect(
      failures.map((event) => [event.error.code, event.retryable, event.error.message]),
    ).toMatchInlineSnapshot(`
      [
        [
          "VALIDATION_FAILED",
          true,
          "Task "endpoint" failed validation (attempt 1, model claude-haiku-4-5): predicate "tests-pass" failed: 2 of 14 tests fail on the tier-1 patch",
        ],
      ]
    `);
    expect(upgrades.map((event) => event.reason)).toEqual([
      'VALIDATION_FAILED at tier 1 (claude-haiku-4-5): next attempt at tier 2, upgrade 1 of 3',
    ]);
  });

  it.each([
    ['without a validator', ''],
    ['with a hand-written hints.validated but no validator', '    hints: { validated: true }\n'],
    ['with optimistic: false', '    validate: { predicate: tests-pass, optimistic: false }\n'],
  ])('routes a task %s as before: straight to tier 2', async (_, extra) => {
    const { run, selected } = setup();
    const result = await run(extra);
    expect(result.tasks[0]).toMatchObject({ status: 'succeeded', attempts: 1, tier: 2 });
    expect(selected.map((event) => event.reason.includes('optimistic'))).toEqual([false]);
  });

  it('leaves the tier upgrade free to climb on VALIDATION_FAILED', () => {
    expect(shipped.config.upgrade.skipOn.has('VALIDATION_FAILED')).toBe(false);
  });
});

describe('an optimistic start with no usable model at the cheap tier', () => {
  it('routes the task over its whole window instead', () => {
    const router = createRouter({
      ...shipped,
      usable: (model) => (model.tier === 1 ? 'no key for its provider' : true),
    });
    const decision = router.decide({
      text: 'Implement the signup endpoint in src/api/users.ts',
      hints: { validated: true },
    });
    expect([decision.model?.id, decision.tiers]).toEqual(['gemini-2.5-flash', [1, 2]]);
    expect(/ -> NORMAL; (tiers? [^(]*\([^)]*\))/.exec(decision.reason)?.[1]).toMatchInlineSnapshot(
      `"tiers 1-2 (NORMAL; validated: no usable model at tier 1 to start optimistic)"`,
    );
  });
});

describe('the tier window of a validated task', () => {
  const base = { throttle: 'NONE' as const, throttleCap: undefined, requestedTier: undefined };
  it.each([
    [
      'first attempt',
      { categoryTiers: [1, 2], task: undefined, attempt: 1 },
      [1],
      'validated: starting optimistic at tier 1',
    ],
    [
      'COMPLEX category',
      { categoryTiers: [2, 3], task: undefined, attempt: 1 },
      [2],
      'validated: starting optimistic at tier 2',
    ],
    [
      'task tier.min',
      { categoryTiers: [1, 2], task: { min: 2, max: 4 }, attempt: 1 },
      [2],
      'task tier 2-4 gives tier 2',
    ],
    [
      'tier.start wins',
      { categoryTiers: [1, 2], task: { min: 1, max: 4, start: 2 }, attempt: 1 },
      [2],
      'task tier.start 2 for the first attempt',
    ],
    ['a retry', { categoryTiers: [1, 2], task: undefined, attempt: 2 }, [1, 2], undefined],
  ] as const)('%s', (_, input, tiers, note) => {
    const window = tierWindow({ ...base, ...input, validated: true });
    expect(window.tiers).toEqual(tiers);
    expect(window.notes.at(-1)).toBe(note);
  });
});
