import { describe, expect, it } from 'vitest';
import {
  attemptKeyOf,
  createEventBus,
  createReplyWaiter,
  type EventPayload,
  eventSchemas,
} from '../../src/events/index.ts';
import type { Tier } from '../../src/events/vocabulary.ts';
import { subscribeRouter } from '../../src/routing/subscriber.ts';
import { subscribeTierUpgrade } from '../../src/routing/tier-upgrade.ts';
import { type AttemptChain, decideUpgrade, type FailedAttempt } from '../../src/routing/upgrade.ts';
import { invoked, shippedConfig } from './fixtures.ts';

const shipped = shippedConfig();
const { upgrade } = shipped.config;

function chain(overrides: Partial<AttemptChain> = {}): AttemptChain {
  return {
    deterministic: false,
    tier: undefined,
    pinnedModel: undefined,
    tried: [],
    upgrades: 0,
    ...overrides,
  };
}
function failure(fromTier: Tier, overrides: Partial<FailedAttempt> = {}): FailedAttempt {
  return { fromTier, model: 'some-model', errorCode: 'AGENT_ERROR', retryable: true, ...overrides };
}
const tier2Models = shipped.catalog.models.filter((model) => model.tier === 2).map((model) => model.id);

describe('decideUpgrade', () => {
  it.each([
    ['climbs the chain', chain(), failure(1), 2, false],
    ['climbs from 3 to 4', chain(), failure(3), 4, false],
    ['is exhausted at the strongest tier', chain(), failure(4), undefined, true],
    ['stops at the task tier.max', chain({ tier: { min: 1, max: 2 } }), failure(2), undefined, true],
    ['skips a tier whose models were all tried', chain({ tried: tier2Models }), failure(1), 3, false],
    ['stops after maxUpgrades', chain({ upgrades: 3 }), failure(1), undefined, true],
    ['does not upgrade a pinned model', chain({ pinnedModel: 'gpt-4.1' }), failure(2), undefined, true],
    ['does not upgrade a non-retryable error', chain(), failure(1, { retryable: false }), undefined, false],
    [
      'does not upgrade a budget refusal',
      chain(),
      failure(1, { errorCode: 'BUDGET_EXCEEDED' }),
      undefined,
      false,
    ],
    [
      'does not upgrade a bad request (4xx)',
      chain(),
      failure(1, { errorCode: 'PROVIDER_BAD_REQUEST' }),
      undefined,
      false,
    ],
    ['is exhausted from tier 0, which has no next tier', chain(), failure(0), undefined, true],
    [
      'does not upgrade an agent that calls no model',
      chain({ deterministic: true }),
      failure(0),
      undefined,
      true,
    ],
  ])('%s', (_rule, state, failed, toTier, exhausted) => {
    const decision = decideUpgrade(state, failed, upgrade, shipped.catalog, () => true);
    expect([decision.toTier, decision.exhausted]).toEqual([toTier, exhausted]);
  });

  it('explains every outcome', () => {
    const reasons = [
      decideUpgrade(chain(), failure(1), upgrade, shipped.catalog, () => true),
      decideUpgrade(chain({ tried: tier2Models }), failure(1), upgrade, shipped.catalog, () => true),
      decideUpgrade(chain(), failure(2), upgrade, shipped.catalog, (model) => model.tier !== 3),
      decideUpgrade(chain({ tier: { min: 1, max: 2 } }), failure(2), upgrade, shipped.catalog, () => true),
      decideUpgrade(chain({ upgrades: 3 }), failure(1), upgrade, shipped.catalog, () => true),
      decideUpgrade(chain({ pinnedModel: 'gpt-4.1' }), failure(2), upgrade, shipped.catalog, () => true),
      decideUpgrade(
        chain(),
        failure(1, { errorCode: 'BUDGET_EXCEEDED' }),
        upgrade,
        shipped.catalog,
        () => true,
      ),
      decideUpgrade(chain(), failure(4, { model: undefined }), upgrade, shipped.catalog, () => true),
      decideUpgrade(
        chain({ deterministic: true }),
        failure(0, { errorCode: 'SHELL_EXIT_NONZERO', model: undefined }),
        upgrade,
        shipped.catalog,
        () => true,
      ),
    ].map((decision) => decision.reason);
    expect(reasons).toMatchInlineSnapshot(`
      [
        "AGENT_ERROR at tier 1 (some-model): next attempt at tier 2, upgrade 1 of 3",
        "AGENT_ERROR at tier 1 (some-model): next attempt at tier 3, upgrade 1 of 3 (tier 2 has no untried usable model)",
        "AGENT_ERROR at tier 2 (some-model): next attempt at tier 4, upgrade 1 of 3 (tier 3 has no untried usable model)",
        "AGENT_ERROR at tier 2 (some-model): upgrade chain exhausted (tier 3 is above the task's tier.max 2)",
        "AGENT_ERROR at tier 1 (some-model): upgrade limit reached (3 of 3)",
        "AGENT_ERROR at tier 2 (some-model): the task pins model gpt-4.1; no upgrade",
        "BUDGET_EXCEEDED at tier 1 (some-model): a stronger model cannot fix this; no upgrade",
        "AGENT_ERROR at tier 4: upgrade chain exhausted (tier 4 is the end of the upgrade chain)",
        "SHELL_EXIT_NONZERO at tier 0: the agent calls no model (tier 0); no upgrade",
      ]
    `);
  });
});

