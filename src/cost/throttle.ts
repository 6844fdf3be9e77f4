// Throttle levels from budget utilisation, and who may pass at each level.
import type { ThrottleThresholds } from '../config/budgets.ts';
import type { ThrottleLevel } from '../events/cost-events.ts';
import type { Priority } from '../events/vocabulary.ts';

export type { ThrottleLevel };

/** Levels from calm to tight; a higher index is tighter. */
export const throttleLevels: readonly ThrottleLevel[] = ['NONE', 'WARNING', 'SOFT', 'HARD', 'CRITICAL'];

/** The level for a utilisation ((spent + reserved) / limit): NONE < warning <= WARNING < soft <= SOFT ... */
export function throttleLevelFor(utilisation: number, thresholds: ThrottleThresholds): ThrottleLevel {
  if (utilisation > thresholds.critical) return 'CRITICAL';
  if (utilisation >= thresholds.hard) return 'HARD';
  if (utilisation >= thresholds.soft) return 'SOFT';
  if (utilisation >= thresholds.warning) return 'WARNING';
  return 'NONE';
}

/** The lowest priority admitted at each level. */
const lowestAdmitted: Record<ThrottleLevel, Priority> = {
  NONE: 'low',
  WARNING: 'low',
  SOFT: 'normal',
  HARD: 'high',
  CRITICAL: 'critical',
};
const priorityRank: Record<Priority, number> = { low: 0, normal: 1, high: 2, critical: 3 };

/** Whether a task of `priority` may start at `level`; the others wait until the window frees. */
export function admitsPriority(level: ThrottleLevel, priority: Priority): boolean {
  return priorityRank[priority] >= priorityRank[lowestAdmitted[level]];
}

/** The tighter of two levels. */
export function tighterLevel(a: ThrottleLevel, b: ThrottleLevel): ThrottleLevel {
  return throttleLevels.indexOf(a) >= throttleLevels.indexOf(b) ? a : b;
}
