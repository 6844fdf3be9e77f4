// `tierflow eval`: loads the dataset, fits learned policies on the train split, replays the test split
// through the router, the learner and a cost ledger on one bus, and sweeps the policy's knob.
import { createPlanner, type Learner, type OutcomeRecord } from '../learning/index.ts';
import { checkCatalogCovers, loadEvalCatalog } from './catalog.ts';
import { type EvalPrompt, loadDataset } from './dataset.ts';
import { createCatalogLearner, fitLearner } from './fit.ts';
import { replayPrompts } from './harness.ts';
import { type PolicyName, parsePolicy, scoreAlways, scoreOracle } from './policies.ts';
import { loadPrices } from './prices.ts';
import { createReplayProvider, type ReplayProvider } from './replay.ts';
import { selectPrompts } from './split.ts';
import { createEvalEnvironment, createEvalStack, type EvalEnvironment } from './stack.ts';

export type EvalOptions = {
  dataset: string;
  train?: string;
  policy: string;
  prices?: string;
  catalogFile: string;
  seed?: number;
  /** Validation-driven escalation for learned and cascade (static never validates). @default true */
  validators?: boolean;
  /** The knob of the headline figures. @default 0.85 */
  knob?: number;
  /** The knob values of the curve. @default 0.50, 0.525, ... 0.95 */
  knobs?: readonly number[];
  /** Prompt-level estimates from similar train prompts. @default true */
  neighbours?: boolean;
  /**
   * The learned policy's router asks the learned planner for each validated task's plan (false: attempt by
   * attempt, as the cascade). @default true
   */
  plans?: boolean;
  /** Attempts per task. @default 4 */
  maxAttempts?: number;
  /** Most peers a consensus may ask. @default 2 */
  peers?: 1 | 2;
};

export type CurvePoint = { knob: number; accuracy: number; costPct: number };
/** One policy's figures on the test prompts; `costPct` is relative to always-strongest on the same prompts. */
export type EvalResult = {
  policy: string;
  prompts: number;
  accuracy: number;
  costUsd: number;
  costPct: number;
  strongest: { model: string; accuracy: number; costUsd: number };
  costAtStrongestAccuracyPct: number | null;
  curve: CurvePoint[];
};
/** Learned policies are reported twice: learning frozen after train, and learning online during test. */
export type EvalReport = {
  frozen: EvalResult;
  online: EvalResult | undefined;
  train: number;
  files: readonly string[];
};

export const defaultKnobs: readonly number[] = Array.from(
  { length: 19 },
  (_, index) => Math.round((0.5 + index * 0.025) * 1000) / 1000,
);

/** Runs the eval; deterministic for a seed. */
export function runEval(options: EvalOptions): EvalReport {
  const catalog = loadEvalCatalog(options.catalogFile);
  const policy = parsePolicy(options.policy, catalog);
  const dataset = loadDataset(options.dataset);
  checkCatalogCovers(catalog, dataset.models, options.dataset);
  const trainSet = options.train === undefined ? undefined : loadDataset(options.train);
  const { train, test } = selectPrompts(dataset.prompts, trainSet?.prompts);
  const prices = options.prices === undefined ? {} : loadPrices(options.prices);
  const replay = createReplayProvider([...train, ...test], prices);
  const environment = createEvalEnvironment(
    catalog,
    [...train, ...test].map((prompt) => prompt.category),
  );
  const seed = options.seed ?? 1;
  const learners = createLearnerCache(train, replay, environment, {
    seed,
    neighbours: options.neighbours !== false,
  });
  const validators = options.validators ?? true;
  const score = (online: boolean) => (knob: number) =>
    scorePolicy(policy, {
      environment,
      replay,
      train,
      test,
      seed,
      knob,
      online,
      validators,
      learnerFor: learners.learnerFor,
      categoryRules: learners.categoryRules,
      options,
    });
  const baseline = scoreAlways(test, replay, catalog.strongest);
  const single = policy.kind === 'oracle' || policy.kind === 'always';
  const build = (label: string, at: (knob: number) => Score) =>
    buildResult(label, test.length, { model: catalog.strongest, ...baseline }, at, {
      knobs: single ? [0] : (options.knobs ?? defaultKnobs),
      headline: single ? 0 : (options.knob ?? 0.85),
    });
  const frozen = build(options.policy, score(false));
  const online = policy.kind === 'learned' ? build(`${options.policy} (online)`, score(true)) : undefined;
  return { frozen, online, train: train.length, files: dataset.files };
}

type Score = { correct: number; costMicroUsd: number };

/**
 * The learners the policies score with, fitted once on train: frozen runs share the fitted learner
 * (nothing they see is learned); online runs start from a copy rebuilt from the train outcomes; the fitted
 * static rules are each category's success rates on train, without prompt-level estimates.
 */