type Outcome = { status: 'succeeded' | 'failed'; attempts: number; tier: Tier; models: string[] };

/**
 * Drives one task the way the coordinator's contract says (AGENT_INVOKED -> MODEL_SELECTED; on failure
 * AGENT_FAILED -> MODEL_TIER_UPGRADE -> requestedTier + excludeModels), with a handler that succeeds
 * only from `succeedsAt`. The coordinator itself is tested in test/coordinator.
 */
async function driveTask(attemptBudget: number, succeedsAt: Tier, text = 'Fix the typo in README.md') {
  const bus = createEventBus();
  const log: string[] = [];
  // Registered before the subscribers, so that a request is logged before the reply it causes.
  for (const type of [
    'AGENT_INVOKED',
    'MODEL_SELECTED',
    'AGENT_FAILED',
    'MODEL_TIER_UPGRADE',
    'AGENT_COMPLETED',
  ] as const) {
    bus.on(type, (event: EventPayload<typeof type>) => {
      eventSchemas[type].parse(event);
      if ('model' in event && typeof event.model === 'string' && 'reason' in event)
        log.push(`${type} #${event.attempt} tier ${event.tier} ${event.model}`);
      else if ('fromTier' in event)
        log.push(
          `${type} #${event.attempt} ${event.fromTier} -> ${event.toTier ?? '-'}${event.exhausted ? ' exhausted' : ''}: ${event.reason}`,
        );
      else log.push(`${type} #${event.attempt}`);
    });
  }
  const disposers = [
    subscribeRouter(bus, { ...shipped, mode: 'on' }),
    subscribeTierUpgrade(bus, { catalog: shipped.catalog, config: shipped.config, mode: 'on' }),
  ];
  const selections = createReplyWaiter(bus, 'MODEL_SELECTED', attemptKeyOf);
  const upgrades = createReplyWaiter(bus, 'MODEL_TIER_UPGRADE', attemptKeyOf);
  let requestedTier: Tier | undefined;
  const tried: string[] = [];
  let outcome: Outcome | undefined;
  for (let attempt = 1; outcome === undefined; attempt++) {
    const key = attemptKeyOf({ runId: 'run-1', taskId: 'build', attempt });
    const selectedReply = selections.expect(key, 50);
    bus.emit('AGENT_INVOKED', invoked('build', text, { attempt, requestedTier, excludeModels: [...tried] }));
    const selected = await selectedReply;
    if (selected === undefined) {
      // Every model of the window was tried: the router has nothing new to offer.
      outcome = { status: 'failed', attempts: attempt - 1, tier: requestedTier ?? 0, models: tried };
      break;
    }
    const model = { id: selected.model, provider: selected.provider, tier: selected.tier };
    tried.push(selected.model);
    const common = {
      runId: 'run-1',
      taskId: 'build',
      attempt,
      agent: 'llm',
      model,
      usage: {},
      costMicroUsd: 0,
      costEstimated: false,
      latencyMs: 1,
      simulated: true,
    };
    if (selected.tier >= succeedsAt) {
      bus.emit('AGENT_COMPLETED', common);
      outcome = { status: 'succeeded', attempts: attempt, tier: selected.tier, models: tried };
      break;
    }
    const willRetry = attempt < attemptBudget;
    const upgradeReply = willRetry ? upgrades.expect(key, 1_000) : undefined;
    const error = { code: 'AGENT_ERROR', message: 'the answer failed validation' };
    bus.emit('AGENT_FAILED', { ...common, error, retryable: true, willRetry });
    if (!willRetry) {
      outcome = { status: 'failed', attempts: attempt, tier: selected.tier, models: tried };
      break;
    }
    requestedTier = (await upgradeReply)?.toTier ?? selected.tier;
  }
  bus.emit('TASK_SETTLED', {
    runId: 'run-1',
    taskId: 'build',
    status: outcome.status,
    attempts: outcome.attempts,
  });
  await bus.settled();
  selections.dispose();
  upgrades.dispose();
  for (const dispose of disposers) dispose();
  expect(bus.totalListenerCount()).toBe(5);
  return { outcome, log };
}

