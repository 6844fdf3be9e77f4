import type { ValidatorRegistry } from '../agents/validators.ts';
import type { Clock } from '../clock.ts';
import type { EventBus } from '../events/bus.ts';
import type { Json, ModelRef, Priority, Usage } from '../events/vocabulary.ts';
import type { Logger } from '../log.ts';
import type { Provider } from '../providers/types.ts';
import type { TemplateScope } from '../workflow/model.ts';
import type { AgentLookup, Executor } from './executor.ts';

/** Whether the coordinator waits for one kind of decision on the bus, and for how long. */
export type DecisionWait = {
  /** False: the coordinator never waits for this answer. @default false */
  await: boolean;
  /** How long to wait for the answer before using the documented default. @default 2000 */
  timeoutMs: number;
};

/**
 * The decisions the coordinator asks for on the bus. With `await: false` it does not wait at all.
 * - modelSelection: AGENT_INVOKED (always emitted) -> MODEL_SELECTED. Not awaited, or no answer
 *   in time: the agent's `defaultModel`, else the coordinator's `defaultModel`.
 * - admission: ADMISSION_REQUESTED (emitted only when awaited) -> ADMISSION_DECIDED. Not awaited,
 *   or no answer in time: allowed.
 * - tierUpgrade: AGENT_FAILED with willRetry (always emitted) -> MODEL_TIER_UPGRADE. Not awaited,
 *   or no answer in time: the retry keeps the tier it asked for before.
 */
export type DecisionOptions = {
  modelSelection: DecisionWait;
  admission: DecisionWait;
  tierUpgrade: DecisionWait;
};

export const defaultDecisions: DecisionOptions = {
  modelSelection: { await: false, timeoutMs: 2000 },
  admission: { await: false, timeoutMs: 2000 },
  tierUpgrade: { await: false, timeoutMs: 2000 },
};

/** What one attempt would have cost on the baseline model, for `cost.baselineUsd`. */
export type BaselineCost = (attempt: {
  taskId: string;
  model: ModelRef | undefined;
  usage: Usage;
}) => number | undefined;

export type CoordinatorOptions = {
  bus: EventBus;
  agents: AgentLookup;
  /** The provider that serves a model. @default one that fails with PROVIDER_NOT_CONFIGURED */
  providerFor?: (model: ModelRef) => Provider;
  /** Looks up a model id (an agent's `defaultModel`, a task's pinned `model`). @default finds none */
  resolveModel?: (id: string) => ModelRef | undefined;
  /** Task type ids a `hints.taskType` may name; checked before a run. @default not checked */
  taskTypes?: readonly string[] | undefined;
  /** The model used when no router answers and the agent names none. */
  defaultModel?: ModelRef | undefined;
  /** Micro-USD for a usage on a model; undefined when unknown (the cost is then estimated). */
  priceUsage?: (model: ModelRef, usage: Usage) => number | undefined;
  /** Micro-USD the baseline model would have charged; absent leaves baselineUsd/savingsPct null. */
  baselineCost?: BaselineCost;
  /** @default systemClock */
  clock?: Clock;
  /** @default silentLogger */
  logger?: Logger;
  /** @default defaultDecisions (nothing awaited) */
  decisions?: Partial<DecisionOptions>;
  /** @default an in-process executor over `agents` */
  executor?: Executor;
  /** Replaces the workflow's `concurrency.max`. */
  maxConcurrency?: number;
  /**
   * Applied to every error message and hint the coordinator reports, and to the answers a consensus
   * compared in AGENT_COMPLETED/AGENT_FAILED, e.g. a secret scrubber. @default none
   */
  redact?: (text: string) => string;
  /** Renders `${{ }}` templates in input, prompt, when and foreach. @default renderTemplate of workflow/template.ts */
  renderTemplate?: (value: unknown, scope: TemplateScope) => unknown;
  /**
   * Runs tasks' `validate`: predicates by name, shell commands. @default a registry with no
   * predicates (command validators still run)
   */
  validators?: Pick<ValidatorRegistry, 'check' | 'get' | 'names'>;
};

/**
 * Where a run stopped, from its journal: tasks (or foreach items) that succeeded are not run again,
 * their outputs fill templates; attempt numbers continue after the last one used.
 */
export type ResumeState = {
  succeeded: Readonly<Record<string, { output: Json; attempts: number }>>;
  /** Per task or item id: the last attempt number used, and how many of them count against `retries`. */
  attempts: Readonly<Record<string, { last: number; counted: number }>>;
};

export type RunOptions = {
  /** Values of the workflow's `inputs`; defaults are applied and required ones checked. */
  input?: Record<string, Json>;
  /** Aborting cancels the run: nothing new starts, running handlers are aborted. */
  signal?: AbortSignal;
  /** @default a random UUID */
  runId?: string;
  sessionId?: string;
  /** Handed to handlers as `ctx.seed`. */
  seed?: number;
  /** Continues a journalled run: WORKFLOW_STARTED says `resumed`, restored tasks emit nothing again. */
  resume?: ResumeState;
  /** Raises the priority reported to routing and admission for every task below it. */
  priority?: Priority;
};
