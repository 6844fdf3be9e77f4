// The tier-upgrade subscriber: answers AGENT_FAILED with `willRetry` by MODEL_TIER_UPGRADE.
import type { ModelCatalog } from '../config/models.ts';
import { type RoutingConfig, type RoutingMode, resolveRoutingMode } from '../config/routing.ts';
import type { Dispose, EventBus, EventPayload } from '../events/index.ts';
import { attemptKeyOf } from '../events/reply.ts';
import type { Tier } from '../events/vocabulary.ts';
import type { UsableModel } from './router.ts';
import { type AttemptChain, decideUpgrade } from './upgrade.ts';

export type TierUpgradeOptions = {
  catalog: ModelCatalog;
  config: RoutingConfig;
  /** @default every model is usable */
  usable?: UsableModel;
  /** @default `TIERFLOW_ROUTING` when set, else `mode` of routing.yaml; `off` subscribes nothing */
  mode?: RoutingMode;
};

const taskKeyOf = (event: { runId: string; taskId: string }) => `${event.runId}\u0000${event.taskId}`;

/**
 * Subscribes the tier upgrade. It follows each task's attempt chain (AGENT_INVOKED, MODEL_SELECTED,
 * AGENT_FAILED) and forgets it when the task settles or the run ends.
 */
export function subscribeTierUpgrade(bus: EventBus, options: TierUpgradeOptions): Dispose {
  const mode = options.mode ?? resolveRoutingMode(options.config.mode, process.env);
  if (mode === 'off') return () => {};
  const usable = options.usable ?? (() => true);
  const chains = createAttemptChains();

  const onFailed = (event: EventPayload<'AGENT_FAILED'>) => {
    const selected = chains.takeSelection(event);
    if (!event.willRetry) return;
    const chain = chains.failed(event);
    // An attempt that ran no model (a tier-0 agent) counts as tier 0.
    const fromTier = event.model?.tier ?? selected?.tier ?? 0;
    if (selected?.planned === true) {
      // The task's plan names the next attempt's model (or tier): no tier upgrade to count or ask for.
      bus.emit('MODEL_TIER_UPGRADE', {
        runId: event.runId,
        taskId: event.taskId,
        attempt: event.attempt,
        fromTier,
        exhausted: false,
        reason: `${event.error.code} at tier ${fromTier}: the task's plan chooses the next attempt`,
        triedModels: [...chain.tried],
      });
      return;
    }
    const decision = decideUpgrade(
      chain,
      { fromTier, model: event.model?.id, errorCode: event.error.code, retryable: event.retryable },
      options.config.upgrade,
      options.catalog,
      usable,
    );
    if (decision.toTier !== undefined) chain.upgrades++;
    bus.emit('MODEL_TIER_UPGRADE', {
      runId: event.runId,
      taskId: event.taskId,
      attempt: event.attempt,
      fromTier,
      ...(decision.toTier === undefined ? {} : { toTier: decision.toTier }),
      exhausted: decision.exhausted,
      reason: decision.reason,
      triedModels: [...chain.tried],
    });
  };

  const name = { name: 'tier-upgrade' };
  const disposers = [
    bus.on('AGENT_INVOKED', chains.invoked, name),
    bus.on('MODEL_SELECTED', chains.selected, name),
    bus.on('AGENT_FAILED', onFailed, name),
    bus.on('AGENT_COMPLETED', (event) => void chains.takeSelection(event), name),
    bus.on('TASK_SETTLED', chains.settled, name),
    bus.on('WORKFLOW_COMPLETED', (event) => chains.forgetRun(event.runId), name),
    bus.on('WORKFLOW_FAILED', (event) => chains.forgetRun(event.runId), name),
    bus.on('WORKFLOW_CANCELLED', (event) => chains.forgetRun(event.runId), name),
  ];
  return () => {
    for (const dispose of disposers) dispose();
    chains.clear();
  };
}

/** Each task's attempt chain (what was tried, how often it climbed) and each attempt's enforced tier. */
function createAttemptChains() {
  const chains = new Map<string, AttemptChain>();
  const selections = new Map<string, { tier: Tier; planned: boolean }>();
  const chainOf = (event: { runId: string; taskId: string }) => {
    const key = taskKeyOf(event);
    let chain = chains.get(key);
    if (chain === undefined) {
      chain = { deterministic: false, tier: undefined, pinnedModel: undefined, tried: [], upgrades: 0 };
      chains.set(key, chain);
    }
    return chain;
  };
  const remember = (chain: AttemptChain, model: string | undefined) => {
    if (model !== undefined && !chain.tried.includes(model)) chain.tried.push(model);
  };
  return {
    invoked: (event: EventPayload<'AGENT_INVOKED'>) => {
      const chain = chainOf(event);
      chain.deterministic = event.deterministic === true;
      chain.tier = event.tier;
      chain.pinnedModel = event.pinnedModel;
      for (const model of event.excludeModels) remember(chain, model);
    },
    selected: (event: EventPayload<'MODEL_SELECTED'>) => {
      if (event.enforced)
        selections.set(attemptKeyOf(event), { tier: event.tier, planned: event.rule === 'planned' });
    },
    /** The tier the router enforced for an attempt that just ended (and whether a plan chose it), once. */
    takeSelection: (event: { runId: string; taskId: string; attempt: number }) => {
      const key = attemptKeyOf(event);
      const selection = selections.get(key);
      selections.delete(key);
      return selection;
    },
    /** The chain of a failed attempt that will be retried, with its model remembered as tried. */
    failed: (event: EventPayload<'AGENT_FAILED'>) => {
      const chain = chainOf(event);
      remember(chain, event.model?.id);
      return chain;
    },
    settled: (event: { runId: string; taskId: string }) => void chains.delete(taskKeyOf(event)),
    forgetRun: (runId: string) => {
      for (const key of chains.keys()) if (key.startsWith(`${runId}\u0000`)) chains.delete(key);
      for (const key of selections.keys()) if (key.startsWith(`${runId}\u0000`)) selections.delete(key);
    },
    clear: () => {
      chains.clear();
      selections.clear();
    },
  };
}