describe('tier upgrade on a real bus', () => {
  it('climbs from tier 1 to tier 3 when the handler only succeeds at tier 3', async () => {
    const { outcome, log } = await driveTask(4, 3);
    expect(outcome).toMatchObject({ status: 'succeeded', attempts: 3, tier: 3 });
    expect(new Set(outcome.models).size).toBe(outcome.models.length);
    expect(log).toMatchInlineSnapshot(`
      [
        "AGENT_INVOKED #1",
        "MODEL_SELECTED #1 tier 1 gemini-2.5-flash-lite",
        "AGENT_FAILED #1",
        "MODEL_TIER_UPGRADE #1 1 -> 2: AGENT_ERROR at tier 1 (gemini-2.5-flash-lite): next attempt at tier 2, upgrade 1 of 3",
        "AGENT_INVOKED #2",
        "MODEL_SELECTED #2 tier 2 qwen2.5-coder:32b",
        "AGENT_FAILED #2",
        "MODEL_TIER_UPGRADE #2 2 -> 3: AGENT_ERROR at tier 2 (qwen2.5-coder:32b): next attempt at tier 3, upgrade 2 of 3",
        "AGENT_INVOKED #3",
        "MODEL_SELECTED #3 tier 3 o4-mini",
        "AGENT_COMPLETED #3",
      ]
    `);
  });

  it('ends failed, without looping, when the attempt budget is too small', async () => {
    const { outcome, log } = await driveTask(2, 3);
    expect(outcome).toMatchObject({ status: 'failed', attempts: 2, tier: 2 });
    expect(log.filter((line) => line.startsWith('MODEL_TIER_UPGRADE'))).toHaveLength(1);
  });

  it('reports the chain exhausted at the strongest tier and never tries a model twice', async () => {
    const { outcome, log } = await driveTask(10, 5 as Tier);
    expect(outcome.status).toBe('failed');
    expect(new Set(outcome.models).size).toBe(outcome.models.length);
    const upgradesSeen = log.filter((line) => line.startsWith('MODEL_TIER_UPGRADE'));
    expect(upgradesSeen.slice(0, 4)).toMatchInlineSnapshot(`
      [
        "MODEL_TIER_UPGRADE #1 1 -> 2: AGENT_ERROR at tier 1 (gemini-2.5-flash-lite): next attempt at tier 2, upgrade 1 of 3",
        "MODEL_TIER_UPGRADE #2 2 -> 3: AGENT_ERROR at tier 2 (qwen2.5-coder:32b): next attempt at tier 3, upgrade 2 of 3",
        "MODEL_TIER_UPGRADE #3 3 -> 4: AGENT_ERROR at tier 3 (o4-mini): next attempt at tier 4, upgrade 3 of 3",
        "MODEL_TIER_UPGRADE #4 4 -> - exhausted: AGENT_ERROR at tier 4 (gemini-3-pro-preview): upgrade limit reached (3 of 3)",
      ]
    `);
    expect(outcome.attempts).toBeLessThanOrEqual(10);
  });

  it('subscribes nothing when routing is off', () => {
    const bus = createEventBus();
    subscribeTierUpgrade(bus, { catalog: shipped.catalog, config: shipped.config, mode: 'off' });
    expect(bus.totalListenerCount()).toBe(0);
  });
});
