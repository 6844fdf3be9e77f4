// The router and the tier upgrade with the real coordinator: a workflow's tasks land on different
// tiers for stated reasons, and a failing task climbs tiers within its attempt budget.
import { describe, expect, it } from 'vitest';
import { createAgentRegistry } from '../../src/agents/registry.ts';
import { createCoordinator } from '../../src/coordinator/index.ts';
import { createEventBus, type EventPayload } from '../../src/events/index.ts';
import { subscribeRouter } from '../../src/routing/subscriber.ts';
import { subscribeTierUpgrade } from '../../src/routing/tier-upgrade.ts';
import { parseWorkflow } from '../../src/workflow/index.ts';
import { shippedConfig } from './fixtures.ts';

const shipped = shippedConfig();

function setup(handler: Parameters<ReturnType<typeof createAgentRegistry>['register']>[1]) {
  const bus = createEventBus();
  const selected: EventPayload<'MODEL_SELECTED'>[] = [];
  const upgrades: EventPayload<'MODEL_TIER_UPGRADE'>[] = [];
  bus.on('MODEL_SELECTED', (event) => {
    selected.push(event);
  });
  bus.on('MODEL_TIER_UPGRADE', (event) => {
    upgrades.push(event);
  });
  subscribeRouter(bus, { ...shipped, mode: 'on' });
  subscribeTierUpgrade(bus, { catalog: shipped.catalog, config: shipped.config, mode: 'on' });
  const agents = createAgentRegistry({ builtins: false });
  agents.register('work', handler);
  const coordinator = createCoordinator({
    bus,
    agents,
    resolveModel: (id) => {
      const spec = shipped.catalog.byId.get(id);
      return spec === undefined ? undefined : { id: spec.id, provider: spec.provider, tier: spec.tier };
    },
    decisions: {
      modelSelection: { await: true, timeoutMs: 1000 },
      tierUpgrade: { await: true, timeoutMs: 1000 },
    },
  });
  return { coordinator, selected, upgrades };
}

const reviewWorkflow = `version: 1
id: release
tasks:
  - id: changelog
    agent: work
    prompt: Fix the typo in CHANGELOG.md
  - id: endpoint
    agent: work
    prompt: Implement the signup endpoint in src/api/users.ts
  - id: security
    agent: work
    hints: { taskType: security_review }
    prompt: Look over the session handling before the release
  - id: hotfix
    agent: work
    tier: { min: 3, max: 4 }
    prompt: Production outage - prepare the rollback of src/billing/charge.ts, src/billing/refund.ts and src/api/hooks.ts
`;

