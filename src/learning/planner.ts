// The learned planner: for each validated task, the way of using its attempts with the highest expected
// utility, `P(correct) x worth - expected cost`, from the router's per-prompt estimates and from plan
// statistics fitted on the outcomes the learner has stored. It answers the router's plan requests (the
// interface is routing's; orchestrator.ts wires the two) and refits as outcomes accumulate.
import { OrchestratorError } from '../errors.ts';
import type { Category, Tier } from '../events/vocabulary.ts';
import type { Learner } from './learner.ts';
import type { OutcomeRecord } from './outcome.ts';
import {
  type CostLine,
  fitCosts,
  fitPlanStats,
  type PlanCosts,
  type PlanStats,
  statsKey,
} from './plan-stats.ts';
import { chooseByUtility, type UtilityOption, valueOfCorrect } from './utility.ts';

type Candidate = { model: string; tier: Tier; estimatedCostMicroUsd: number; quality: number };

/** The router's plan request (see src/routing/plan.ts). */
export type LearnedPlanRequest = {
  taskType: string;
  category: Category;
  text: string;
  contextChars: number;
  validator: 'command' | 'predicate' | 'consensus';
  peers: number;
  maxAttempts: number;
  candidates: readonly Candidate[];
};

/** A plan as the router follows it (see src/routing/plan.ts). */
export type LearnedPlan = {
  pinned: readonly string[];
  peers: readonly string[];
  escalateTier?: Tier | undefined;
  escalateModel?: string | undefined;
  summary: string;
};

export type PlannerOptions = {
  /**
   * What a correct answer is worth, as a quality knob in [0, 1): `knob / (1 - knob)` times the strongest
   * model's mean price per call (1 call at 0.5, 4 at 0.8, 9 at 0.9). @default 0.85
   */
  knob?: number;
  /** The model escalations go to and prices are counted in. @default the best-estimated candidate */
  strongest?: string;
  /** Models costing at most this share of the strongest one may start a plan or be peers. @default 0.1 */
  cheapShare?: number;
  /** Fewest tasks a pair or chain statistic may rest on. @default 20 */
  minTasks?: number;
  /** Refit once this share of new outcomes (at least 50) has been learned since the last fit. @default 0.1 */
  refitShare?: number;
  /** Plans are fitted on at most this many of the newest outcomes, to bound a fit's time. @default 50000 */
  maxOutcomes?: number;
};

export type LearnedPlanner = {
  plan: (request: LearnedPlanRequest) => LearnedPlan | undefined;
  /** The statistics plans of a task type are priced with now, for a strongest model and the cheap ones. */
  stats: (taskType: string, strongest: string, cheap: readonly string[]) => PlanStats;
};

type Option = UtilityOption<{ pinned: string[]; peers: string[]; escalate: boolean }>;
type Pricing = {
  request: LearnedPlanRequest;
  stats: PlanStats;
  strongest: Candidate;
  cheap: string[];
  costOf: (model: string) => number;
};