function createLearnerCache(
  train: readonly EvalPrompt[],
  replay: ReplayProvider,
  environment: EvalEnvironment,
  settings: { seed: number; neighbours: boolean },
) {
  let fitted: { learner: Learner; records: OutcomeRecord[] } | undefined;
  let rules: Learner | undefined;
  const trained = () => {
    if (fitted === undefined) {
      const learner = fitLearner(train, replay, environment, settings);
      fitted = { learner, records: learner.store.all() };
    }
    return fitted;
  };
  return {
    learnerFor: (online: boolean) => {
      const { learner, records } = trained();
      if (!online) return learner;
      const copy = createCatalogLearner(environment, settings, records);
      copy.tuneNeighbours();
      return copy;
    },
    categoryRules: () => {
      rules ??= createCatalogLearner(
        environment,
        { seed: settings.seed, neighbours: false },
        trained().records,
      );
      return rules;
    },
  };
}

/** One policy's figures: its curve over the knobs, its headline knob, and where it reaches the strongest. */
function buildResult(
  label: string,
  prompts: number,
  strongest: { model: string } & Score,
  at: (knob: number) => Score,
  knobs: { knobs: readonly number[]; headline: number },
): EvalResult {
  const accuracy = ratio(strongest.correct, prompts);
  const curve = knobs.knobs.map((knob) => {
    const result = at(knob);
    return {
      knob,
      accuracy: ratio(result.correct, prompts),
      costPct: pct(result.costMicroUsd, strongest.costMicroUsd),
    };
  });
  const headline = at(knobs.headline);
  const reaching = curve.filter((point) => point.accuracy >= accuracy).map((point) => point.costPct);
  return {
    policy: label,
    prompts,
    accuracy: ratio(headline.correct, prompts),
    costUsd: headline.costMicroUsd / 1_000_000,
    costPct: pct(headline.costMicroUsd, strongest.costMicroUsd),
    strongest: { model: strongest.model, accuracy, costUsd: strongest.costMicroUsd / 1_000_000 },
    costAtStrongestAccuracyPct: reaching.length === 0 ? null : Math.min(...reaching),
    curve,
  };
}

type ScoreContext = {
  environment: EvalEnvironment;
  replay: ReplayProvider;
  train: readonly EvalPrompt[];
  test: readonly EvalPrompt[];
  seed: number;
  knob: number;
  online: boolean;
  validators: boolean;
  options: EvalOptions;
  /** Per-category posteriors fitted on train, no prompt-level estimates (static-fitted). */
  categoryRules: () => Learner;
  /** The learner fitted on train: shared when frozen, a fresh copy when online. */
  learnerFor: (online: boolean) => Learner;
};

function scorePolicy(policy: PolicyName, context: ScoreContext): { correct: number; costMicroUsd: number } {
  const { environment, replay, test } = context;
  const { catalog } = environment;
  if (policy.kind === 'always') return scoreAlways(test, replay, policy.model);
  if (policy.kind === 'oracle')
    return scoreOracle(
      test,
      replay,
      catalog.models.map((model) => model.id),
    );
  let learner: Learner;
  if (policy.kind === 'learned') learner = context.learnerFor(context.online);
  else if (policy.kind === 'static-fitted') learner = context.categoryRules();
  else learner = createCatalogLearner(environment, { seed: context.seed, neighbours: false });
  learner.setFrozen(!context.online);
  // The planner prices plans from the learner's stored outcomes: the train sweep (and, online, what the
  // test runs add); the knob prices a correct answer.
  const planner =
    policy.kind === 'learned' && context.validators && context.options.plans !== false
      ? createPlanner(learner, { knob: context.knob, strongest: catalog.strongest })
      : undefined;
  const stack = createEvalStack(environment, learner, context.knob, planner);
  const runId = `eval-${policy.kind}-${context.knob}-${context.online ? 'online' : 'frozen'}`;
  try {
    const totals = replayPrompts(test, {
      stack,
      replay,
      catalog,
      runId,
      validators: policy.kind !== 'static' && policy.kind !== 'static-fitted' && context.validators,
      ...(context.options.maxAttempts === undefined ? {} : { maxAttempts: context.options.maxAttempts }),
      // The learned planner may ask two peers; the cascade asks one (a plain second opinion).
      peers: context.options.peers ?? (policy.kind === 'learned' ? 2 : 1),
    });
    return { correct: totals.correct, costMicroUsd: stack.bookedMicroUsd(runId) };
  } finally {
    stack.dispose();
  }
}

function ratio(part: number, whole: number): number {
  return whole === 0 ? 0 : part / whole;
}

function pct(part: number, whole: number): number {
  return whole === 0 ? 0 : (part / whole) * 100;
}
