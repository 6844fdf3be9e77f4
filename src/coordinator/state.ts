import type { AgentRegistration } from '../agents/types.ts';
import type { ValidatorRegistry } from '../agents/validators.ts';
import type { Clock } from '../clock.ts';
import type { OrchestratorError, SerializedError } from '../errors.ts';
import type { EventBus } from '../events/bus.ts';
import type { ReplyWaiter } from '../events/reply.ts';
import type { Category, Json, ModelRef, Priority, TaskStatus, Tier, Usage } from '../events/vocabulary.ts';
import type { Logger } from '../log.ts';
import type { Provider } from '../providers/types.ts';
import type { TaskDefinition, TemplateScope, Validator, Workflow } from '../workflow/model.ts';
import type { Executor } from './executor.ts';
import type { BaselineCost, DecisionOptions, ResumeState } from './options.ts';
import type { Gate, Schedulable } from './scheduler.ts';

/** The model an attempt runs on and what the router said about the task. */
export type Selection = {
  model: ModelRef | undefined;
  category: Category | undefined;
  complexity: number | undefined;
  estimatedCostMicroUsd: number | undefined;
  /** Models a consensus validator asks, in order: the router's peers of an enforced choice, else none. */
  peers: readonly ModelRef[];
};

/** A peer a consensus asked: its answer (null when none could be read, or the call failed) and cost. */
export type ConsensusPeer = {
  model: string;
  answer: string | null;
  agreed: boolean;
  costMicroUsd: number;
};

/** What a consensus validator compared: the attempt's answer and the peers asked, in order. */
export type Consensus = { answer: string | null; peers: ConsensusPeer[] };

/** What cancellation needs of a running attempt. */
export type RunningAttempt = { abort: (reason: unknown) => void };

/** How one task ended, as its TASK_* event says. */
export type TaskEnd =
  | { status: 'succeeded'; output: Json }
  | { status: 'failed'; error: SerializedError }
  | {
      status: 'skipped';
      cause: 'condition_false' | 'upstream_failed' | 'trigger_not_met' | 'no_items';
      reason: string;
    }
  | { status: 'cancelled'; reason: string };

/** What the run result reports of a task, gathered from its attempts. */
export type TaskTally = {
  attempts: number;
  startedAt: number | undefined;
  endedAt: number | undefined;
  tier: Tier | undefined;
  model: ModelRef | undefined;
  category: Category | undefined;
  complexity: number | undefined;
  costMicroUsd: number;
  baselineMicroUsd: number | undefined;
  inputTokens: number | undefined;
  outputTokens: number | undefined;
  /** Some attempt was answered by the offline simulation. */
  simulated: boolean;
};

/** A task of the workflow during a run. */
export type TaskRecord = {
  definition: TaskDefinition;
  index: number;
  children: readonly number[];
  parents: readonly number[];
  pendingParents: number;
  status: TaskStatus | undefined;
  output: Json | undefined;
  error: SerializedError | undefined;
  /** Set when the task was skipped because of a failure further up: the task that failed. */
  failedRoot: string | undefined;
  tally: TaskTally;
  /** The agent never calls a model: no routing, no admission, tier 0. */
  deterministic: boolean;
  /** The model an attempt runs on when no router answers: pinned, else the agent's, else the default. */
  fallbackModel: ModelRef | undefined;
  /** The selection when no router answers, made once per task. */
  fallbackSelection: Selection;
  /** The items of a `foreach` task while they run. */
  fanOut: FanOut | undefined;
  /** The hints AGENT_INVOKED carries: the task's, with `validated: true` only for a validated optimistic task. */
  hints: Readonly<Record<string, Json>>;
};

export type FanOut = {
  outputs: Json[];
  remaining: number;
  failure: { index: number; error: SerializedError } | undefined;
  cancelled: string | undefined;
};

/** One runnable piece of work (a task, or one item of a `foreach` task) and its attempt chain. */
export type Unit = Schedulable & {
  id: string;
  record: TaskRecord;
  itemIndex: number;
  item: Json | undefined;
  input: Json | undefined;
  prompt: string | undefined;
  priority: Priority;
  attempts: number;
  /** Provider requests beyond one per model call (in-call retries); they count against `retries`. */
  providerRetries: number;
  /** For a resumed unit: attempts counted against `retries` minus attempt numbers used, before this run. */
  priorAdjust: number;
  deadlineAt: number | undefined;
  requestedTier: Tier | undefined;
  /** Models tried in this unit's attempt chain; a shared empty list until the first failure. */
  excludeModels: readonly string[];
  /** The attempt running now, for cancellation. */
  current: RunningAttempt | undefined;
  /** The task's validator with its templates rendered; undefined when the task has none. */
  validator: Validator | undefined;
};

/** Everything an attempt needs from its run; shared, read-mostly. */
export type RunContext = {
  runId: string;
  workflow: Workflow;
  sessionId: string | undefined;
  seed: number | undefined;
  runPriorityRank: number;
  /** The global WIP limit of this run. */
  maxConcurrency: number;
  bus: EventBus;
  clock: Clock;
  log: Logger;
  executor: Executor;
  agent: (name: string) => AgentRegistration | undefined;
  decisions: DecisionOptions;
  selections: ReplyWaiter<'MODEL_SELECTED'> | undefined;
  admissions: ReplyWaiter<'ADMISSION_DECIDED'> | undefined;
  upgrades: ReplyWaiter<'MODEL_TIER_UPGRADE'> | undefined;
  providerFor: (model: ModelRef) => Provider;
  resolveModel: (id: string) => ModelRef | undefined;
  defaultModel: ModelRef | undefined;
  priceUsage: (model: ModelRef, usage: Usage) => number | undefined;
  baselineCost: BaselineCost | undefined;
  renderTemplate: (value: unknown, scope: TemplateScope) => unknown;
  redact: ((text: string) => string) | undefined;
  /** Runs `validate` of tasks (predicates by name, commands). */
  validators: Pick<ValidatorRegistry, 'check' | 'get' | 'names'>;
  /** Where a resumed run stopped; undefined for a fresh run. */
  resume: ResumeState | undefined;
  /** Set once, when the run is cancelled. */
  cancelled: OrchestratorError | undefined;
  /** Aborts on cancellation; backoff and throttle waits listen to it. */
  signal: AbortSignal;
};

export type { Gate };
