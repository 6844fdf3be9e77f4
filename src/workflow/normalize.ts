// Turns a schema-checked workflow file into the normalised Workflow the coordinator runs.
import type { Json } from '../events/vocabulary.ts';
import { parseDuration } from './duration.ts';
import { expressionFieldTemplate } from './expression-field.ts';
import type { InputSpec, RetryPolicy, TaskDefinition, Validator, Workflow } from './model.ts';
import type { DefaultsFile, RetriesFile, TaskFile, ValidateFile, WorkflowFile } from './schema.ts';
import { tierRangeOf } from './tier.ts';

/** Defaults of settings nobody wrote. */
export const workflowDefaults = {
  concurrencyMax: 4,
  retries: 0,
  initialDelayMs: 1000,
  factor: 2,
  maxDelayMs: 30_000,
  as: 'item',
} as const;

/** The retry policy of a `retries` field. */
export function retryPolicyOf(retries: RetriesFile | undefined): RetryPolicy {
  const base = {
    retries: workflowDefaults.retries,
    initialDelayMs: workflowDefaults.initialDelayMs,
    factor: workflowDefaults.factor,
    maxDelayMs: workflowDefaults.maxDelayMs,
  };
  if (retries === undefined) return base;
  if (typeof retries === 'number') return { ...base, retries };
  const backoff = retries.backoff;
  return {
    retries: retries.count ?? retries.max ?? base.retries,
    initialDelayMs:
      backoff?.initial === undefined
        ? base.initialDelayMs
        : (parseDuration(backoff.initial) ?? base.initialDelayMs),
    factor: backoff?.factor ?? base.factor,
    maxDelayMs:
      backoff?.max === undefined ? base.maxDelayMs : (parseDuration(backoff.max) ?? base.maxDelayMs),
  };
}

/** The validator of a `validate` field (the loader has checked that it names exactly one kind). */
export function validatorOf(validate: ValidateFile | undefined): Validator | undefined {
  if (validate === undefined) return undefined;
  const optimistic = validate.optimistic ?? true;
  if (validate.predicate !== undefined)
    return { kind: 'predicate', predicate: validate.predicate, optimistic };
  const { consensus } = validate;
  if (consensus !== undefined)
    return { kind: 'consensus', peers: consensus.peers ?? 1, answer: consensus.answer, optimistic };
  if (validate.command === undefined) return undefined;
  return {
    kind: 'command',
    command: validate.command,
    cwd: validate.cwd,
    env: { ...validate.env },
    timeoutMs: duration(validate.timeout),
    optimistic,
  };
}

function duration(value: string | number | undefined): number | undefined {
  return value === undefined ? undefined : parseDuration(value);
}

function normalizeTask(task: TaskFile, defaults: DefaultsFile, line: number | undefined): TaskDefinition {
  const tier = task.tier ?? defaults.tier;
  const budget = task.budget ?? defaults.budget;
  return {
    id: task.id,
    agent: task.agent,
    description: task.description,
    phase: task.phase,
    needs:
      task.needs === undefined
        ? []
        : typeof task.needs === 'string'
          ? [task.needs]
          : [...new Set(task.needs)],
    input: task.input,
    prompt: task.prompt,
    when: task.when === undefined ? undefined : expressionFieldTemplate(task.when),
    foreach: task.foreach === undefined ? undefined : expressionFieldTemplate(task.foreach),
    as: task.as ?? workflowDefaults.as,
    maxParallel: task.maxParallel,
    trigger: task.trigger ?? defaults.trigger ?? 'none_failed',
    retry: retryPolicyOf(task.retries ?? defaults.retries),
    timeoutMs: duration(task.timeout ?? defaults.timeout),
    deadlineMs: duration(task.deadline ?? defaults.deadline),
    continueOnError: task.continueOnError ?? defaults.continueOnError ?? false,
    priority: task.priority ?? defaults.priority ?? 'normal',
    group: task.group,
    tier: tier === undefined ? undefined : tierRangeOf(tier),
    model: task.model ?? defaults.model,
    hints: { ...defaults.hints, ...task.hints } as Record<string, Json>,
    budget:
      budget === undefined
        ? undefined
        : {
            maxMicroUsd: budget.maxUsd === undefined ? undefined : Math.round(budget.maxUsd * 1_000_000),
            maxTokens: budget.maxTokens,
          },
    validate: validatorOf(task.validate),
    line,
  };
}

/** The normalised workflow: defaults applied, durations in ms, tiers as windows, `needs` as lists. */
export function normalizeWorkflow(
  file: WorkflowFile,
  sourcePath: string | undefined,
  lineOfTask: (index: number) => number | undefined,
): Workflow {
  const defaults = file.defaults ?? {};
  const inputs: Record<string, InputSpec> = {};
  for (const [name, spec] of Object.entries(file.inputs ?? {})) {
    inputs[name] = {
      type: spec.type ?? 'string',
      required: spec.required ?? false,
      default: spec.default,
      description: spec.description,
    };
  }
  return {
    version: 1,
    id: file.id,
    description: file.description,
    sourcePath,
    inputs,
    concurrency: {
      max: file.concurrency?.max ?? workflowDefaults.concurrencyMax,
      phases: { ...file.concurrency?.phases },
      groups: { ...file.concurrency?.groups },
    },
    tasks: file.tasks.map((task, index) => normalizeTask(task, defaults, lineOfTask(index))),
  };
}