/** Creates a planner on a learner's outcomes; it fits now, and again as the learner takes outcomes in. */
export function createPlanner(learner: Learner, options: PlannerOptions = {}): LearnedPlanner {
  const knob = checkPlannerOptions(options);
  const cheapShare = options.cheapShare ?? 0.1;
  let records: OutcomeRecord[] = [];
  let costs: PlanCosts | undefined;
  let fittedAt = -1;
  // Pair and chain statistics per (task type, strongest, cheap models), for the records fitted at `fittedAt`.
  const fitted = new Map<string, PlanStats>();

  /** Refits when the learner has taken in enough new outcomes since the last fit. */
  const refresh = (): PlanCosts => {
    const revision = learner.revision();
    const due = Math.max(50, (options.refitShare ?? 0.1) * Math.max(0, fittedAt));
    if (costs === undefined || revision - fittedAt >= due) {
      // The statistics never read the task texts: dropped, so the planner does not hold them.
      records = learner.learned(options.maxOutcomes ?? 50_000).map((record) => ({ ...record, text: '' }));
      costs = fitCosts(records);
      fitted.clear();
      fittedAt = revision;
    }
    return costs;
  };

  /** Pair and chain statistics of one task type, fitted when first asked for (and after each refit). */
  const statsFor = (taskType: string, strongest: string, cheap: readonly string[]): PlanStats => {
    const costs = refresh();
    const key = [taskType, strongest, ...cheap].join('\u0000');
    let stats = fitted.get(key);
    if (stats === undefined) {
      const minTasks = options.minTasks === undefined ? {} : { minTasks: options.minTasks };
      stats = fitPlanStats(records, { cheap, strongest, taskType, ...minTasks }, costs);
      if (fitted.size >= 64) fitted.clear();
      fitted.set(key, stats);
    }
    return stats;
  };

  const plan = (request: LearnedPlanRequest): LearnedPlan | undefined => {
    if (request.candidates.length === 0) return undefined;
    const { meanCost } = refresh();
    const strongest = strongestOf(request.candidates, options.strongest);
    if (strongest === undefined)
      return noPlan(`planning.strongest "${options.strongest}" is not a model this task may use now`);
    const priceOf = (candidate: Candidate) =>
      meanCost.get(candidate.model) ?? candidate.estimatedCostMicroUsd;
    const limit = priceOf(strongest) * cheapShare;
    const cheap = request.candidates
      .filter((candidate) => candidate.model !== strongest.model && priceOf(candidate) <= limit)
      .sort((a, b) => priceOf(a) - priceOf(b))
      .map((candidate) => candidate.model);
    const stats = statsFor(request.taskType, strongest.model, cheap);
    const byModel = new Map(request.candidates.map((candidate) => [candidate.model, candidate]));
    const costOf = (model: string) =>
      lineCost(stats.costLines.get(statsKey(request.taskType, model)), request.contextChars) ??
      byModel.get(model)?.estimatedCostMicroUsd ??
      0;
    const best = chooseByUtility(
      optionsFor({ request, stats, strongest, cheap, costOf }),
      valueOfCorrect(knob, priceOf(strongest)),
    );
    if (best !== undefined) return toPlan(best, strongest, knob);
    const plans =
      request.validator === 'consensus' ? 'a cheap model checked by a cheap peer' : 'a tested chain';
    const cheapNames = cheap.length === 0 ? 'none' : cheap.join(', ');
    return noPlan(
      `fewer than ${options.minTasks ?? 20} tasks of type "${request.taskType}" show how ${plans} does ` +
        `(cheap: at most ${cheapShare * 100}% of ${strongest.model}'s price per call: ${cheapNames})`,
    );
  };

  return {
    plan,
    stats: (taskType, strongest, cheap) => statsFor(taskType, strongest, cheap),
  };
}

function checkedKnob(knob: number): number {
  if (Number.isFinite(knob) && knob >= 0 && knob < 1) return knob;
  throw new OrchestratorError(
    'CONFIG_INVALID',
    `planning.knob is ${String(knob)}; expected a number from 0 up to (not including) 1.`,
    { hint: 'The knob prices a correct answer: 0.5 = one strongest-model call, 0.9 = nine.' },
  );
}

/** Checks a planner's options (each problem a clear error naming the option); returns the knob. */
export function checkPlannerOptions(options: PlannerOptions): number {
  const knob = checkedKnob(options.knob ?? 0.85);
  checkNumbers(options);
  return knob;
}

/** The numeric options other than the knob. */
function checkNumbers(options: PlannerOptions): void {
  const checks: [string, number | undefined, (value: number) => boolean, string][] = [
    ['minTasks', options.minTasks, (value) => Number.isInteger(value) && value >= 1, 'a whole number >= 1'],
    ['cheapShare', options.cheapShare, (value) => value > 0 && value <= 1, 'a share above 0, at most 1'],
    ['refitShare', options.refitShare, (value) => Number.isFinite(value) && value >= 0, 'a number >= 0'],
    [
      'maxOutcomes',
      options.maxOutcomes,
      (value) => Number.isInteger(value) && value >= 1,
      'a whole number >= 1',
    ],
  ];
  for (const [name, value, valid, expected] of checks) {
    if (value === undefined || valid(value)) continue;
    throw new OrchestratorError(
      'CONFIG_INVALID',
      `planning.${name} is ${String(value)}; expected ${expected}.`,
    );
  }
}

/** A plan with nothing to follow: the router routes the task as usual and reports why. */
function noPlan(why: string): LearnedPlan {
  return { pinned: [], peers: [], summary: `no plan yet: ${why}` };
}

/** The named strongest model when it is a candidate, else the best-estimated one (the dearer on a tie). */
function strongestOf(candidates: readonly Candidate[], named: string | undefined): Candidate | undefined {
  if (named !== undefined) return candidates.find((candidate) => candidate.model === named);
  return [...candidates].sort(
    (a, b) => b.quality - a.quality || b.estimatedCostMicroUsd - a.estimatedCostMicroUsd,
  )[0];
}

function lineCost(line: CostLine | undefined, chars: number): number | undefined {
  if (line === undefined || line.n < 3) return undefined;
  return Math.max(0, line.intercept + line.slope * chars);
}

