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
import { describeChoice, describeComplexity, describeDropped, describeType } from './reason.ts';
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

/** Builds a router; all rules are compiled here, so `decide` does no parsing or regex building. */
export function createRouter(options: RouterOptions): Router {
  const { catalog, config } = options;
  const classifier = createClassifier(options.taskTypes, config.complexity);
  const failures: FailureWindow = createFailureWindow(config.complexity.recentFailures.window);
  const quality = options.quality ?? createPriorQualityEstimator(catalog);
  const throttle = options.throttle ?? noThrottle;
  const usable = options.usable ?? everyModel;

  const decide = (request: RoutingRequest): RoutingDecision => {
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
    const { category } = complexity;
    const head = [
      describeType(classification),
      describeComplexity(complexity, classification, failures.window),
    ];
    const level = throttle();
    const pinned = request.pinnedModel;
    const pinnedSpec = pinned === undefined ? undefined : catalog.byId.get(pinned);
    const base = { classification, complexity, category, throttle: level };
    if (pinnedSpec !== undefined) {
      const cost = tokenCostMicroUsd(pinnedSpec, contextTokens, classification.expectedOutputTokens);
      head.push(
        `pinned model ${pinnedSpec.id} (${pinnedSpec.provider}, tier ${pinnedSpec.tier}) used as is (est. ${formatUsd(cost)})`,
      );
      return {
        ...base,
        model: pinnedSpec,
        tiers: [pinnedSpec.tier],
        rule: 'pinned',
        estimatedCostMicroUsd: cost,
        candidates: [],
        reason: head.join('; '),
      };
    }
    if (pinned !== undefined) {
      const suggestion = didYouMean(pinned, catalog.byId.keys());
      head.push(
        `pinned model ${JSON.stringify(pinned)} is not in the model catalog${suggestion === undefined ? '' : ` (did you mean ${JSON.stringify(suggestion)}?)`}, so routed normally`,
      );
    }
    const policy = config.categories[category];
    const window = tierWindow({
      categoryTiers: policy.tiers,
      task: request.tier,
      requestedTier: request.requestedTier,
      attempt: request.attempt ?? 1,
      throttle: level,
      throttleCap: config.throttle[level],
    });
    head.push(`${describeTiers(window.tiers)} (${[`${category}`, ...window.notes].join('; ')})`);
    const features = { category, complexity: complexity.score };
    const selection = selectModel({
      models: catalog.models,
      allowed: window.allowed,
      policy,
      inputTokens: contextTokens,
      outputTokens: classification.expectedOutputTokens,
      exclude:
        request.excludeModels === undefined || request.excludeModels.length === 0
          ? noExclusions
          : new Set(request.excludeModels),
      estimate: (model) => quality.estimate(classification.taskType, model.id, features),
      usable,
    });
    const { chosen, rule } = selection;
    if (chosen === undefined || rule === 'none') {
      head.push(
        `no model can be used: ${selection.candidates.map((c) => `${c.model.id}: ${c.dropped}`).join('; ') || `the catalog has no model at ${describeTiers(window.tiers)}`}`,
      );
    } else {
      head.push(describeChoice(chosen, rule, policy));
      head.push(describeDropped(selection.candidates));
    }
    return {
      ...base,
      model: chosen?.model,
      tiers: window.tiers,
      rule,
      estimatedCostMicroUsd: chosen?.estimatedCostMicroUsd ?? 0,
      candidates: selection.candidates,
      reason: head.join('; '),
    };
  };

  return { decide, recordOutcome: failures.record, classifier };
}
