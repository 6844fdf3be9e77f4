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
import { type Candidate, type SelectionRule, selectModel } from './select.ts';
import { describeTiers, tierWindow } from './tier-window.ts';

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

/** Builds a router; all rules are compiled here, so `decide` does no parsing or regex building. */
export function createRouter(options: RouterOptions): Router {
  const { catalog, config } = options;
  const classifier = createClassifier(options.taskTypes, config.complexity);
  const failures: FailureWindow = createFailureWindow(config.complexity.recentFailures.window);
  const quality = options.quality ?? createPriorQualityEstimator(catalog);
  const throttle = options.throttle ?? noThrottle;
  const usable = options.usable ?? everyModel;

  /** Task type, complexity and category: what the model choice rests on. */
  const assess = (request: RoutingRequest): Assessment => {
    const classification = classifier.classify(request.text, request.hints);
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
    return { classification, complexity, category: complexity.category, throttle: throttle(), head };
  };

  const pinnedDecision = (assessment: Assessment, pinned: ModelSpec): RoutingDecision => {
    const { head, ...rest } = assessment;
    const cost = tokenCostMicroUsd(
      pinned,
      rest.complexity.contextTokens,
      rest.classification.expectedOutputTokens,
    );
    head.push(
      `pinned model ${pinned.id} (${pinned.provider}, tier ${pinned.tier}) used as is (est. ${formatUsd(cost)})`,
    );
    const reason = head.join('; ');
    return {
      ...rest,
      model: pinned,
      tiers: [pinned.tier],
      rule: 'pinned',
      estimatedCostMicroUsd: cost,
      candidates: [],
      reason,
    };
  };

  const routedDecision = (assessment: Assessment, request: RoutingRequest): RoutingDecision => {
    const { head, ...rest } = assessment;
    const { category, classification, complexity } = rest;
    const policy = config.categories[category];
    const windowInput = {
      categoryTiers: policy.tiers,
      task: request.tier,
      requestedTier: request.requestedTier,
      attempt: request.attempt ?? 1,
      validated: request.hints?.validated === true,
      throttle: rest.throttle,
      throttleCap: config.throttle[rest.throttle],
    };
    let window = tierWindow(windowInput);
    const features = { category, complexity: complexity.score, text: request.text };
    const excluded = request.excludeModels;
    const exclude = excluded === undefined || excluded.length === 0 ? noExclusions : new Set(excluded);
    const select = (allowed: readonly boolean[]) =>
      selectModel({
        models: catalog.models,
        allowed,
        policy,
        inputTokens: complexity.contextTokens,
        outputTokens: classification.expectedOutputTokens,
        exclude,
        estimate: (model) => quality.estimate(classification.taskType, model.id, features),
        usable,
      });
    let selection = select(window.allowed);
    let fallbackNote: string | undefined;
    if (windowInput.validated && (selection.chosen === undefined || selection.rule === 'none')) {
      // An optimistic start with nothing usable at the cheap tier routes as if unvalidated.
      const whole = tierWindow({ ...windowInput, validated: false });
      if (whole.tiers.join() !== window.tiers.join()) {
        fallbackNote = `no usable model at ${describeTiers(window.tiers)} to start optimistic`;
        window = whole;
        selection = select(window.allowed);
      }
    }
    const notes = fallbackNote === undefined ? window.notes : [...window.notes, `validated: ${fallbackNote}`];
    head.push(`${describeTiers(window.tiers)} (${[category, ...notes].join('; ')})`);
    const { chosen, rule, candidates } = selection;
    if (chosen === undefined || rule === 'none') head.push(describeNoModel(candidates, window.tiers));
    else head.push(describeChoice(chosen, rule, policy), describeDropped(candidates));
    const cost = chosen?.estimatedCostMicroUsd ?? 0;
    const reason = head.join('; ');
    return {
      ...rest,
      model: chosen?.model,
      tiers: window.tiers,
      rule,
      estimatedCostMicroUsd: cost,
      candidates,
      reason,
    };
  };

  const decide = (request: RoutingRequest): RoutingDecision => {
    const assessment = assess(request);
    const pinned = request.pinnedModel;
    if (pinned === undefined) return routedDecision(assessment, request);
    const spec = catalog.byId.get(pinned);
    if (spec !== undefined) return pinnedDecision(assessment, spec);
    assessment.head.push(describeUnknownPin(pinned, didYouMean(pinned, catalog.byId.keys())));
    return routedDecision(assessment, request);
  };

  return { decide, recordOutcome: failures.record, classifier };
}