/**
 * Every plan the task can use: by validator, within its attempts and the available models. None until the
 * outcomes show how the validator's plans go for this task type (pairs for a consensus, chains for tests):
 * until then the router's attempt-by-attempt cascade runs, and its outcomes are what plans are fitted on.
 */
function optionsFor(pricing: Pricing): Option[] {
  const { request } = pricing;
  if (request.validator === 'consensus') {
    const consensus = consensusOptions(pricing);
    return consensus.length === 0 ? [] : [...singleOptions(pricing), ...consensus];
  }
  // A tested task may fail a single model and go on routed: single models are offered only when the task
  // has a single attempt.
  const chains = chainOptions(pricing);
  if (chains.length === 0) return [];
  return request.maxAttempts === 1 ? [...singleOptions(pricing), ...chains] : chains;
}

function singleOptions({ request, costOf }: Pricing): Option[] {
  return request.candidates.map((candidate) => ({
    value: { pinned: [candidate.model], peers: [], escalate: false },
    quality: candidate.quality,
    costMicroUsd: costOf(candidate.model),
  }));
}

function consensusOptions({ request, stats, strongest, cheap, costOf }: Pricing): Option[] {
  if (request.peers < 1 || request.maxAttempts < 2) return [];
  const usable = new Set(cheap);
  const quality = new Map(request.candidates.map((candidate) => [candidate.model, candidate.quality]));
  const options: Option[] = [];
  for (const pair of stats.pairs.get(request.taskType) ?? []) {
    if (pair.peers.length > request.peers) continue;
    if (!usable.has(pair.first) || !pair.peers.every((peer) => usable.has(peer))) continue;
    // Later peers are asked only while every earlier one agreed.
    const peerCost = pair.peers.reduce(
      (sum, peer, at) => sum + costOf(peer) * (at === 0 ? 1 : pair.firstAgree),
      0,
    );
    // Rates no task judged yet (e.g. escalations that never reached the strongest model) fall back to
    // the router's estimates for this prompt: optimistic for a disagreement, which marks a harder task.
    const right = pair.rightIfAgreed ?? quality.get(pair.first) ?? 0;
    const rescue = pair.rescueIfNot ?? strongest.quality;
    options.push({
      value: { pinned: [pair.first], peers: pair.peers, escalate: true },
      quality: pair.agree * right + (1 - pair.agree) * rescue,
      costMicroUsd: costOf(pair.first) + peerCost + (1 - pair.agree) * costOf(strongest.model),
    });
  }
  return options;
}

/**
 * Chains of cheap models checked by the tests, in the fitted order: all attempts on cheap models, or the
 * first `L` of them and then one attempt routed at the strongest model's tier.
 */
function chainOptions({ request, stats, strongest, cheap, costOf }: Pricing): Option[] {
  const chain = stats.chains.get(request.taskType);
  if (chain === undefined) return [];
  const usable = new Set(cheap);
  const order: string[] = [];
  for (const model of chain.order) {
    if (!usable.has(model)) break;
    order.push(model);
  }
  const options: Option[] = [];
  const longest = Math.min(order.length, request.maxAttempts);
  for (let length = 1; length <= longest; length += 1) {
    const pinned = order.slice(0, length);
    const pass = chain.pass[length - 1] ?? 0;
    const cost = chain.cost[length - 1] ?? 0;
    if (length === longest)
      options.push({ value: { pinned, peers: [], escalate: false }, quality: pass, costMicroUsd: cost });
    const rescue = chain.rescue[length - 1] ?? strongest.quality;
    if (length >= request.maxAttempts) continue;
    options.push({
      value: { pinned, peers: [], escalate: true },
      quality: pass + (1 - pass) * rescue,
      costMicroUsd: cost + (1 - pass) * costOf(strongest.model),
    });
  }
  return options;
}

function toPlan(best: Option, strongest: Candidate, knob: number): LearnedPlan {
  const { pinned, peers, escalate } = best.value;
  const parts = [pinned.join(' then ')];
  if (peers.length > 0) parts.push(`checked by ${peers.join(' and ')}`);
  if (escalate) parts.push(`then ${strongest.model} (tier ${strongest.tier}) if that fails`);
  const expected = `expected quality ${best.quality.toFixed(3)} at ${Math.round(best.costMicroUsd)} micro-USD (knob ${knob})`;
  return {
    pinned,
    peers,
    ...(escalate ? { escalateTier: strongest.tier, escalateModel: strongest.model } : {}),
    summary: `${parts.join(', ')}; ${expected}`,
  };
}
