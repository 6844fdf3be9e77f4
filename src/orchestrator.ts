// The composition root: builds the bus, providers, subscribers and coordinator from config. The only
// place where routing, cost, learning and the coordinator are wired together.
import { randomUUID } from 'node:crypto';
import { loadAgentModule } from './agents/load-module.ts';
import { type AgentRegistry, createAgentRegistry } from './agents/registry.ts';
import { createValidatorRegistry, type ValidatorRegistry } from './agents/validators.ts';
import { type Clock, systemClock } from './clock.ts';
import { loadConfig, type TierflowConfig } from './config/load.ts';
import type { ModelSpec } from './config/models.ts';
import { costMicroUsd } from './config/pricing.ts';
import { type RoutingMode, resolveRoutingMode } from './config/routing.ts';
import type { RunOptions, RunResult } from './coordinator/index.ts';
import { createCoordinator } from './coordinator/index.ts';
import { createLedger } from './cost/ledger.ts';
import { createPriceBook, priceTokens } from './cost/price-book.ts';
import { createThrottleReader } from './cost/throttle-state.ts';
import { subscribeCostTracker } from './cost/tracker.ts';
import { OrchestratorError } from './errors.ts';
import { createEventBus, type Dispose, type EventBus } from './events/bus.ts';
import type { Json, ModelRef } from './events/vocabulary.ts';
import {
  crashHookFromEnv,
  createRunJournal,
  type JournalledRunOptions,
  type ResumeOptions,
  type ResumePlan,
  type RunJournal,
  type RunRecord,
  resumeJournalled,
  runJournalled,
  wholeRunResult,
} from './journal/index.ts';
import { createLearner } from './learning/learner.ts';
import type { Verdict } from './learning/outcome.ts';
import { createSqliteOutcomeStore } from './learning/sqlite-store.ts';
import { subscribeLearner } from './learning/subscriber.ts';
import { type Logger, silentLogger } from './log.ts';
import {
  createProviderRegistry,
  createScrubbingLogger,
  type Environment,
  type ProviderRegistry,
} from './providers/index.ts';
import { subscribeRouter } from './routing/subscriber.ts';
import { subscribeTierUpgrade } from './routing/tier-upgrade.ts';
import { openStateDatabase, resolveStatePath, type StateDatabase } from './store/index.ts';
import { resolveWorkflowInputs } from './workflow/inputs.ts';
import { loadWorkflow } from './workflow/load.ts';
import type { Workflow } from './workflow/model.ts';

export type OrchestratorOptions = {
  /** A config directory; files it lacks come from the shipped config/. @default the shipped config/ */
  configDir?: string;
  /** Already loaded config; wins over `configDir`. */
  config?: TierflowConfig;
  /** Where provider keys, base URLs and TIERFLOW_* settings are read. @default process.env */
  env?: Environment;
  /** @default silentLogger */
  logger?: Logger;
  /** @default systemClock */
  clock?: Clock;
  /** The embedded database of the ledger and outcomes; `false` keeps both in memory for this process. @default `--state`, TIERFLOW_STATE, else .tierflow/state.db */
  statePath?: string | false;
  /** Budgets per session; `TIERFLOW_SESSION` when set. @default the run id (each run its own session) */
  sessionId?: string;
  /** on | shadow | off. @default TIERFLOW_ROUTING, else `mode` of routing.yaml */
  routing?: RoutingMode;
  /** The model of agents that name none, when no router answers. @default the first usable tier-2 model of the catalog */
  defaultModel?: string;
  /** Seed of the offline simulation. @default 0 */
  seed?: number;
  /** How long the coordinator waits for a router's or cost tracker's answer. @default 2000 */
  decisionTimeoutMs?: number;
  /** Replaces every workflow's `concurrency.max`. */
  maxConcurrency?: number;
  /** Learn from outcomes and feed the router's quality estimates. @default true */
  learning?: boolean;
  /** Journal every run in the state database so it can be resumed (`orchestrator.resume`). @default true */
  journal?: boolean;
  /** How long a run's lease outlives a coordinator that stopped renewing it. @default 15000 */
  leaseMs?: number;
};

/** What `orchestrator.run` takes besides the workflow. */
export type OrchestratorRunOptions = Omit<RunOptions, 'sessionId' | 'seed' | 'resume'> & {
  sessionId?: string;
  /** Kept in the journal with the run, e.g. how the CLI started it (agents modules, config). */
  meta?: Record<string, Json>;
};

