// Which tier follows a failed attempt: the pure policy behind the tier-upgrade subscriber.
import type { ModelCatalog } from '../config/models.ts';
import type { UpgradeChain } from '../config/upgrade-chain.ts';
import type { Tier, TierRange } from '../events/vocabulary.ts';
import type { UsableModel } from './router.ts';

/** What the subscriber knows of one task's attempt chain. */
export type AttemptChain = {
  /** The agent calls no model (tier 0). */
  deterministic: boolean;
  tier: TierRange | undefined;
  pinnedModel: string | undefined;
  /** Models tried so far, in order. */
  tried: string[];
  upgrades: number;
};

export type FailedAttempt = {
  fromTier: Tier;
  model: string | undefined;
  errorCode: string;
  retryable: boolean;
};

export type UpgradeDecision = { toTier: Tier | undefined; exhausted: boolean; reason: string };

/**
 * The next tier by the chain of routing.yaml, skipping tiers where every model was tried or is
 * unusable, never above the task's `tier.max`, at most `maxUpgrades` times per task.
 */
export function decideUpgrade(
  chain: AttemptChain,
  failure: FailedAttempt,
  upgrade: UpgradeChain,
  catalog: ModelCatalog,
  usable: UsableModel,
): UpgradeDecision {
  const at = `${failure.errorCode} at tier ${failure.fromTier}${failure.model === undefined ? '' : ` (${failure.model})`}`;
  if (!failure.retryable || upgrade.skipOn.has(failure.errorCode))
    return {
      toTier: undefined,
      exhausted: false,
      reason: `${at}: a stronger model cannot fix this; no upgrade`,
    };
  if (chain.deterministic)
    return {
      toTier: undefined,
      exhausted: true,
      reason: `${at}: the agent calls no model (tier 0); no upgrade`,
    };
  if (chain.pinnedModel !== undefined)
    return {
      toTier: undefined,
      exhausted: true,
      reason: `${at}: the task pins model ${chain.pinnedModel}; no upgrade`,
    };
  if (chain.upgrades >= upgrade.maxUpgrades)
    return {
      toTier: undefined,
      exhausted: true,
      reason: `${at}: upgrade limit reached (${chain.upgrades} of ${upgrade.maxUpgrades})`,
    };
  const skipped: string[] = [];
  let candidate = upgrade.next[failure.fromTier];
  // The chain was checked acyclic at load; the step bound guards a chain built in code.
  for (let steps = 0; candidate !== undefined && steps < 5; steps++) {
    if (chain.tier !== undefined && candidate > chain.tier.max) {
      skipped.push(`tier ${candidate} is above the task's tier.max ${chain.tier.max}`);
      break;
    }
    const tier = candidate;
    const fresh = catalog.models.filter(
      (model) => model.tier === tier && !chain.tried.includes(model.id) && usable(model) === true,
    );
    if (fresh.length > 0) {
      const note = skipped.length === 0 ? '' : ` (${skipped.join('; ')})`;
      return {
        toTier: tier,
        exhausted: false,
        reason: `${at}: next attempt at tier ${tier}, upgrade ${chain.upgrades + 1} of ${upgrade.maxUpgrades}${note}`,
      };
    }
    skipped.push(`tier ${tier} has no untried usable model`);
    candidate = upgrade.next[tier];
  }
  const why =
    skipped.length === 0 ? `tier ${failure.fromTier} is the end of the upgrade chain` : skipped.join('; ');
  return { toTier: undefined, exhausted: true, reason: `${at}: upgrade chain exhausted (${why})` };
}
