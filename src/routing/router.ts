// The routing decision: classify, score, window the tiers, select a model, and say why.
import type { ModelCatalog, ModelSpec } from '../config/models.ts';
import { formatUsd, tokenCostMicroUsd } from '../config/pricing.ts';
import type { RoutingConfig, ThrottleLevel } from '../config/routing.ts';
import type { TaskTypeCatalog } from '../config/task-types.ts';
import { didYouMean } from '../diagnostics/index.ts';
import type { Category, Tier, TierRange } from '../events/vocabulary.ts';
import { type Classification, type Classifier, createClassifier } from './classify.ts';
import { type Complexity, estimateTokens, scoreComplexity } from './complexity.ts';
import { createFailureWindow, type FailureWindow } from './failure-window.ts';
import { createPriorQualityEstimator, type QualityEstimator } from './quality.ts';
import {
  describeChoice,
  describeComplexity,
  describeDropped,
  describeNoModel,
  describeType,
  describeUnknownPin,
} from './reason.ts';
import { type Candidate, type Selection, type SelectionRule, selectModel } from './select.ts';
import { describeTiers, type TierWindow, tierWindow } from './tier-window.ts';

/** Says whether a model can be called now (provider configured, not cooling down): true, or why not. */
export type UsableModel = (model: ModelSpec) => boolean | string;

export type RouterOptions = {
  catalog: ModelCatalog;
  taskTypes: TaskTypeCatalog;
  config: RoutingConfig;
  /** @default the catalog's prior quality of each model */
  quality?: QualityEstimator;
  /** The cost tracker's current throttle level. @default always 'NONE' */
  throttle?: () => ThrottleLevel;
  /** @default every model is usable */
  usable?: UsableModel;
};

/** One task to route; the fields of AGENT_INVOKED that matter. */
export type RoutingRequest = {
  text: string;
  /** Characters of the task's input and prompt. @default the text's length */
  contextChars?: number;
  hints?: Readonly<Record<string, unknown>>;
  tier?: TierRange;
  requestedTier?: Tier;
  pinnedModel?: string;
  excludeModels?: readonly string[];
  /** @default 1 */
  attempt?: number;
};

export type RoutingDecision = {
  /** Undefined when no model of the window can be used at all. */
  readonly model: ModelSpec | undefined;
  readonly classification: Classification;
  readonly complexity: Complexity;
  readonly category: Category;
  readonly tiers: readonly Tier[];
  readonly rule: SelectionRule | 'pinned';
  readonly estimatedCostMicroUsd: number;
  readonly candidates: readonly Candidate[];
  readonly throttle: ThrottleLevel;
  readonly reason: string;
};

export type Router = {
  decide: (request: RoutingRequest) => RoutingDecision;
  /** Feeds the recent-failures factor with a finished attempt of a task type. */
  recordOutcome: (taskType: string, failed: boolean) => void;
  readonly classifier: Classifier;
};

const noExclusions: ReadonlySet<string> = new Set();
const everyModel: UsableModel = () => true;
const noThrottle = () => 'NONE' as const;

type Assessment = Pick<RoutingDecision, 'classification' | 'complexity' | 'category' | 'throttle'> & {
  /** The parts of the reason so far. */
  head: string[];
};

/** What a router's decisions read: its compiled rules and the estimators it was given. */
type RouterParts = {
  catalog: ModelCatalog;
  config: RoutingConfig;
  classifier: Classifier;
  failures: FailureWindow;
  quality: QualityEstimator;
  throttle: () => ThrottleLevel;
  usable: UsableModel;
};

/** Builds a router; all rules are compiled here, so `decide` does no parsing or regex building. */
export function createRouter(options: RouterOptions): Router {
  const { catalog, config } = options;
  const parts: RouterParts = {
    catalog,
    config,
    classifier: createClassifier(options.taskTypes, config.complexity),
    failures: createFailureWindow(config.complexity.recentFailures.window),
    quality: options.quality ?? createPriorQualityEstimator(catalog),
    throttle: options.throttle ?? noThrottle,
    usable: options.usable ?? everyModel,
  };

  const decide = (request: RoutingRequest): RoutingDecision => {
    const assessment = assess(parts, request);
    const pinned = request.pinnedModel;
    if (pinned === undefined) return routedDecision(parts, assessment, request);
    const spec = catalog.byId.get(pinned);
    if (spec !== undefined) return pinnedDecision(assessment, spec);
    assessment.head.push(describeUnknownPin(pinned, didYouMean(pinned, catalog.byId.keys())));
    return routedDecision(parts, assessment, request);
  };

  return { decide, recordOutcome: parts.failures.record, classifier: parts.classifier };
}

