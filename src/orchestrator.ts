// The composition root: builds the bus, providers, subscribers and coordinator from config. The only
// place where routing, cost, learning, the journal and the coordinator are wired together.
import { randomUUID } from 'node:crypto';
import { loadAgentModule } from './agents/load-module.ts';
import { createAgentRegistry } from './agents/registry.ts';
import { createValidatorRegistry } from './agents/validators.ts';
import { type Clock, systemClock } from './clock.ts';
import { loadConfig, type TierflowConfig } from './config/load.ts';
import { defaultModelOf, type ModelCatalog, type ModelSpec } from './config/models.ts';
import { costMicroUsd } from './config/pricing.ts';
import { type RoutingMode, resolveRoutingMode } from './config/routing.ts';
import { type Coordinator, createCoordinator, type RunResult } from './coordinator/index.ts';
import { createLedger } from './cost/ledger.ts';
import { type PriceBook, priceBookFromCatalog, priceTokens } from './cost/price-book.ts';
import { cacheThrottleLevel, createThrottleReader } from './cost/throttle-state.ts';
import { subscribeCostTracker } from './cost/tracker.ts';
import { didYouMeanHint } from './diagnostics/index.ts';
import { OrchestratorError } from './errors.ts';
import { createEventBus, type Dispose, type EventBus } from './events/bus.ts';
import type { ModelRef } from './events/vocabulary.ts';
import {
  coordinatorOptionsOf,
  crashHookFromEnv,
  createRunJournal,
  type RunJournal,
  resumeJournalled,
  runJournalled,
  wholeRunResult,
  workflowPathOf,
} from './journal/index.ts';
import { createLearner, type Learner } from './learning/learner.ts';
import { checkPlannerOptions, createPlanner, type PlannerOptions } from './learning/planner.ts';
import { createSqliteOutcomeStore } from './learning/sqlite-store.ts';
import { subscribeLearner } from './learning/subscriber.ts';
import { type Logger, silentLogger } from './log.ts';
import type {
  Orchestrator,
  OrchestratorOptions,
  OrchestratorRunOptions,
  PlanningOptions,
} from './orchestrator-options.ts';
import { createProviderRegistry, createScrubbingLogger, type ProviderRegistry } from './providers/index.ts';
import { subscribeRouter } from './routing/subscriber.ts';
import { subscribeTierUpgrade } from './routing/tier-upgrade.ts';
import { openStateDatabase, resolveStatePath, type StateDatabase } from './store/index.ts';
import { resolveWorkflowInputs } from './workflow/inputs.ts';
import { loadWorkflow, type ParseWorkflowOptions } from './workflow/load.ts';
import type { Workflow } from './workflow/model.ts';

export type {
  Feedback,
  Orchestrator,
  OrchestratorOptions,
  OrchestratorResumeOptions,
  OrchestratorRunOptions,
  PlanningOptions,
} from './orchestrator-options.ts';

/** What every part is built from. */
type Parts = {
  options: OrchestratorOptions;
  config: TierflowConfig;
  bus: EventBus;
  clock: Clock;
  logger: Logger;
  providers: ProviderRegistry;
  db: StateDatabase;
  priceBook: PriceBook;
  mode: RoutingMode;
  /** The learned planner's options, checked; undefined when plans are off. */
  planning: PlannerOptions | undefined;
};

/**
 * Creates an orchestrator from config: providers (the offline simulation when no key is set), the
 * router and tier-upgrade subscribers, the cost tracker with its ledger, the outcome learner, the run
 * journal, and the coordinator, which meets them only on the bus.
 * @example
 * const orchestrator = await createOrchestrator();
 * const result = await orchestrator.run('workflows/scout-plan-build.yaml', { input: { goal: 'add a flag' } });
 */
