// What plans are priced with, fitted on recorded outcomes. Outcomes are grouped by task (run, task): per
// model, the answer it gave (consensus tasks) and whether it was right, when something said so (a test, a
// validator's quality, late feedback). Answers spread verdicts: in a task with one right answer, a model
// that gave the right model's answer was right, and one that gave another answer was wrong.
import type { OutcomeRecord } from './outcome.ts';

/** Cost per call as a line in the task's context characters (least squares). */
export type CostLine = { intercept: number; slope: number; n: number };

/** A cheap model checked by peers, escalated to the strongest model when they do not all agree. */
export type PairStats = {
  first: string;
  peers: string[];
  /**
   * P(every peer agrees), P(the first peer agrees), P(first right | all agree), P(strongest right | not);
   * the last two undefined when no task judged them (the planner then uses its own estimates).
   */
  agree: number;
  firstAgree: number;
  rightIfAgreed: number | undefined;
  rescueIfNot: number | undefined;
  /** Tasks the agreement rate rests on. */
  n: number;
};

/** A chain of cheap models checked by tests, per length: P(some passed), expected cost, P(rescue | all failed). */
export type ChainStats = {
  order: string[];
  pass: number[];
  cost: number[];
  rescue: (number | undefined)[];
  n: number[];
};

/** Read-only once fitted. */
export type PlanStats = {
  readonly costLines: ReadonlyMap<string, CostLine>;
  /** Mean own cost per call of each model, over every task type. */
  readonly meanCost: ReadonlyMap<string, number>;
  readonly pairs: ReadonlyMap<string, readonly PairStats[]>;
  readonly chains: ReadonlyMap<string, ChainStats>;
};

export type PlanStatsOptions = {
  /** Models a plan may start with or ask as peers, cheapest first. */
  cheap: readonly string[];
  strongest: string;
  /** Fewest tasks a pair or chain statistic may rest on. @default 20 */
  minTasks?: number;
  /** Fit pairs and chains of this task type only (costs are fitted for all). @default every type */
  taskType?: string;
};

type Answered = { answer: string | null | undefined; correct: boolean | undefined; cost: number | undefined };
type TaskGroup = {
  taskType: string;
  contextChars: number;
  consensus: boolean;
  tested: boolean;
  models: Map<string, Answered>;
};

export const statsKey = (...parts: string[]) => parts.join('\u0000');

/** Fits plan statistics on `records` (nothing else is read); `costs` when already fitted on them. */
export function fitPlanStats(
  records: readonly OutcomeRecord[],
  options: PlanStatsOptions,
  costs: PlanCosts = fitCosts(records),
): PlanStats {
  const wanted = options.taskType;
  const groups = groupTasks(
    wanted === undefined ? records : records.filter((record) => record.taskType === wanted),
  );
  const minTasks = options.minTasks ?? 20;
  const byType = new Map<string, TaskGroup[]>();
  for (const group of groups) {
    const list = byType.get(group.taskType) ?? [];
    list.push(group);
    byType.set(group.taskType, list);
  }
  const pairs = new Map<string, PairStats[]>();
  const chains = new Map<string, ChainStats>();
  for (const [taskType, list] of byType) {
    const consensus = list.filter((group) => group.consensus);
    if (consensus.length >= minTasks) pairs.set(taskType, fitPairs(consensus, options, minTasks));
    const tested = list.filter((group) => group.tested);
    if (tested.length >= minTasks) chains.set(taskType, fitChain(tested, options, minTasks));
  }
  return { ...costs, pairs, chains };
}

/** What a record says of its model's correctness: undefined when nothing verified it. */
function verdictOf(record: OutcomeRecord): boolean | undefined {
  if (record.quality !== undefined) return record.quality >= 0.5;
  if (record.source === 'feedback') return record.success;
  if (record.success || record.consensus !== undefined) return undefined;
  return record.errorCode === 'VALIDATION_FAILED' ? false : undefined;
}

function groupTasks(records: readonly OutcomeRecord[]): TaskGroup[] {
  const groups = new Map<string, TaskGroup>();
  for (const record of records) {
    if (record.model === 'none') continue;
    const key = statsKey(record.runId, record.taskId);
    let group = groups.get(key);
    if (group === undefined) {
      group = {
        taskType: record.taskType,
        contextChars: record.contextChars,
        consensus: false,
        tested: false,
        models: new Map(),
      };
      groups.set(key, group);
    }
    group.consensus ||= record.validator === 'consensus' || record.consensus !== undefined;
    group.tested ||= record.validator === 'command' || record.validator === 'predicate';
    const peersCost = record.consensus?.peers.reduce((sum, peer) => sum + peer.costMicroUsd, 0) ?? 0;
    setAnswer(group, record.model, {
      answer: record.consensus?.answer,
      correct: verdictOf(record),
      cost: Math.max(0, record.costMicroUsd - peersCost),
    });
    for (const peer of record.consensus?.peers ?? [])
      setAnswer(group, peer.model, { answer: peer.answer, correct: undefined, cost: peer.costMicroUsd });
  }
  for (const group of groups.values()) spreadVerdicts(group);
  return [...groups.values()];
}