/** Task type, complexity and category: what the model choice rests on. */
function assess(parts: RouterParts, request: RoutingRequest): Assessment {
  const { config, failures } = parts;
  const classification = parts.classifier.classify(request.text, request.hints);
  const contextTokens = estimateTokens(
    request.contextChars ?? request.text.length,
    config.complexity.charsPerToken,
  );
  const complexity = scoreComplexity(
    {
      contextTokens,
      typePoints: classification.points,
      filesReferenced: classification.filesReferenced,
      recentFailures: failures.failures(classification.taskType),
    },
    config.complexity,
  );
  const head = [
    describeType(classification),
    describeComplexity(complexity, classification, failures.window),
  ];
  return { classification, complexity, category: complexity.category, throttle: parts.throttle(), head };
}

/** A pinned model runs as is; its cost is still estimated. */
function pinnedDecision(assessment: Assessment, pinned: ModelSpec): RoutingDecision {
  const { head, ...rest } = assessment;
  const cost = tokenCostMicroUsd(
    pinned,
    rest.complexity.contextTokens,
    rest.classification.expectedOutputTokens,
  );
  head.push(
    `pinned model ${pinned.id} (${pinned.provider}, tier ${pinned.tier}) used as is (est. ${formatUsd(cost)})`,
  );
  return {
    ...rest,
    model: pinned,
    tiers: [pinned.tier],
    rule: 'pinned',
    estimatedCostMicroUsd: cost,
    candidates: [],
    reason: head.join('; '),
  };
}

/** The cheapest model of the tier window meeting the category's constraints, with the fallback steps. */
function routedDecision(
  parts: RouterParts,
  assessment: Assessment,
  request: RoutingRequest,
): RoutingDecision {
  const { head, ...rest } = assessment;
  const policy = parts.config.categories[rest.category];
  const { window, selection, note } = selectInWindow(parts, rest, request);
  const notes = note === undefined ? window.notes : [...window.notes, `validated: ${note}`];
  head.push(`${describeTiers(window.tiers)} (${[rest.category, ...notes].join('; ')})`);
  const { chosen, rule, candidates } = selection;
  if (chosen === undefined || rule === 'none') head.push(describeNoModel(candidates, window.tiers));
  else head.push(describeChoice(chosen, rule, policy), describeDropped(candidates));
  return {
    ...rest,
    model: chosen?.model,
    tiers: window.tiers,
    rule,
    estimatedCostMicroUsd: chosen?.estimatedCostMicroUsd ?? 0,
    candidates,
    reason: head.join('; '),
  };
}

/**
 * Selects within the task's tier window; an optimistic (validated) start with nothing usable at its cheap
 * tier routes over the whole window instead, and says so in `note`.
 */
function selectInWindow(
  parts: RouterParts,
  assessment: Omit<Assessment, 'head'>,
  request: RoutingRequest,
): { window: TierWindow; selection: Selection; note: string | undefined } {
  const { category, classification, complexity } = assessment;
  const policy = parts.config.categories[category];
  const windowInput = {
    categoryTiers: policy.tiers,
    task: request.tier,
    requestedTier: request.requestedTier,
    attempt: request.attempt ?? 1,
    validated: request.hints?.validated === true,
    throttle: assessment.throttle,
    throttleCap: parts.config.throttle[assessment.throttle],
  };
  const features = { category, complexity: complexity.score, text: request.text };
  const excluded = request.excludeModels;
  const exclude = excluded === undefined || excluded.length === 0 ? noExclusions : new Set(excluded);
  const select = (allowed: readonly boolean[]) =>
    selectModel({
      models: parts.catalog.models,
      allowed,
      policy,
      inputTokens: complexity.contextTokens,
      outputTokens: classification.expectedOutputTokens,
      exclude,
      estimate: (model) => parts.quality.estimate(classification.taskType, model.id, features),
      usable: parts.usable,
    });
  const window = tierWindow(windowInput);
  const selection = select(window.allowed);
  if (!windowInput.validated || (selection.chosen !== undefined && selection.rule !== 'none'))
    return { window, selection, note: undefined };
  const whole = tierWindow({ ...windowInput, validated: false });
  if (whole.tiers.join() === window.tiers.join()) return { window, selection, note: undefined };
  return {
    window: whole,
    selection: select(whole.allowed),
    note: `no usable model at ${describeTiers(window.tiers)} to start optimistic`,
  };
}
