// The tier-upgrade subscriber: answers AGENT_FAILED with `willRetry` by MODEL_TIER_UPGRADE.
import type { ModelCatalog } from '../config/models.ts';
import { type RoutingConfig, type RoutingMode, resolveRoutingMode } from '../config/routing.ts';
import type { Dispose, EventBus, EventPayload } from '../events/index.ts';
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
  const chains = new Map<string, AttemptChain>();
  const selectedTiers = new Map<string, Tier>();

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

  const onInvoked = (event: EventPayload<'AGENT_INVOKED'>) => {
    const chain = chainOf(event);
    chain.deterministic = event.deterministic === true;
    chain.tier = event.tier;
    chain.pinnedModel = event.pinnedModel;
    for (const model of event.excludeModels) remember(chain, model);
  };
  const onSelected = (event: EventPayload<'MODEL_SELECTED'>) => {
    if (!event.enforced) return;
    selectedTiers.set(`${taskKeyOf(event)}\u0000${event.attempt}`, event.tier);
  };
  const onFailed = (event: EventPayload<'AGENT_FAILED'>) => {
    const attemptKey = `${taskKeyOf(event)}\u0000${event.attempt}`;
    const selected = selectedTiers.get(attemptKey);
    selectedTiers.delete(attemptKey);
    if (!event.willRetry) return;
    const chain = chainOf(event);
    remember(chain, event.model?.id);
    // An attempt that ran no model (a tier-0 agent) counts as tier 0.
    const fromTier = event.model?.tier ?? selected ?? 0;
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
  const forgetRun = (runId: string) => {
    for (const key of chains.keys()) if (key.startsWith(`${runId}\u0000`)) chains.delete(key);
    for (const key of selectedTiers.keys()) if (key.startsWith(`${runId}\u0000`)) selectedTiers.delete(key);
  };

  const disposers = [
    bus.on('AGENT_INVOKED', onInvoked, { name: 'tier-upgrade' }),
    bus.on('MODEL_SELECTED', onSelected, { name: 'tier-upgrade' }),
    bus.on('AGENT_FAILED', onFailed, { name: 'tier-upgrade' }),
    bus.on(
      'AGENT_COMPLETED',
      (event) => {
        selectedTiers.delete(`${taskKeyOf(event)}\u0000${event.attempt}`);
      },
      { name: 'tier-upgrade' },
    ),
    bus.on(
      'TASK_SETTLED',
      (event) => {
        chains.delete(taskKeyOf(event));
      },
      { name: 'tier-upgrade' },
    ),
    bus.on('WORKFLOW_COMPLETED', (event) => forgetRun(event.runId), { name: 'tier-upgrade' }),
    bus.on('WORKFLOW_FAILED', (event) => forgetRun(event.runId), { name: 'tier-upgrade' }),
    bus.on('WORKFLOW_CANCELLED', (event) => forgetRun(event.runId), { name: 'tier-upgrade' }),
  ];
  return () => {
    for (const dispose of disposers) dispose();
    chains.clear();
    selectedTiers.clear();
  };
}