/** Merges what is known of a model in a task: later knowledge fills gaps, a verdict is kept. */
function setAnswer(group: TaskGroup, model: string, next: Answered): void {
  const known = group.models.get(model);
  group.models.set(model, {
    answer: next.answer !== undefined ? next.answer : known?.answer,
    correct: next.correct ?? known?.correct,
    cost: known?.cost ?? next.cost,
  });
}

function spreadVerdicts(group: TaskGroup): void {
  const entries = [...group.models.values()];
  const right = entries.find((entry) => entry.correct === true && typeof entry.answer === 'string');
  const wrong = new Set(
    entries
      .filter((entry) => entry.correct === false && typeof entry.answer === 'string')
      .map((e) => e.answer),
  );
  for (const entry of entries) {
    if (entry.correct !== undefined || typeof entry.answer !== 'string') continue;
    if (right !== undefined) entry.correct = entry.answer === right.answer;
    else if (wrong.has(entry.answer)) entry.correct = false;
  }
}

/** The cost part of the statistics: lines per (task type, model) and each model's mean. */
export type PlanCosts = Pick<PlanStats, 'costLines' | 'meanCost'>;

/** Fits what calls cost, from every priced outcome (peers' calls included). */
export function fitCosts(records: readonly OutcomeRecord[]): PlanCosts {
  const sums = new Map<string, { n: number; x: number; y: number; xx: number; xy: number }>();
  const means = new Map<string, { n: number; total: number }>();
  const add = (taskType: string, model: string, chars: number, cost: number) => {
    const key = statsKey(taskType, model);
    const entry = sums.get(key) ?? { n: 0, x: 0, y: 0, xx: 0, xy: 0 };
    entry.n += 1;
    entry.x += chars;
    entry.y += cost;
    entry.xx += chars ** 2;
    entry.xy += chars * cost;
    sums.set(key, entry);
    const mean = means.get(model) ?? { n: 0, total: 0 };
    mean.n += 1;
    mean.total += cost;
    means.set(model, mean);
  };
  for (const record of records) {
    if (record.model === 'none' || record.costEstimated) continue;
    const peers = record.consensus?.peers ?? [];
    const peersCost = peers.reduce((sum, peer) => sum + peer.costMicroUsd, 0);
    add(record.taskType, record.model, record.contextChars, Math.max(0, record.costMicroUsd - peersCost));
    for (const peer of peers) add(record.taskType, peer.model, record.contextChars, peer.costMicroUsd);
  }
  return {
    costLines: new Map([...sums].map(([key, sum]) => [key, costLine(sum)])),
    meanCost: new Map([...means].map(([model, mean]) => [model, mean.total / mean.n])),
  };
}

/** Least squares of cost on context characters; the mean when the characters do not vary. */
function costLine(sum: { n: number; x: number; y: number; xx: number; xy: number }): CostLine {
  const spread = sum.n * sum.xx - sum.x ** 2;
  if (spread <= 1e-9) return { intercept: sum.y / sum.n, slope: 0, n: sum.n };
  const slope = (sum.n * sum.xy - sum.x * sum.y) / spread;
  return { intercept: (sum.y - slope * sum.x) / sum.n, slope, n: sum.n };
}

/** The peer sets of a first model: every other cheap model alone, and every two of them. */
export function peerSets(cheap: readonly string[], first: string): string[][] {
  const others = cheap.filter((model) => model !== first);
  const sets: string[][] = others.map((model) => [model]);
  others.forEach((a, at) => {
    for (const b of others.slice(at + 1)) sets.push([a, b]);
  });
  return sets;
}

type PairCounts = {
  known: number;
  agreed: number;
  firstKnown: number;
  firstAgreed: number;
  rightKnown: number;
  right: number;
  rescueKnown: number;
  rescued: number;
};