export async function createOrchestrator(options: OrchestratorOptions = {}): Promise<Orchestrator> {
  const env = options.env ?? process.env;
  const config = options.config ?? (await loadConfig(options.configDir));
  const clock = options.clock ?? systemClock;
  const bus = createEventBus();
  const providers = createProviderRegistry(config.providers, env, {
    clock,
    bus,
    log: options.logger ?? silentLogger,
    seed: options.seed ?? 0,
    catalog: (id) => config.models.byId.get(id),
  });
  // Every log line of every part goes through the scrubber, which knows each key value read.
  const logger = createScrubbingLogger(options.logger ?? silentLogger, providers.scrubber);
  const mode = options.routing ?? resolveRoutingMode(config.routing.mode, env);
  const priceBook = priceBookFromCatalog(config.models);
  // Everything that can refuse the options is decided before the state database is opened.
  const wiring = coordinatorWiring({ config, providers, options, priceBook, mode });
  const planning =
    options.learning === false || options.planning === false
      ? undefined
      : plannerOptions(options.planning ?? {}, config.models);
  const statePath =
    options.statePath === false ? undefined : resolveStatePath({ flag: options.statePath, env });
  const db = openStateDatabase(statePath ?? ':memory:');
  try {
    return assemble(
      { options, config, bus, clock, logger, providers, db, priceBook, mode, planning },
      wiring,
      env,
      statePath,
    );
  } catch (error) {
    db.close();
    throw error;
  }
}

/** Subscribes every part to the bus and returns the orchestrator over them. */
function assemble(
  parts: Parts,
  wiring: ReturnType<typeof coordinatorWiring>,
  env: Readonly<Record<string, string | undefined>>,
  statePath: string | undefined,
): Orchestrator {
  const { options, config, bus, clock, logger, providers, db } = parts;
  const journal = options.journal === false ? undefined : createJournal(parts, env);
  const learner = options.learning === false ? undefined : createLearnerOf(parts);
  const learnerSubscription = learner === undefined ? undefined : subscribeLearner(bus, learner, { clock });
  const disposers = [
    ...subscribeDeciders(parts, learner, journal),
    ...(learnerSubscription === undefined ? [] : [learnerSubscription.dispose]),
    ...(journal === undefined ? [] : [journal.subscribe(bus), journal.close]),
  ];
  const agents = createAgentRegistry({ hiddenEnv: providers.secretVariables });
  const validators = createValidatorRegistry({ hiddenEnv: providers.secretVariables });
  const coordinator = createCoordinator({
    ...wiring,
    bus,
    agents,
    validators,
    clock,
    logger,
  });
  // Every name a workflow file may use, checked at load in one pass with its schema.
  const known = () => ({
    knownAgents: agents.names(),
    knownPredicates: validators.names(),
    knownTaskTypes: config.taskTypes.types.map((type) => type.id),
    knownModels: [...config.models.byId.keys()],
  });

  let closed = false;
  const open = () => {
    if (closed) throw new OrchestratorError('INTERNAL', 'This orchestrator is closed; create a new one.');
  };
  return {
    bus,
    agents,
    validators,
    config,
    providers,
    statePath,
    db,
    journal,
    loadAgents: (modulePath) => loadAgentModule(modulePath, agents, validators),
    run: async (workflow, runOptions = {}) => {
      open();
      const loaded = typeof workflow === 'string' ? await loadWorkflow(workflow, known()) : workflow;
      const result = await runLoaded({ options, env, journal, coordinator }, loaded, runOptions);
      await bus.settled();
      return result;
    },
    resume: async (runId, resumeOptions = {}) => {
      open();
      if (journal === undefined) {
        throw new OrchestratorError(
          'RUN_NOT_FOUND',
          `Run "${runId}" cannot be resumed: the journal is off.`,
          {
            hint: 'Create the orchestrator without `journal: false`.',
          },
        );
      }
      const result = await resumeWith(journal, coordinator, runId, resumeOptions, known);
      await bus.settled();
      // Restored tasks and the cost as the journal and the ledger have them: the whole run.
      return wholeRunResult(result.result, db, result.restored);
    },
    feedback: (runId, taskId, verdict) => learnerSubscription?.feedback(runId, taskId, verdict) !== undefined,
    close: async () => {
      if (closed) return;
      closed = true;
      await bus.settled();
      for (const dispose of disposers) dispose();
      db.close();
    },
  };
}

