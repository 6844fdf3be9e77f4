// The real subscribers the eval replays through: the router and the tier upgrade of src/routing, the
// cost tracker of src/cost on an in-memory ledger, and the outcome learner, all on one bus.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { defaultBudgetConfig } from '../config/budgets.ts';
import { createModelCatalog, type ModelCatalog } from '../config/models.ts';
import {
  bundledConfigDir,
  type CategoryPolicy,
  parseRoutingConfig,
  type RoutingConfig,
} from '../config/routing.ts';
import type { TaskTypeCatalog } from '../config/task-types.ts';
import { priceBookFromCatalog, runCostSummary, subscribeCostTracker } from '../cost/index.ts';
import { createEventBus, type EventBus } from '../events/index.ts';
import { type Learner, type LearnerSubscription, subscribeLearner } from '../learning/index.ts';
import type { Planner } from '../routing/plan.ts';
import { subscribeRouter } from '../routing/subscriber.ts';
import { subscribeTierUpgrade } from '../routing/tier-upgrade.ts';
import { openStateDatabase } from '../store/index.ts';
import { type EvalCatalog, taskTypeOf } from './catalog.ts';

/** What every stack of one eval shares: the catalog as the router sees it, task types, routing settings. */
export type EvalEnvironment = {
  catalog: EvalCatalog;
  models: ModelCatalog;
  taskTypes: TaskTypeCatalog;
  routing: RoutingConfig;
};

/** Translates the eval catalog into the router's model catalog, task types and settings. */
export function createEvalEnvironment(catalog: EvalCatalog, categories: readonly string[]): EvalEnvironment {
  const models = createModelCatalog({
    pricesAsOf: '2024-01-01',
    models: catalog.models.map((model) => ({
      id: model.id,
      provider: 'replay',
      tier: model.tier,
      inputUsdPerMillion: model.inputUsdPerMillion,
      outputUsdPerMillion: model.outputUsdPerMillion,
      contextWindowTokens: 1_000_000,
      latencyMs: model.latencyMs,
      quality: model.qualityPrior,
      free: false,
    })),
  });
  const ids = [...new Set(categories.map(taskTypeOf))].sort();
  const taskTypes: TaskTypeCatalog = {
    defaultType: ids[0] ?? 'task',
    simpleRequest: { maxWords: 1, words: [] },
    types: (ids.length === 0 ? ['task'] : ids).map((id) => ({
      id,
      complexity: 2,
      expectedOutputTokens:
        Object.entries(catalog.categories).find(([name]) => taskTypeOf(name) === id)?.[1]
          .expectedOutputTokens ?? 200,
      keywords: [],
      patterns: [],
    })),
  };
  const routing = parseRoutingConfig(
    readFileSync(join(bundledConfigDir, 'routing.yaml'), 'utf8'),
    'routing.yaml',
  );
  return { catalog, models, taskTypes, routing };
}

/**
 * The routing settings of one knob value: every category gets the knob as its minimum quality and every
 * tier; cost caps and SLAs are lifted (the dataset has no latency), so the rule that decides is the
 * router's own: cheapest model meeting the quality bar, else the best estimate. Upgrades climb 1 -> 2 -> 3 -> 4.
 */
export function routingForKnob(base: RoutingConfig, knob: number): RoutingConfig {
  const policy: CategoryPolicy = {
    minQuality: knob,
    maxCostMicroUsd: 1_000_000_000,
    slaMs: 86_400_000,
    tiers: [1, 2, 3, 4],
  };
  return {
    ...base,
    mode: 'on',
    categories: { FAST: policy, NORMAL: policy, COMPLEX: policy, HIGH_COMPLEX: policy },
    throttle: {},
    upgrade: { next: [undefined, 2, 3, 4, undefined], maxUpgrades: 4, skipOn: new Set() },
  };
}

export type EvalStack = {
  bus: EventBus;
  /** The text of the prompt being routed: the learner's prompt-level features. */
  setText: (text: string) => void;
  learning: LearnerSubscription;
  /** What the cost tracker booked for a run, in micro-USD. */
  bookedMicroUsd: (runId: string) => number;
  dispose: () => void;
};

/**
 * Subscribes the real router (with the learned planner, when given), tier upgrade, cost tracker and learner
 * on a fresh bus.
 */
export function createEvalStack(
  environment: EvalEnvironment,
  learner: Learner,
  knob: number,
  planner?: Planner,
): EvalStack {
  const bus = createEventBus();
  const db = openStateDatabase(':memory:');
  const config = routingForKnob(environment.routing, knob);
  let text = '';
  const disposers = [
    subscribeRouter(bus, {
      catalog: environment.models,
      taskTypes: environment.taskTypes,
      config,
      mode: 'on',
      // The router passes category and complexity; the eval adds the prompt's text for similar-task estimates.
      quality: {
        estimate: (taskType, model, features) => learner.estimate(taskType, model, { ...features, text }),
      },
      ...(planner === undefined ? {} : { planner }),
    }),
    subscribeTierUpgrade(bus, { catalog: environment.models, config, mode: 'on' }),
    subscribeCostTracker(bus, {
      db,
      priceBook: priceBookFromCatalog(environment.models),
      config: { ...defaultBudgetConfig, budgets: [] },
    }),
  ];
  const learning = subscribeLearner(bus, learner);
  return {
    bus,
    setText: (value) => {
      text = value;
    },
    learning,
    bookedMicroUsd: (runId) => runCostSummary(db, runId).totalMicroUsd,
    dispose: () => {
      learning.dispose();
      for (const dispose of disposers) dispose();
      db.close();
    },
  };
}
