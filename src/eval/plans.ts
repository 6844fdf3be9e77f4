// The learned policy's plan per task, chosen by expected utility. Each plan is a way of running a task
// through the bus: one pinned model; a pinned model checked by a cheap peer, escalated through the
// router when they disagree; or, for tested categories, a chain of pinned cheap attempts, optionally
// escalated through the router when every one fails. What each plan is expected to score and cost comes
// from the learner's prompt-level estimates and from statistics fitted on the train prompts only.
import { chooseByUtility, type QualityEstimator, valueOfCorrect } from '../learning/index.ts';
import { cheapModels } from './cascade.ts';
import { type EvalCatalog, taskTypeOf } from './catalog.ts';
import type { EvalPrompt } from './dataset.ts';
import type { ReplayProvider } from './replay.ts';

/**
 * Pinned models in attempt order, the consensus peer of the first, and whether the router gets a last try
 * (asked for the strongest model's tier, the escalation the plan was priced with).
 */
export type Plan = { pinned: readonly string[]; peers: readonly string[]; escalate: boolean };

type CostLine = { intercept: number; slope: number };
type PairStats = {
  first: string;
  peers: string[];
  /** How often the first peer agreed (a second peer is asked only then). */
  firstAgree: number;
  agree: number;
  right: number;
  rescued: number;
  total: number;
};
type ChainStats = { order: string[]; pass: number[]; cost: number[]; rescued: number[]; failed: number[] };

/** What the plans are priced with, fitted on the train prompts; read-only once fitted. */
export type PlanStats = {
  /** Recorded cost per (category, model) as a line in the prompt's characters (least squares). */
  readonly costLines: ReadonlyMap<string, CostLine>;
  /**
   * Per (category, first, peers): how often every peer agreed with the first model, how often the first was
   * right then, and how often the strongest model was right when they did not all agree.
   */
  readonly pairs: ReadonlyMap<string, readonly PairStats[]>;
  /** Per tested category: the cheap chain (best train accuracy first) and its outcomes per length. */
  readonly chains: ReadonlyMap<string, ChainStats>;
  readonly strongest: string;
  /** The strongest model's mean price per call on train: the unit a correct answer's worth is priced in. */
  readonly unitMicroUsd: number;
};

const key = (...parts: string[]) => parts.join('\u0000');

/** Fits the plan statistics on `train` (nothing else is read). */
export function fitPlanStats(
  train: readonly EvalPrompt[],
  replay: ReplayProvider,
  catalog: EvalCatalog,
): PlanStats {
  const models = catalog.models.map((model) => model.id);
  const cheap = cheapModels(catalog).map((model) => model.id);
  const strongest = catalog.strongest;
  const sums = new Map<string, { n: number; x: number; y: number; xx: number; xy: number }>();
  const pairs = new Map<string, Map<string, PairStats>>();
  const byCategory = new Map<string, EvalPrompt[]>();
  let unitTotal = 0;
  for (const prompt of train) {
    const inCategory = byCategory.get(prompt.category) ?? [];
    inCategory.push(prompt);
    byCategory.set(prompt.category, inCategory);
    unitTotal += replay.answer(prompt, strongest).costMicroUsd;
    for (const model of models) {
      const entry = sums.get(key(prompt.category, model)) ?? { n: 0, x: 0, y: 0, xx: 0, xy: 0 };
      const cost = replay.answer(prompt, model).costMicroUsd;
      entry.n += 1;
      entry.x += prompt.promptChars;
      entry.y += cost;
      entry.xx += prompt.promptChars ** 2;
      entry.xy += prompt.promptChars * cost;
      sums.set(key(prompt.category, model), entry);
    }
    if (catalog.categories[prompt.category]?.validator !== 'consensus') continue;
    const escalation = replay.answer(prompt, strongest).correct;
    for (const first of cheap) {
      const mine = replay.answer(prompt, first);
      let inCategory = pairs.get(prompt.category);
      if (inCategory === undefined) {
        inCategory = new Map();
        pairs.set(prompt.category, inCategory);
      }
      for (const peers of peerSets(cheap, first)) {
        const name = key(first, ...peers);
        const stats = inCategory.get(name) ?? {
          first,
          peers,
          firstAgree: 0,
          agree: 0,
          right: 0,
          rescued: 0,
          total: 0,
        };
        stats.total += 1;
        const lead = peers[0];
        if (
          mine.choice !== undefined &&
          lead !== undefined &&
          replay.answer(prompt, lead).choice === mine.choice
        )
          stats.firstAgree += 1;
        if (
          mine.choice !== undefined &&
          peers.every((peer) => replay.answer(prompt, peer).choice === mine.choice)
        ) {
          stats.agree += 1;
          if (mine.correct) stats.right += 1;
        } else if (escalation) stats.rescued += 1;
        inCategory.set(name, stats);
      }
    }
  }
  const costLines = new Map([...sums].map(([name, sum]) => [name, costLine(sum)]));
  const chains = new Map<string, ChainStats>();
  for (const [category, prompts] of byCategory) {
    if (catalog.categories[category]?.validator !== 'tests') continue;
    chains.set(category, fitChain(prompts, replay, cheap, strongest));
  }
  return {
    costLines,
    pairs: new Map([...pairs].map(([category, entries]) => [category, [...entries.values()]])),
    chains,
    strongest,
    unitMicroUsd: train.length === 0 ? 1 : unitTotal / train.length,
  };
}