/** Runs a loaded workflow, journalled when the journal is on (so it can be resumed). */
function runLoaded(
  parts: {
    options: OrchestratorOptions;
    env: Readonly<Record<string, string | undefined>>;
    journal: RunJournal | undefined;
    coordinator: Coordinator;
  },
  loaded: Workflow,
  runOptions: OrchestratorRunOptions,
): Promise<RunResult> {
  const { options, env, journal, coordinator } = parts;
  const sessionId = runOptions.sessionId ?? options.sessionId ?? env.TIERFLOW_SESSION;
  const { meta, ...coordinatorOptions } = runOptions;
  const seed = options.seed ?? 0;
  const base = { ...coordinatorOptions, ...(sessionId === undefined ? {} : { sessionId }), seed };
  if (journal === undefined) return coordinator.run(loaded, base);
  return runJournalled(
    journal,
    {
      runId: runOptions.runId ?? randomUUID(),
      workflow: loaded,
      input: resolveWorkflowInputs(loaded, runOptions.input ?? {}),
      seed,
      sessionId,
      // The priority floor goes with the run, so a resume keeps it.
      meta: { ...meta, ...(runOptions.priority === undefined ? {} : { priority: runOptions.priority }) },
      signal: runOptions.signal,
    },
    (definition, journalled) => coordinator.run(definition, { ...base, ...coordinatorOptionsOf(journalled) }),
  );
}

/** The router, the tier upgrade and the cost tracker: the deciders the coordinator asks on the bus. */
function subscribeDeciders(
  parts: Parts,
  learner: Learner | undefined,
  journal: RunJournal | undefined,
): Dispose[] {
  const { bus, config, clock, logger, providers, db, mode } = parts;
  const usable = (model: ModelSpec) => providers.unusableReason(model) ?? true;
  const throttle = cacheThrottleLevel(
    bus,
    clock,
    createThrottleReader({ db, config: config.budgets, clock }),
  );
  return [
    subscribeRouter(bus, {
      catalog: config.models,
      taskTypes: config.taskTypes,
      config: config.routing,
      mode,
      logger,
      usable,
      throttle: throttle.level,
      ...(learner === undefined ? {} : { quality: learner }),
      ...(learner === undefined || parts.planning === undefined
        ? {}
        : { planner: createPlanner(learner, parts.planning) }),
    }),
    subscribeTierUpgrade(bus, { catalog: config.models, config: config.routing, usable, mode }),
    subscribeCostTracker(bus, {
      db,
      priceBook: parts.priceBook,
      config: config.budgets,
      clock,
      logger,
      // The journal books each attempt inside its own commit.
      settleOnEvents: journal === undefined,
      ...(parts.options.countTokens === undefined ? {} : { countTokens: parts.options.countTokens }),
    }),
    throttle.dispose,
  ];
}

/** How the coordinator resolves, prices and waits: from the catalog and the routing mode. */
function coordinatorWiring(parts: Pick<Parts, 'config' | 'providers' | 'options' | 'priceBook' | 'mode'>) {
  const { config, providers, options, priceBook, mode } = parts;
  const catalog = config.models;
  const refOf = (model: ModelSpec): ModelRef => ({
    id: model.id,
    provider: model.provider,
    tier: model.tier,
  });
  const fallback = defaultModelOf(
    catalog,
    (model) => providers.isUsable(model),
    options.defaultModel,
    config.files['models.yaml'],
  );
  const strongest = catalog.byId.get(priceBook.strongest()?.modelId ?? '');
  const timeoutMs = options.decisionTimeoutMs ?? 2000;
  const routed = mode !== 'off';
  return {
    // Error messages of handlers and SDKs may quote a key (in a URL, say): scrubbed before any event.
    redact: (text: string) => providers.scrubber.scrub(text),
    providerFor: (model: ModelRef) => providers.providerFor(model),
    resolveModel: (id: string) => {
      const model = catalog.byId.get(id);
      return model === undefined ? undefined : refOf(model);
    },
    taskTypes: config.taskTypes.types.map((type) => type.id),
    defaultModel: fallback === undefined ? undefined : refOf(fallback),
    priceUsage: (model: ModelRef, usage: Parameters<typeof costMicroUsd>[1]) => {
      const spec = catalog.byId.get(model.id);
      return spec === undefined ? undefined : costMicroUsd(spec, usage);
    },
    ...(strongest === undefined
      ? {}
      : {
          baselineCost: (attempt: { usage: Parameters<typeof costMicroUsd>[1] }) =>
            costMicroUsd(strongest, attempt.usage),
        }),
    decisions: {
      modelSelection: { await: routed, timeoutMs },
      admission: { await: true, timeoutMs },
      tierUpgrade: { await: routed, timeoutMs },
    },
    ...(options.maxConcurrency === undefined ? {} : { maxConcurrency: options.maxConcurrency }),
  };
}

