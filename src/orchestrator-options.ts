// The options and the shape of an orchestrator (see orchestrator.ts, which builds one).
import type { AgentRegistry } from './agents/registry.ts';
import type { ValidatorRegistry } from './agents/validators.ts';
import type { Clock } from './clock.ts';
import type { TierflowConfig } from './config/load.ts';
import type { RoutingMode } from './config/routing.ts';
import type { RunOptions, RunResult } from './coordinator/index.ts';
import type { EventBus } from './events/bus.ts';
import type { Json } from './events/vocabulary.ts';
import type { ResumeOptions, ResumePlan, RunJournal, RunRecord } from './journal/index.ts';
import type { Verdict } from './learning/outcome.ts';
import type { Logger } from './log.ts';
import type { Environment, ProviderRegistry } from './providers/index.ts';
import type { StateDatabase } from './store/index.ts';
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
  /**
   * Plans for validated tasks: the learner chooses how each uses its attempts (pinned cheap models, consensus
   * peers, a tested chain, an escalation) by expected utility, once stored outcomes show how such plans go
   * for the task type; until then tasks are routed attempt by attempt. `knob` prices a correct answer
   * (`knob / (1 - knob)` strongest-model calls); `strongest` names the model escalations go to. False turns
   * plans off. Needs `learning`. @default { knob: 0.85 }
   */
  planning?: false | PlanningOptions;
  /** Journal every run in the state database so it can be resumed (`orchestrator.resume`). @default true */
  journal?: boolean;
  /** How long a run's lease outlives a coordinator that stopped renewing it. @default 15000 */
  leaseMs?: number;
  /** Counts the tokens of a text for cost estimates. @default o200k_base (js-tiktoken) */
  countTokens?: (text: string) => number;
};

/** How the learned planner prices plans (see `planning`). */
export type PlanningOptions = {
  /** In [0, 1): what a correct answer is worth. @default 0.85 */
  knob?: number;
  /** @default the best-estimated model the task may use */
  strongest?: string;
  /** Fewest past tasks a plan statistic may rest on. @default 20 */
  minTasks?: number;
  /** Plans are fitted on at most this many of the newest stored outcomes. @default 50000 */
  maxOutcomes?: number;
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
