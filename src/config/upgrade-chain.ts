// The tier-upgrade chain of routing.yaml: which tier follows a failed attempt, checked to be bounded.
import { didYouMeanHint } from '../diagnostics/index.ts';
import { type Tier, tierAliases } from '../events/vocabulary.ts';
import type { ConfigProblem } from './catalog-file.ts';

/** The checked chain: `next[tier]` is the tier after a failure at `tier`, undefined at the end. */
export type UpgradeChain = {
  readonly next: readonly (Tier | undefined)[];
  /** Upgrades per task at most, whatever its retry count. */
  readonly maxUpgrades: number;
  /** Error codes a stronger model cannot fix: no upgrade. */
  readonly skipOn: ReadonlySet<string>;
};

const tierKeys = ['0', '1', '2', '3', '4', 'weak', 'base', 'strong'];

/** A tier written as a mapping key (`3`, `weak`), or undefined when it is none. */
export function parseTierKey(key: string): Tier | undefined {
  if (key in tierAliases) return tierAliases[key as keyof typeof tierAliases];
  const tier = Number(key);
  return /^[0-4]$/.test(key) ? (tier as Tier) : undefined;
}

/** Problems of an upgrade chain as written: unknown tiers, a tier listed twice, cycles, no bound. */
export function checkUpgradeChain(upgrade: {
  next: Record<string, Tier>;
  maxUpgrades: number;
}): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const next = new Map<Tier, Tier>();
  const keyOf = new Map<Tier, string>();
  for (const [key, to] of Object.entries(upgrade.next)) {
    const from = parseTierKey(key);
    if (from === undefined) {
      const hint = didYouMeanHint(key, tierKeys);
      problems.push({
        path: ['upgrade', 'next', key],
        part: 'key',
        message: `expected a tier (0-4, weak, base or strong) as the key, got ${JSON.stringify(key)}`,
        ...(hint === undefined ? {} : { hint }),
      });
      continue;
    }
    const earlier = keyOf.get(from);
    if (earlier !== undefined) {
      problems.push({
        path: ['upgrade', 'next', key],
        part: 'key',
        message: `tier ${from} is listed twice (as ${JSON.stringify(earlier)} and ${JSON.stringify(key)})`,
        hint: 'weak, base and strong are the tiers 1, 2 and 4; keep one entry per tier',
      });
      continue;
    }
    next.set(from, to);
    keyOf.set(from, key);
  }
  const reported = new Set<Tier>();
  for (const start of next.keys()) {
    const loop = findLoop(start, next);
    if (loop === undefined || loop.some((tier) => reported.has(tier))) continue;
    for (const tier of loop) reported.add(tier);
    problems.push({
      path: ['upgrade', 'next', keyOf.get(loop[0]!)!],
      part: 'key',
      message: `the upgrade chain loops: ${[...loop, loop[0]].join(' -> ')}`,
      hint: 'each step must lead towards a final tier with no `next`; remove one step of the loop',
    });
  }
  const bound = upgrade.maxUpgrades;
  if (!Number.isInteger(bound) || bound < 0 || bound > 4)
    problems.push({
      path: ['upgrade', 'maxUpgrades'],
      message: 'expected an integer from 0 to 4, got {got}',
      expected: 'an integer from 0 to 4',
      hint: 'an unbounded chain could retry forever; there are only five tiers to climb',
    });
  return problems;
}

/** The cycle reached from `start`, in order from its first tier, or undefined. */
function findLoop(start: Tier, next: ReadonlyMap<Tier, Tier>): Tier[] | undefined {
  const path: Tier[] = [];
  let current: Tier | undefined = start;
  while (current !== undefined) {
    const seenAt = path.indexOf(current);
    if (seenAt >= 0) return path.slice(seenAt);
    path.push(current);
    current = next.get(current);
  }
  return undefined;
}