function fitPairs(groups: readonly TaskGroup[], options: PlanStatsOptions, minTasks: number): PairStats[] {
  const fitted: PairStats[] = [];
  for (const first of options.cheap) {
    for (const peers of peerSets(options.cheap, first)) {
      const counts = countPair(groups, first, peers, options.strongest);
      if (counts.known < minTasks) continue;
      const agree = counts.agreed / counts.known;
      fitted.push({
        first,
        peers,
        agree,
        firstAgree: counts.firstKnown === 0 ? agree : counts.firstAgreed / counts.firstKnown,
        rightIfAgreed: counts.rightKnown === 0 ? undefined : counts.right / counts.rightKnown,
        rescueIfNot: counts.rescueKnown === 0 ? undefined : counts.rescued / counts.rescueKnown,
        n: counts.known,
      });
    }
  }
  return fitted;
}

function countPair(
  groups: readonly TaskGroup[],
  first: string,
  peers: readonly string[],
  strongest: string,
): PairCounts {
  const counts: PairCounts = {
    known: 0,
    agreed: 0,
    firstKnown: 0,
    firstAgreed: 0,
    rightKnown: 0,
    right: 0,
    rescueKnown: 0,
    rescued: 0,
  };
  for (const group of groups) {
    const mine = group.models.get(first);
    if (mine?.answer === undefined) continue;
    const agreement = peers.map((peer) => agrees(mine.answer, group.models.get(peer)?.answer));
    if (agreement[0] !== undefined) {
      counts.firstKnown += 1;
      if (agreement[0]) counts.firstAgreed += 1;
    }
    const all = agreement.includes(false) ? false : agreement.includes(undefined) ? undefined : true;
    if (all === undefined) continue;
    counts.known += 1;
    if (all) {
      counts.agreed += 1;
      if (mine.correct !== undefined) {
        counts.rightKnown += 1;
        if (mine.correct) counts.right += 1;
      }
      continue;
    }
    const rescue = group.models.get(strongest)?.correct;
    if (rescue !== undefined) {
      counts.rescueKnown += 1;
      if (rescue) counts.rescued += 1;
    }
  }
  return counts;
}

/** Whether a peer agreed: undefined when its answer is not known; no answer on either side is a dissent. */
function agrees(mine: string | null | undefined, theirs: string | null | undefined): boolean | undefined {
  if (theirs === undefined) return undefined;
  return typeof mine === 'string' && mine === theirs;
}

/** The cheap chain (best pass rate first) and, per length, how it went on the tasks that show it. */
function fitChain(groups: readonly TaskGroup[], options: PlanStatsOptions, minTasks: number): ChainStats {
  // Models tried on fewer than `minTasks` tasks stay out (an untried one would block every chain it
  // led); the others go best smoothed (Beta(1, 1)) pass rate first.
  const rates = new Map<string, number>();
  for (const model of options.cheap) {
    let known = 0;
    let passed = 0;
    for (const group of groups) {
      const correct = group.models.get(model)?.correct;
      if (correct === undefined) continue;
      known += 1;
      if (correct) passed += 1;
    }
    if (known >= minTasks) rates.set(model, (passed + 1) / (known + 2));
  }
  const order = [...rates.keys()].sort((a, b) => (rates.get(b) ?? 0) - (rates.get(a) ?? 0));
  const stats: ChainStats = { order: [], pass: [], cost: [], rescue: [], n: [] };
  for (let length = 1; length <= order.length; length += 1) {
    const prefix = order.slice(0, length);
    const point = chainPoint(groups, prefix, options.strongest);
    if (point.n < minTasks) break;
    stats.order = prefix;
    stats.pass.push(point.pass / point.n);
    stats.cost.push(point.cost / point.n);
    stats.rescue.push(point.rescueKnown === 0 ? undefined : point.rescued / point.rescueKnown);
    stats.n.push(point.n);
  }
  return stats;
}

/** The tasks where a chain's outcome is known: each model's, until one passed. */
function chainPoint(groups: readonly TaskGroup[], chain: readonly string[], strongest: string) {
  const point = { n: 0, pass: 0, cost: 0, rescueKnown: 0, rescued: 0 };
  for (const group of groups) {
    let spent = 0;
    let passed: boolean | undefined = false;
    for (const model of chain) {
      const entry = group.models.get(model);
      if (entry?.correct === undefined || entry.cost === undefined) {
        passed = undefined;
        break;
      }
      spent += entry.cost;
      if (entry.correct) {
        passed = true;
        break;
      }
    }
    if (passed === undefined) continue;
    point.n += 1;
    point.cost += spent;
    if (passed) {
      point.pass += 1;
      continue;
    }
    const rescue = group.models.get(strongest)?.correct;
    if (rescue !== undefined) {
      point.rescueKnown += 1;
      if (rescue) point.rescued += 1;
    }
  }
  return point;
}
