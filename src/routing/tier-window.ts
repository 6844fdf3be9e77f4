// The tiers a decision may choose from: the category's, narrowed by the task, the tier-upgrade
// request and the cost tracker's throttle level.
import type { ThrottleLevel } from '../config/routing.ts';
import type { Tier, TierRange } from '../events/vocabulary.ts';

export type TierWindowInput = {
  readonly categoryTiers: readonly Tier[];
  readonly task: TierRange | undefined;
  readonly requestedTier: Tier | undefined;
  readonly attempt: number;
  /** The task is validated (`hints.validated`): its first attempt may start on the lowest tier of the window. */
  readonly validated?: boolean;
  readonly throttle: ThrottleLevel;
  /** The highest tier allowed at this throttle level, if any. */
  readonly throttleCap: Tier | undefined;
};

export type TierWindow = {
  /** Sorted, not empty. */
  readonly tiers: readonly Tier[];
  /** `allowed[tier]` for quick lookups. */
  readonly allowed: readonly boolean[];
  /** What narrowed or moved the window, for the reason. */
  readonly notes: readonly string[];
};

function clamp(tier: Tier, range: TierRange | undefined): Tier {
  if (range === undefined) return tier;
  return Math.min(range.max, Math.max(range.min, tier)) as Tier;
}

function unique(tiers: readonly Tier[]): Tier[] {
  return [...new Set(tiers)].sort((a, b) => a - b);
}

/** `tiers 1-2`, `tier 3`, `tiers 1, 3`. */
export function describeTiers(tiers: readonly Tier[]): string {
  if (tiers.length === 1) return `tier ${tiers[0]}`;
  const contiguous = tiers.every((tier, index) => index === 0 || tier === tiers[index - 1]! + 1);
  return contiguous ? `tiers ${tiers[0]}-${tiers.at(-1)}` : `tiers ${tiers.join(', ')}`;
}

const plainWindows = new WeakMap<readonly Tier[], TierWindow>();

/**
 * Computes the window by the rules of docs/routing.md, in order: task range, then the first tier
 * (the tier upgrade's request, else `tier.start`, else the lowest tier for a validated task), throttle.
 */
export function tierWindow(input: TierWindowInput): TierWindow {
  const capped = input.throttleCap !== undefined && input.throttle !== 'NONE';
  const optimistic = input.validated === true && input.attempt === 1;
  if (input.task === undefined && input.requestedTier === undefined && !capped && !optimistic) {
    // The common case: the category's own tiers, computed once per category.
    let window = plainWindows.get(input.categoryTiers);
    if (window === undefined) {
      window = windowOf(unique(input.categoryTiers), []);
      plainWindows.set(input.categoryTiers, window);
    }
    return window;
  }
  const notes: string[] = [];
  const { task } = input;
  let tiers = unique(input.categoryTiers);
  if (task !== undefined) {
    const inside = tiers.filter((tier) => tier >= task.min && tier <= task.max);
    const narrowed = inside.length > 0 ? inside : unique(tiers.map((tier) => clamp(tier, task)));
    if (narrowed.join() !== tiers.join())
      notes.push(`task tier ${task.min}-${task.max} gives ${describeTiers(narrowed)}`);
    tiers = narrowed;
  }
  if (input.requestedTier !== undefined) {
    const requested = clamp(input.requestedTier, task);
    tiers = [requested];
    notes.push(`tier ${requested} requested by the tier upgrade after attempt ${input.attempt - 1} failed`);
  } else if (task?.start !== undefined && input.attempt === 1) {
    tiers = [task.start];
    notes.push(`task tier.start ${task.start} for the first attempt`);
  } else if (optimistic && tiers.length > 1) {
    // A validated task starts cheap: a failed validation climbs the tiers through the tier upgrade.
    tiers = [tiers[0] as Tier];
    notes.push(`validated: starting optimistic at tier ${tiers[0]}`);
  }
  const cap = input.throttleCap;
  if (cap !== undefined && input.throttle !== 'NONE' && tiers.some((tier) => tier > cap)) {
    const capped = tiers.filter((tier) => tier <= cap);
    const floor = task?.min ?? 0;
    if (capped.length > 0) {
      tiers = capped;
      notes.push(`throttle ${input.throttle} caps tiers at ${cap}`);
    } else if (floor > cap) {
      tiers = [floor as Tier];
      notes.push(`throttle ${input.throttle} caps tiers at ${cap}, but the task's tier.min ${floor} wins`);
    } else {
      tiers = [cap];
      notes.push(`throttle ${input.throttle} caps tiers at ${cap}`);
    }
  }
  return windowOf(tiers, notes);
}

function windowOf(tiers: readonly Tier[], notes: readonly string[]): TierWindow {
  const allowed = [false, false, false, false, false];
  for (const tier of tiers) allowed[tier] = true;
  return { tiers, allowed, notes };
}
