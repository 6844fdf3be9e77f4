// The validated, normalised workflow the coordinator runs. The loader builds it from YAML; tests and
// API users may build it directly. Raw YAML shapes live in schema.ts; this is what comes out.
import type { Json, Priority, Tier, TierRange } from '../events/vocabulary.ts';

/** How a task joins its parents: all_success, none_failed (default), all_done, one_success. */
export type Trigger = 'all_success' | 'none_failed' | 'all_done' | 'one_success';

export type RetryPolicy = {
  /** Attempts after the first; the task runs at most `retries + 1` times. */
  retries: number;
  /** Delay before the second attempt. */
  initialDelayMs: number;
  /** Multiplier per further attempt. */
  factor: number;
  maxDelayMs: number;
};

export type InputType = 'string' | 'number' | 'boolean' | 'array' | 'object';
export type InputSpec = {
  type: InputType;
  required: boolean;
  default: Json | undefined;
  description: string | undefined;
};

/** A shell command that checks a task's output: exit code 0 passes. */
export type CommandValidator = {
  kind: 'command';
  /** Run through /bin/sh; never holds templates (values come through `env`). */
  command: string;
  /** May hold `${{ }}` templates, rendered with the task's input. @default the process's directory */
  cwd: string | undefined;
  /** Values may hold `${{ }}` templates, rendered with the task's input. */
  env: Readonly<Record<string, string | number | boolean>>;
  /** Limit of the command; the attempt's timeout and deadline still apply. */
  timeoutMs: number | undefined;
  optimistic: boolean;
};

/** A function registered by name (`orchestrator.validators.register`, or an agents module's `validators`). */
export type PredicateValidator = { kind: 'predicate'; predicate: string; optimistic: boolean };

/**
 * Other models answer the same request; the attempt passes when every peer asked gives the same
 * answer. Peers are asked only when the router names them for the attempt (MODEL_SELECTED `peers`).
 */
export type ConsensusValidator = {
  kind: 'consensus';
  /** How many other models a consensus asks at most. @default 1 */
  peers: 1 | 2;
  /** JavaScript regular expression source: its first capture group (else its match) is the answer. */
  answer: string | undefined;
  optimistic: boolean;
};

/**
 * A task's `validate`: checks each successful attempt. A failed check fails the attempt with
 * VALIDATION_FAILED (retryable, so the tier upgrade climbs). `optimistic` lets the router start the
 * task on the cheapest tier its category allows.
 */
export type Validator = CommandValidator | PredicateValidator | ConsensusValidator;

/** A task's own budget over all its attempts; `maxUsd` of the YAML, as integer micro-USD. */
export type TaskBudget = { maxMicroUsd: number | undefined; maxTokens: number | undefined };

/**
 * One task. Strings may hold `${{ expression }}` templates: `input` (any shape), `prompt`, `when`
 * and `foreach` are kept as written and rendered by the coordinator with `renderTemplate`.
 */
export type TaskDefinition = {
  id: string;
  agent: string;
  description: string | undefined;
  phase: string | undefined;
  needs: readonly string[];
  input: Json | undefined;
  prompt: string | undefined;
  /** A template that renders to a truthy value when the task should run. */
  when: string | undefined;
  /** A template that renders to an array: the task runs once per item (dynamic fan-out). */
  foreach: string | undefined;
  /** The scope name of the current item in a `foreach` task. @default 'item' */
  as: string;
  /** At most this many items of one `foreach` task run at once. */
  maxParallel: number | undefined;
  trigger: Trigger;
  retry: RetryPolicy;
  /** Per attempt. */
  timeoutMs: number | undefined;
  /** Over all attempts, from the first start. */
  deadlineMs: number | undefined;
  /** A failure of this task does not fail the run nor skip its dependants. */
  continueOnError: boolean;
  priority: Priority;
  group: string | undefined;
  tier: TierRange | undefined;
  /** A pinned model id: the router uses it as is. */
  model: string | undefined;
  /** Free-form routing hints, e.g. `{ taskType: 'refactor' }`. */
  hints: Readonly<Record<string, Json>>;
  budget: TaskBudget | undefined;
  /** Checks each successful attempt; absent or undefined: no check, and the task is never started optimistic. */
  validate?: Validator | undefined;
  /** 1-based line of the task in its file, for messages; undefined when not loaded from a file. */
  line: number | undefined;
};

export type Concurrency = {
  /** Tasks running at once across the run. */
  max: number;
  /** Per-phase limits; a phase not listed is limited by `max` only (the loader rejects such phases when `phases` is given). */
  phases: Readonly<Record<string, number>>;
  /** Named-group limits; a task's `group` must name one. */
  groups: Readonly<Record<string, number>>;
};

export type Workflow = {
  version: 1;
  id: string;
  description: string | undefined;
  /** The file it was loaded from, if any. */
  sourcePath: string | undefined;
  inputs: Readonly<Record<string, InputSpec>>;
  concurrency: Concurrency;
  /** In file order. */
  tasks: readonly TaskDefinition[];
};

/** What templates see: `${{ inputs.goal }}`, `${{ tasks.plan.output }}`, `${{ item }}`. */
export type TemplateScope = {
  inputs: Readonly<Record<string, Json>>;
  tasks: Readonly<Record<string, { output: Json | undefined; status: string }>>;
  run: { id: string; workflowId: string };
  [name: string]: unknown;
};

export type { Tier };