function createJournal(parts: Parts, env: Readonly<Record<string, string | undefined>>): RunJournal {
  const { db, config, clock, priceBook, options } = parts;
  return createRunJournal({
    db,
    ledger: createLedger({ db, config: config.budgets, clock }),
    baselineOf: (_model, inputTokens, outputTokens) => {
      const strongest = priceBook.strongest();
      return strongest === undefined
        ? undefined
        : priceTokens(strongest, inputTokens ?? 0, outputTokens ?? 0);
    },
    clock,
    crash: crashHookFromEnv(env),
    ...(options.leaseMs === undefined ? {} : { leaseMs: options.leaseMs }),
  });
}

const planningKeys = ['knob', 'strongest', 'minTasks', 'maxOutcomes'];

/** The planner's options; a `strongest` the catalog does not have is refused with the nearest model. */
function plannerOptions(options: PlanningOptions, models: ModelCatalog): PlannerOptions {
  checkPlanningShape(options);
  const { knob, strongest, minTasks, maxOutcomes } = options;
  if (strongest !== undefined && !models.byId.has(strongest)) {
    throw new OrchestratorError(
      'MODEL_UNKNOWN',
      `planning.strongest "${strongest}" is not in the model catalog.`,
      {
        hint:
          didYouMeanHint(strongest, models.byId.keys()) ?? 'Name a model of models.yaml, or leave it out.',
      },
    );
  }
  const checked = {
    ...(knob === undefined ? {} : { knob }),
    ...(strongest === undefined ? {} : { strongest }),
    ...(minTasks === undefined ? {} : { minTasks }),
    ...(maxOutcomes === undefined ? {} : { maxOutcomes }),
  };
  checkPlannerOptions(checked);
  return checked;
}

/** `planning` written in plain JavaScript may be anything: an object of the known keys, numbers and a name. */
function checkPlanningShape(options: unknown): asserts options is PlanningOptions {
  const refuse = (message: string, hint?: string) => {
    throw new OrchestratorError('CONFIG_INVALID', message, hint === undefined ? {} : { hint });
  };
  if (typeof options !== 'object' || options === null || Array.isArray(options))
    refuse(
      `planning is ${JSON.stringify(options)}; expected { knob?, strongest?, minTasks?, maxOutcomes? } or false.`,
    );
  for (const [key, value] of Object.entries(options as Record<string, unknown>)) {
    if (!planningKeys.includes(key))
      refuse(
        `planning.${key} is not an option; expected one of ${planningKeys.join(', ')}.`,
        didYouMeanHint(key, planningKeys),
      );
    const wanted = key === 'strongest' ? 'string' : 'number';
    if (value !== undefined && typeof value !== wanted)
      refuse(
        `planning.${key} is ${JSON.stringify(value)}; expected a ${wanted === 'string' ? 'model id' : 'number'}.`,
      );
  }
}

function createLearnerOf(parts: Parts): Learner {
  const { config, db, clock } = parts;
  return createLearner({
    priorOf: (id) => config.models.byId.get(id)?.quality,
    store: createSqliteOutcomeStore(db),
    clock,
  });
}

/** Resumes a journalled run; also says which tasks were restored from the journal. */
async function resumeWith(
  journal: RunJournal,
  coordinator: Coordinator,
  runId: string,
  options: Parameters<Orchestrator['resume']>[1] & object,
  known: () => Omit<ParseWorkflowOptions, 'file' | 'yaml'>,
) {
  let restored: string[] = [];
  const result = await resumeJournalled(
    journal,
    runId,
    {
      ...options,
      onPlan: (plan, record) => {
        restored = Object.keys(plan.succeeded);
        options.onPlan?.(plan, record);
      },
      load: async (record) => options.workflow ?? (await loadWorkflow(workflowPathOf(record), known())),
    },
    (definition, journalled) => coordinator.run(definition, coordinatorOptionsOf(journalled)),
  );
  return { result, restored };
}