describe('routing with the real coordinator', () => {
  it("lands a workflow's tasks on different tiers, each for a stated reason", async () => {
    const { coordinator, selected } = setup(async (ctx) => ({ output: `${ctx.model?.id} did it` }));
    const result = await coordinator.run(parseWorkflow(reviewWorkflow, { knownAgents: ['work'] }));
    expect(result.status).toBe('succeeded');
    expect(
      result.tasks.map((task) => [task.id, task.tier, task.model, task.category, task.complexity]),
    ).toMatchInlineSnapshot(`
      [
        [
          "changelog",
          1,
          "gemini-2.5-flash-lite",
          "FAST",
          3,
        ],
        [
          "endpoint",
          2,
          "gemini-2.5-flash",
          "NORMAL",
          5,
        ],
        [
          "security",
          2,
          "gpt-5-mini",
          "COMPLEX",
          6,
        ],
        [
          "hotfix",
          3,
          "o4-mini",
          "COMPLEX",
          7,
        ],
      ]
    `);
    expect(Object.fromEntries(selected.map((event) => [event.taskId, event.reason]))).toMatchInlineSnapshot(`
      {
        "changelog": "type documentation (matched changelog); complexity 3 = context 1 (~7 tokens) + type 1 (short simple request: 6 words with "typo") + files 1 (1 file) + failures 0 -> FAST; tier 1 (FAST); chose gemini-2.5-flash-lite (google, tier 1): cheapest meeting quality >= 0.60, cost <= $0.002, latency <= 1000 ms (est. $0.000321, quality 0.62, 500 ms); 12 candidates (4 below quality, 2 over cost, 4 over latency)",
        "endpoint": "type coding (matched implement*, endpoint*, api); complexity 5 = context 1 (~13 tokens) + type 3 (coding) + files 1 (1 file) + failures 0 -> NORMAL; tiers 1-2 (NORMAL); chose gemini-2.5-flash (google, tier 2): cheapest meeting quality >= 0.70, cost <= $0.05, latency <= 5000 ms (est. $0.003754, quality 0.74, 1500 ms); 19 candidates (11 below quality, 2 over latency)",
        "hotfix": "type production_critical (matched production, outage, rollback); complexity 7 = context 1 (~28 tokens) + type 4 (production_critical) + files 2 (3 files) + failures 0 -> COMPLEX; tier 3 (COMPLEX; task tier 3-4 gives tier 3); chose o4-mini (openai, tier 3): cheapest meeting quality >= 0.75, cost <= $0.15, latency <= 20000 ms (est. $0.008831, quality 0.85, 9000 ms); 4 candidates",
        "security": "type security_review (from hints.taskType); complexity 6 = context 1 (~13 tokens) + type 4 (security_review) + files 1 (0 files) + failures 0 -> COMPLEX; tiers 2-3 (COMPLEX); chose gpt-5-mini (openai, tier 2): cheapest meeting quality >= 0.75, cost <= $0.15, latency <= 20000 ms (est. $0.003004, quality 0.79, 6000 ms); 11 candidates (2 below quality)",
      }
    `);
  });

  it('climbs to tier 3 when the handler only succeeds there', async () => {
    const { coordinator, upgrades, selected } = setup(async (ctx) => {
      if ((ctx.model?.tier ?? 0) < 3) throw new Error(`answer from ${ctx.model?.id} failed validation`);
      return { output: 'ok' };
    });
    const workflow = parseWorkflow(
      'version: 1\nid: climb\ntasks:\n  - id: fix\n    agent: work\n    retries: { count: 3, backoff: { initial: 0ms } }\n    prompt: Fix the typo in README.md\n',
      { knownAgents: ['work'] },
    );
    const result = await coordinator.run(workflow);
    expect(result.tasks[0]).toMatchObject({ status: 'succeeded', attempts: 3, tier: 3 });
    expect(
      selected.map((event) => `${event.attempt}: tier ${event.tier} ${event.model}`),
    ).toMatchInlineSnapshot(`
      [
        "1: tier 1 gemini-2.5-flash-lite",
        "2: tier 2 qwen2.5-coder:32b",
        "3: tier 3 o4-mini",
      ]
    `);
    expect(
      upgrades.map((event) => `${event.fromTier} -> ${event.toTier}: ${event.reason}`),
    ).toMatchInlineSnapshot(`
      [
        "1 -> 2: AGENT_ERROR at tier 1 (gemini-2.5-flash-lite): next attempt at tier 2, upgrade 1 of 3",
        "2 -> 3: AGENT_ERROR at tier 2 (qwen2.5-coder:32b): next attempt at tier 3, upgrade 2 of 3",
      ]
    `);
  });

  it('ends failed, naming the attempt budget, when the budget is too small to reach tier 3', async () => {
    const { coordinator, upgrades } = setup(async (ctx) => {
      if ((ctx.model?.tier ?? 0) < 3) throw new Error(`answer from ${ctx.model?.id} failed validation`);
      return { output: 'ok' };
    });
    const workflow = parseWorkflow(
      'version: 1\nid: short\ntasks:\n  - id: fix\n    agent: work\n    retries: { count: 1, backoff: { initial: 0ms } }\n    prompt: Fix the typo in README.md\n',
      { knownAgents: ['work'] },
    );
    const result = await coordinator.run(workflow);
    expect(result.status).toBe('failed');
    expect(result.tasks[0]).toMatchObject({ status: 'failed', attempts: 2, tier: 2 });
    expect(upgrades).toHaveLength(1);
    expect(result.tasks[0]?.error).toMatchInlineSnapshot(`
      {
        "code": "ATTEMPTS_EXHAUSTED",
        "hint": "Raise \`retries\` on the task, or fix the cause of the last error.",
        "message": "Task "fix" used up its attempt budget of 2 (retries: 1); last error AGENT_ERROR: answer from qwen2.5-coder:32b failed validation",
      }
    `);
  });
});
