import type { ValidatorRegistry } from '../agents/validators.ts';
import { ConfigError, type Diagnostic } from '../errors.ts';
import type { ModelRef } from '../events/vocabulary.ts';
import type { Workflow } from '../workflow/model.ts';
import type { AgentLookup } from './executor.ts';
import { isLimit, listed, problemCollector, type Structure, structureOf, suggest } from './structure.ts';

export type RunCheck = {
  agents: AgentLookup;
  resolveModel: (id: string) => ModelRef | undefined;
  maxConcurrency: number | undefined;
  validators: Pick<ValidatorRegistry, 'get' | 'names'>;
  /** Task type ids `hints.taskType` may name; undefined: not checked. */
  taskTypes?: readonly string[] | undefined;
};

/**
 * Checks, before anything runs, what the coordinator relies on: a workflow built in code has not
 * been through the loader. Throws one ConfigError carrying every problem found.
 */
export function checkRunnable(workflow: Workflow, check: RunCheck): Structure {
  const structure = structureOf(workflow);
  const problems: Diagnostic[] = [...structure.problems];
  const add = problemCollector(workflow, problems);
  if (check.maxConcurrency !== undefined && !isLimit(check.maxConcurrency)) {
    add(
      undefined,
      'CONFIG_INVALID',
      'concurrency.max',
      `The concurrency override is ${check.maxConcurrency}; expected a whole number >= 1.`,
    );
  }
  for (const task of workflow.tasks) {
    const validate = task.validate;
    if (validate?.kind === 'predicate' && check.validators.get(validate.predicate) === undefined) {
      const known = check.validators.names();
      const message = `Task "${task.id}" is validated by predicate "${validate.predicate}", which is not registered.${listed(known)}`;
      const hint =
        suggest(validate.predicate, known) ??
        'Register it with orchestrator.validators.register(), or export it in `validators` of an agents module (--agents).';
      add(task, 'WORKFLOW_UNKNOWN_VALIDATOR', `tasks.${task.id}.validate.predicate`, message, hint);
    }
    const registration = check.agents.get(task.agent);
    if (registration === undefined) {
      const known = check.agents.names?.() ?? [];
      const message = `Task "${task.id}" uses agent "${task.agent}", which is not registered.${listed(known)}`;
      add(task, 'WORKFLOW_UNKNOWN_AGENT', `tasks.${task.id}.agent`, message, suggest(task.agent, known));
      continue;
    }
    const { defaultModel } = registration.options;
    if (defaultModel !== undefined && check.resolveModel(defaultModel) === undefined) {
      const message = `Agent "${task.agent}" names default model "${defaultModel}", which the model catalog does not know.`;
      add(task, 'MODEL_UNKNOWN', `tasks.${task.id}.agent`, message);
    }
    if (task.model !== undefined && check.resolveModel(task.model) === undefined) {
      const message = `Task "${task.id}" pins model "${task.model}", which the model catalog does not know.`;
      add(task, 'MODEL_UNKNOWN', `tasks.${task.id}.model`, message);
    }
    checkTaskType(task, check.taskTypes, add);
    checkTierFits(task, registration.options.deterministic === true, add);
    checkConsensusAsks(task, registration.options.deterministic === true, add);
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return structure;
}

/** A `hints.taskType` the router would not know (a workflow file gets this check at load). */
function checkTaskType(
  task: Workflow['tasks'][number],
  known: readonly string[] | undefined,
  add: ReturnType<typeof problemCollector>,
): void {
  const taskType = task.hints.taskType;
  if (known === undefined || taskType === undefined || taskType === null) return;
  const path = `tasks.${task.id}.hints.taskType`;
  if (typeof taskType !== 'string') {
    add(
      task,
      'CONFIG_INVALID',
      path,
      `Task "${task.id}" has hints.taskType ${JSON.stringify(taskType)}; expected the id of a task type.`,
      'Write one id, e.g. taskType: "coding", or remove it to classify the task from its text.',
    );
    return;
  }
  if (known.includes(taskType)) return;
  const message = `Task "${task.id}" names task type "${taskType}", which the task-type catalog does not have.${listed([...known])}`;
  add(task, 'WORKFLOW_UNKNOWN_TASK_TYPE', path, message, suggest(taskType, known));
}

/**
 * A tier window that no model can meet is a mistake worth stopping for, not a silent fallback.
 * (A tier on a deterministic agent is harmless: `defaults.tier` gives every task one.)
 */
function checkTierFits(
  task: Workflow['tasks'][number],
  deterministic: boolean,
  add: ReturnType<typeof problemCollector>,
): void {
  if (!deterministic && task.tier !== undefined && task.tier.max === 0) {
    add(
      task,
      'CONFIG_INVALID',
      `tasks.${task.id}.tier`,
      `Task "${task.id}" is limited to tier 0 (no model), but agent "${task.agent}" calls a model.`,
      'Allow tier 1 or more, or register the agent as deterministic.',
    );
  }
}

/**
 * A consensus compares model answers: a deterministic agent has nothing to compare. (A model-calling
 * task limited to tier 0 is refused by checkTierFits already.)
 */
function checkConsensusAsks(
  task: Workflow['tasks'][number],
  deterministic: boolean,
  add: ReturnType<typeof problemCollector>,
): void {
  if (task.validate?.kind !== 'consensus' || !deterministic) return;
  add(
    task,
    'CONFIG_INVALID',
    `tasks.${task.id}.validate.consensus`,
    `Task "${task.id}" is validated by consensus, which compares the answers of models, but agent "${task.agent}" is deterministic (tier 0) and calls no model.`,
    'Validate it with a command or a predicate.',
  );
}