/** Least squares of cost on prompt characters; the mean when the characters do not vary. */
function costLine(sum: { n: number; x: number; y: number; xx: number; xy: number }): CostLine {
  const spread = sum.n * sum.xx - sum.x ** 2;
  if (sum.n === 0) return { intercept: 0, slope: 0 };
  if (spread <= 1e-9) return { intercept: sum.y / sum.n, slope: 0 };
  const slope = (sum.n * sum.xy - sum.x * sum.y) / spread;
  return { intercept: (sum.y - slope * sum.x) / sum.n, slope };
}

/** The peer sets of a first model: every other cheap model alone, and every two of them. */
function peerSets(cheap: readonly string[], first: string): string[][] {
  const others = cheap.filter((model) => model !== first);
  const sets: string[][] = others.map((model) => [model]);
  others.forEach((a, at) => {
    for (const b of others.slice(at + 1)) sets.push([a, b]);
  });
  return sets;
}

function fitChain(
  prompts: readonly EvalPrompt[],
  replay: ReplayProvider,
  cheap: readonly string[],
  strongest: string,
): ChainStats {
  const accuracy = (model: string) => prompts.filter((prompt) => replay.answer(prompt, model).correct).length;
  const order = [...cheap].sort((a, b) => accuracy(b) - accuracy(a));
  const pass = order.map(() => 0);
  const cost = order.map(() => 0);
  const rescued = order.map(() => 0);
  const failed = order.map(() => 0);
  for (const prompt of prompts) {
    const first = order.findIndex((model) => replay.answer(prompt, model).correct);
    const passedAt = first < 0 ? order.length : first;
    const strongRight = replay.answer(prompt, strongest).correct;
    let spent = 0;
    order.forEach((model, at) => {
      if (at <= passedAt) spent += replay.answer(prompt, model).costMicroUsd;
      cost[at] = (cost[at] ?? 0) + spent;
      if (passedAt <= at) pass[at] = (pass[at] ?? 0) + 1;
      else {
        failed[at] = (failed[at] ?? 0) + 1;
        if (strongRight) rescued[at] = (rescued[at] ?? 0) + 1;
      }
    });
  }
  return { order, pass, cost, rescued, failed };
}

/** Chooses the plan of a prompt for a knob: the highest expected quality less expected cost. */
export function choosePlan(
  prompt: EvalPrompt,
  knob: number,
  stats: PlanStats,
  estimator: QualityEstimator,
  catalog: EvalCatalog,
): Plan {
  const worth = valueOfCorrect(knob, stats.unitMicroUsd);
  const category = prompt.category;
  const taskType = taskTypeOf(category);
  const costOf = (model: string) => {
    const line = stats.costLines.get(key(category, model));
    return line === undefined ? 0 : Math.max(0, line.intercept + line.slope * prompt.promptChars);
  };
  const strongCost = costOf(stats.strongest);
  const options: { value: Plan; quality: number; costMicroUsd: number }[] = [];
  const validator = catalog.categories[category]?.validator ?? 'none';
  const chain = stats.chains.get(category);
  if (validator === 'tests' && chain !== undefined) {
    const n = chainPrompts(chain);
    chain.order.forEach((_, at) => {
      const pinned = chain.order.slice(0, at + 1);
      const pass = (chain.pass[at] ?? 0) / n;
      const failed = (chain.failed[at] ?? 0) / n;
      const rescue = (chain.rescued[at] ?? 0) / Math.max(1, chain.failed[at] ?? 0);
      const cost = (chain.cost[at] ?? 0) / n;
      options.push({ value: { pinned, peers: [], escalate: false }, quality: pass, costMicroUsd: cost });
      options.push({
        value: { pinned, peers: [], escalate: true },
        quality: pass + failed * rescue,
        costMicroUsd: cost + failed * strongCost,
      });
    });
  }
  // One pinned model, judged by the learner's estimate for this prompt.
  for (const model of catalog.models) {
    const quality = estimator.estimate(taskType, model.id, { text: prompt.text ?? '' }).quality;
    options.push({
      value: { pinned: [model.id], peers: [], escalate: false },
      quality,
      costMicroUsd: costOf(model.id),
    });
  }
  if (validator === 'consensus' && prompt.text !== undefined) {
    for (const pair of stats.pairs.get(category) ?? []) {
      const { first, peers } = pair;
      if (pair.total === 0) continue;
      const agree = pair.agree / pair.total;
      const quality = (pair.right + pair.rescued) / pair.total;
      // Later peers are asked only while every earlier one agreed (two peers at most).
      const firstAgree = pair.firstAgree / pair.total;
      const peerCost = peers.reduce((sum, peer, at) => sum + costOf(peer) * (at === 0 ? 1 : firstAgree), 0);
      const cost = costOf(first) + peerCost + (1 - agree) * strongCost;
      options.push({ value: { pinned: [first], peers, escalate: true }, quality, costMicroUsd: cost });
    }
  }
  return chooseByUtility(options, worth)?.value ?? { pinned: [], peers: [], escalate: true };
}

/** How many train prompts the chain statistics rest on. */
function chainPrompts(chain: ChainStats): number {
  return Math.max(1, (chain.pass[0] ?? 0) + (chain.failed[0] ?? 0));
}
