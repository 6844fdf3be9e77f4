// The eval's router: the documented selection rule (cheapest model that meets the quality bar; the
// best estimate when none does) answering AGENT_INVOKED with MODEL_SELECTED, and the tier upgrade
// answering a failed attempt with MODEL_TIER_UPGRADE, on the bus like any router.
import type { Dispose, EventBus, Tier } from '../events/index.ts';
import type { QualityEstimator } from '../learning/index.ts';
import type { EvalCatalog, EvalModel } from './catalog.ts';

export type ReplayRouterOptions = {
  catalog: EvalCatalog;
  estimator: QualityEstimator;
};

/**
 * Hints the eval puts on AGENT_INVOKED: the task type, the quality bar (the knob) and, for a validated
 * task, how many optimistic attempts on a cheap model it may still make.
 */
export type ReplayHints = { taskType: string; minQuality: number; validator: string; cheapAttempts: number };

/** Models costing at most this share of the strongest one form the cheap tiers optimistic attempts use. */
export const cheapShare = 0.1;

/** The models an optimistic attempt may use. */
export function cheapModels(catalog: EvalCatalog): EvalModel[] {
  const strongest = catalog.models.find((model) => model.id === catalog.strongest);
  const limit = (strongest?.usdPerCall ?? 0) * cheapShare;
  return catalog.models.filter((model) => model.usdPerCall <= limit);
}

/** Picks a model for a task: cheapest meeting `bar` among `candidates`, else the best estimate. */
export function pickModel(
  candidates: readonly EvalModel[],
  quality: (model: EvalModel) => number,
  bar: number,
): EvalModel | undefined {
  let cheapest: EvalModel | undefined;
  let best: EvalModel | undefined;
  let bestQuality = -1;
  for (const model of candidates) {
    const estimate = quality(model);
    if (estimate > bestQuality) {
      best = model;
      bestQuality = estimate;
    }
    if (estimate >= bar && (cheapest === undefined || model.usdPerCall < cheapest.usdPerCall))
      cheapest = model;
  }
  return cheapest ?? best;
}

/** Subscribes the eval's router and tier upgrade; returns the disposer. */
export function subscribeReplayRouter(bus: EventBus, options: ReplayRouterOptions): Dispose {
  const { catalog, estimator } = options;
  const byId = new Map(catalog.models.map((model) => [model.id, model]));
  const topTier = Math.max(...catalog.models.map((model) => model.tier));
  const selected = new Map<string, Tier>();
  const cheapIds = new Set(cheapModels(catalog).map((model) => model.id));
  const cheapLeft = new Map<string, boolean>();
  const keyOf = (event: { runId: string; taskId: string; attempt: number }) =>
    `${event.runId}\u0000${event.taskId}\u0000${event.attempt}`;

  const onInvoked = bus.on(
    'AGENT_INVOKED',
    (event) => {
      const hints = event.hints as unknown as ReplayHints;
      const pinned = event.pinnedModel === undefined ? undefined : byId.get(event.pinnedModel);
      const excluded = new Set(event.excludeModels);
      const minTier = event.requestedTier ?? 0;
      const open = catalog.models.filter((model) => !excluded.has(model.id));
      const allowed = open.filter((model) => model.tier >= minTier);
      const candidates = allowed.length > 0 ? allowed : open;
      const features = { text: event.text };
      const quality = (model: EvalModel) => estimator.estimate(hints.taskType, model.id, features).quality;
      const cheap = hints.cheapAttempts > 0 ? candidates.filter((model) => cheapIds.has(model.id)) : [];
      const optimistic = pinned === undefined && cheap.length > 0;
      // An optimistic attempt takes the best cheap model: its validator catches a failure.
      const model =
        pinned ??
        (optimistic ? pickModel(cheap, quality, 2) : pickModel(candidates, quality, hints.minQuality));
      if (model === undefined) return;
      selected.set(keyOf(event), model.tier);
      cheapLeft.set(keyOf(event), optimistic && hints.cheapAttempts > 1 && cheap.length > 1);
      bus.emit('MODEL_SELECTED', {
        runId: event.runId,
        taskId: event.taskId,
        attempt: event.attempt,
        model: model.id,
        provider: 'replay',
        tier: model.tier,
        category: 'NORMAL',
        complexity: 5,
        taskType: hints.taskType,
        estimatedCostMicroUsd: Math.round(model.usdPerCall * 1_000_000),
        reason: pinned
          ? 'pinned model'
          : optimistic
            ? `validated by ${hints.validator}: the best cheap model first`
            : `cheapest with estimated quality >= ${hints.minQuality.toFixed(3)}, else the best estimate`,
        enforced: true,
      });
    },
    { name: 'eval-router' },
  );

  const onFailed = bus.on(
    'AGENT_FAILED',
    (event) => {
      const key = keyOf(event);
      const from = selected.get(key) ?? event.model?.tier ?? 1;
      const stay = cheapLeft.get(key) === true;
      selected.delete(key);
      cheapLeft.delete(key);
      if (!event.willRetry) return;
      // Another optimistic attempt stays on the cheap tiers; otherwise climb one tier.
      const to = (stay ? from : Math.min(topTier, from + 1)) as Tier;
      bus.emit('MODEL_TIER_UPGRADE', {
        runId: event.runId,
        taskId: event.taskId,
        attempt: event.attempt,
        fromTier: from,
        toTier: to,
        exhausted: false,
        reason: `attempt ${event.attempt} failed (${event.error.code}): next tier ${to}`,
      });
    },
    { name: 'eval-tier-upgrade' },
  );

  return () => {
    onInvoked();
    onFailed();
    selected.clear();
  };
}