/** What `orchestrator.resume` takes besides the run id. */
export type OrchestratorResumeOptions = ResumeOptions & {
  /** The workflow to continue with. @default loaded from the file the run was started from */
  workflow?: Workflow;
  /** Aborting interrupts the resumed run like any run. */
  signal?: AbortSignal;
  /** Sees what will be skipped and re-run, before anything runs. */
  onPlan?: (plan: ResumePlan, record: RunRecord) => void;
};

/** A late verdict on a task: a review, a test result. */
export type Feedback = Verdict;

/** A ready-to-run tierflow: agents to register, a bus to listen to, workflows to run. */
export type Orchestrator = {
  readonly bus: EventBus;
  readonly agents: AgentRegistry;
  /** Validator predicates that tasks name in `validate: { predicate }`. */
  readonly validators: ValidatorRegistry;
  readonly config: TierflowConfig;
  readonly providers: ProviderRegistry;
  /** The state file in use, or undefined when state is kept in memory. */
  readonly statePath: string | undefined;
  /** The state database (ledger, outcomes); shared with reports. */
  readonly db: StateDatabase;
  /** Registers the agents of an ES module (default export: a record of handlers or a register function) and its `validators` export. */
  loadAgents: (modulePath: string) => Promise<string[]>;
  /** Runs a workflow (object or path) to its end; a failing task is an outcome, not an exception. */
  run: (workflow: Workflow | string, options?: OrchestratorRunOptions) => Promise<RunResult>;
  /**
   * Continues a crashed or interrupted run from the journal: succeeded tasks are not run again (their
   * outputs come from the journal), attempts in flight at the crash run again, nothing is booked twice.
   * @throws OrchestratorError RUN_NOT_FOUND, RUN_ALREADY_FINISHED, RUN_LEASE_HELD, RUN_WORKFLOW_CHANGED
   */
  resume: (runId: string, options?: OrchestratorResumeOptions) => Promise<RunResult>;
  /** The run journal, unless `journal: false`. */
  readonly journal: RunJournal | undefined;
  /** Records a verdict that arrives after the run; the learner learns from it like any outcome. */
  feedback: (runId: string, taskId: string, verdict: Feedback) => boolean;
  /** Removes every subscriber and closes the state database. */
  close: () => Promise<void>;
};

/**
 * Creates an orchestrator from config: providers (the offline simulation when no key is set), the
 * router and tier-upgrade subscribers, the cost tracker with its ledger, the outcome learner, and the
 * coordinator, which meets them only on the bus.
 * @example
 * const orchestrator = await createOrchestrator();
 * const result = await orchestrator.run('workflows/scout-plan-build.yaml', { input: { goal: 'add a flag' } });
 */
export async function createOrchestrator(options: OrchestratorOptions = {}): Promise<Orchestrator> {
  const env = options.env ?? process.env;
  const config = options.config ?? (await loadConfig(options.configDir));
  const clock = options.clock ?? systemClock;
  const bus = createEventBus();
  const catalog = config.models;
  const providers = createProviderRegistry(config.providers, env, {
    clock,
    bus,
    log: options.logger ?? silentLogger,
    seed: options.seed ?? 0,
    catalog: (id) => catalog.byId.get(id),
  });
  // Every log line of every part goes through the scrubber, which knows each key value read.
  const logger = createScrubbingLogger(options.logger ?? silentLogger, providers.scrubber);
  const statePath =
    options.statePath === false ? undefined : resolveStatePath({ flag: options.statePath, env });
  const db = openStateDatabase(statePath ?? ':memory:');
  const mode = options.routing ?? resolveRoutingMode(config.routing.mode, env);
  const usable = (model: ModelSpec) => providers.unusableReason(model) ?? true;
  const refOf = (model: ModelSpec): ModelRef => ({
    id: model.id,
    provider: model.provider,
    tier: model.tier,
  });
  const defaultModel = pickDefaultModel(config, providers, options.defaultModel);

  const priceBook = createPriceBook(
    catalog.models.map((model) => ({
      id: model.id,
      tier: model.tier,
      inputMicroUsdPerMTok: model.inputMicroUsdPerMillion,
      outputMicroUsdPerMTok: model.outputMicroUsdPerMillion,
    })),
  );
  const strongest = catalog.byId.get(priceBook.strongest()?.modelId ?? '');
  const readThrottle = createThrottleReader({ db, config: config.budgets, clock });
  const throttle = cachedThrottle(bus, clock, () => readThrottle().level);

  const journal =
    options.journal === false
      ? undefined
      : createRunJournal({
          db,
          ledger: createLedger({ db, config: config.budgets, clock }),
          baselineOf: (_model, inputTokens, outputTokens) => {
            const strongestPrice = priceBook.strongest();
            return strongestPrice === undefined
              ? undefined
              : priceTokens(strongestPrice, inputTokens ?? 0, outputTokens ?? 0);
          },
          clock,
          crash: crashHookFromEnv(env),
          ...(options.leaseMs === undefined ? {} : { leaseMs: options.leaseMs }),
        });
  const learner =
    options.learning === false
      ? undefined
      : createLearner({
          priorOf: (id) => catalog.byId.get(id)?.quality,
          store: createSqliteOutcomeStore(db),
          clock,
        });
  const disposers: Dispose[] = [
    subscribeRouter(bus, {
      catalog,
      taskTypes: config.taskTypes,
      config: config.routing,
      mode,
      logger,
      usable,
      throttle: throttle.level,
      ...(learner === undefined
        ? {}
        : {
            quality: {
              estimate: (taskType, modelId, features) => learner.estimate(taskType, modelId, features),
            },
          }),
    }),
    subscribeTierUpgrade(bus, { catalog, config: config.routing, usable, mode }),
    subscribeCostTracker(bus, {
      db,
      priceBook,
      config: config.budgets,
      clock,
      logger,
      // The journal books each attempt inside its own commit.
      settleOnEvents: journal === undefined,
    }),
    throttle.dispose,
  ];
  const learnerSubscription = learner === undefined ? undefined : subscribeLearner(bus, learner, { clock });
  if (learnerSubscription !== undefined) disposers.push(learnerSubscription.dispose);
  if (journal !== undefined) disposers.push(journal.subscribe(bus), journal.close);

  const agents = createAgentRegistry({ hiddenEnv: providers.secretVariables });
  const validators = createValidatorRegistry({ hiddenEnv: providers.secretVariables });
  const timeoutMs = options.decisionTimeoutMs ?? 2000;
  const routed = mode !== 'off';
  const coordinator = createCoordinator({
    bus,
    agents,
    validators,
    clock,
    logger,
    providerFor: (model) => providers.providerFor(model),
    resolveModel: (id) => {
      const model = catalog.byId.get(id);
      return model === undefined ? undefined : refOf(model);
    },
    defaultModel: defaultModel === undefined ? undefined : refOf(defaultModel),
    priceUsage: (model, usage) => {
      const spec = catalog.byId.get(model.id);
      return spec === undefined ? undefined : costMicroUsd(spec, usage);
    },
    ...(strongest === undefined ? {} : { baselineCost: (attempt) => costMicroUsd(strongest, attempt.usage) }),
    decisions: {
      modelSelection: { await: routed, timeoutMs },
      admission: { await: true, timeoutMs },
      tierUpgrade: { await: routed, timeoutMs },
    },
    ...(options.maxConcurrency === undefined ? {} : { maxConcurrency: options.maxConcurrency }),
  });

  let closed = false;
  return {
    bus,
    agents,
    validators,
    config,
    providers,
    statePath,
    db,
    loadAgents: (modulePath) => loadAgentModule(modulePath, agents, validators),
    run: async (workflow, runOptions = {}) => {
      if (closed) throw new OrchestratorError('INTERNAL', 'This orchestrator is closed; create a new one.');
      const loaded =
        typeof workflow === 'string'
          ? await loadWorkflow(workflow, { knownAgents: agents.names(), knownPredicates: validators.names() })
          : workflow;
      const sessionId = runOptions.sessionId ?? options.sessionId ?? env.TIERFLOW_SESSION;
      const { meta, ...coordinatorOptions } = runOptions;
      const execute = (definition: Workflow, journalled?: RunOptions) =>
        coordinator.run(definition, {
          ...coordinatorOptions,
          ...(sessionId === undefined ? {} : { sessionId }),
          seed: options.seed ?? 0,
          ...journalled,
        });
      const result =
        journal === undefined
          ? await execute(loaded)
          : await runJournalled(
              journal,
              {
                runId: runOptions.runId ?? randomUUID(),
                workflow: loaded,
                input: resolveWorkflowInputs(loaded, runOptions.input ?? {}),
                seed: options.seed ?? 0,
                sessionId,
                // The priority floor goes with the run, so a resume keeps it.
                meta: {
                  ...meta,
                  ...(runOptions.priority === undefined ? {} : { priority: runOptions.priority }),
                },
                signal: runOptions.signal,
              },
              (definition, journalled) => execute(definition, withoutUndefined(journalled)),
            );
      await bus.settled();
      return result;
    },
    resume: async (runId, resumeOptions = {}) => {
      if (closed) throw new OrchestratorError('INTERNAL', 'This orchestrator is closed; create a new one.');
      if (journal === undefined) {
        throw new OrchestratorError(
          'RUN_NOT_FOUND',
          `Run "${runId}" cannot be resumed: the journal is off.`,
          {
            hint: 'Create the orchestrator without `journal: false`.',
          },
        );
      }
      let restored: string[] = [];
      const result = await resumeJournalled(
        journal,
        runId,
        {
          ...resumeOptions,
          onPlan: (plan, record) => {
            restored = Object.keys(plan.succeeded);
            resumeOptions.onPlan?.(plan, record);
          },
          load: async (record) =>
            resumeOptions.workflow ??
            (await loadWorkflow(workflowPathOf(record), {
              knownAgents: agents.names(),
              knownPredicates: validators.names(),
            })),
        },
        (definition, journalled) => coordinator.run(definition, withoutUndefined(journalled)),
      );
      await bus.settled();
      // Restored tasks and the cost as the journal and the ledger have them: the whole run.
      return wholeRunResult(result, db, restored);
    },
    journal,
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

/** The journalled run options, without the keys left undefined (exact optional properties). */
function withoutUndefined(options: JournalledRunOptions): RunOptions {
  const { sessionId, seed, resume, priority, ...rest } = options;
  return {
    ...rest,
    ...(priority === undefined ? {} : { priority }),
    ...(sessionId === undefined ? {} : { sessionId }),
    ...(seed === undefined ? {} : { seed }),
    ...(resume === undefined ? {} : { resume }),
  };
}

/** Where a run's workflow file was. @throws OrchestratorError RUN_NOT_FOUND when it came from an object */
function workflowPathOf(record: RunRecord): string {
  if (record.workflowPath !== undefined) return record.workflowPath;
  throw new OrchestratorError(
    'RUN_NOT_FOUND',
    `Run "${record.runId}" was started from a workflow object, not a file, so resume cannot reload it.`,
    { hint: 'Pass it again: `orchestrator.resume(runId, { workflow })`.' },
  );
}

/** The model used when nothing else names one: the configured id, else the first usable tier-2 model. */
function pickDefaultModel(
  config: TierflowConfig,
  providers: ProviderRegistry,
  configured: string | undefined,
): ModelSpec | undefined {
  if (configured !== undefined) {
    const model = config.models.byId.get(configured);
    if (model === undefined) {
      throw new OrchestratorError(
        'MODEL_UNKNOWN',
        `The default model "${configured}" is not in the model catalog.`,
        {
          hint: `Use one of the ids in ${config.files['models.yaml'] ?? 'models.yaml'}.`,
        },
      );
    }
    return model;
  }
  const usable = config.models.models.filter((model) => providers.isUsable(model));
  return usable.find((model) => model.tier === 2) ?? usable.find((model) => model.tier > 0);
}

/** The throttle level for the router, read from the database at most once a second or on a change. */
function cachedThrottle(bus: EventBus, clock: Clock, read: () => ReturnType<ThrottleLevelReader>) {
  let cached: { level: ReturnType<ThrottleLevelReader>; at: number } | undefined;
  const dispose = bus.on('THROTTLE_LEVEL_CHANGED', () => {
    cached = undefined;
  });
  return {
    level: () => {
      const now = clock.now();
      if (cached === undefined || now - cached.at > 1000) cached = { level: read(), at: now };
      return cached.level;
    },
    dispose,
  };
}
type ThrottleLevelReader = () => 'NONE' | 'WARNING' | 'SOFT' | 'HARD' | 'CRITICAL';
