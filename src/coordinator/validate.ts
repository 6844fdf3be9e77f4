import { didYouMean } from '../diagnostics/did-you-mean.ts';
import { ConfigError, type Diagnostic, type ErrorCode } from '../errors.ts';
import type { ModelRef } from '../events/vocabulary.ts';
import type { TaskDefinition, Workflow } from '../workflow/model.ts';
import type { AgentLookup } from './executor.ts';

export type RunCheck = {
  agents: AgentLookup;
  resolveModel: (id: string) => ModelRef | undefined;
  maxConcurrency: number | undefined;
};

/**
 * Checks, before anything runs, what the coordinator relies on: a workflow built in code has not
 * been through the loader. Throws one ConfigError carrying every problem found.
 */
export function checkRunnable(workflow: Workflow, check: RunCheck): void {
  const problems: Diagnostic[] = [];
  const add = (
    task: TaskDefinition | undefined,
    code: ErrorCode,
    path: string,
    message: string,
    hint?: string,
  ) =>
    problems.push({
      file: workflow.sourcePath,
      line: task?.line,
      column: undefined,
      code,
      path,
      message,
      ...(hint === undefined ? {} : { hint }),
    });
  const ids = new Set<string>();
  for (const task of workflow.tasks) {
    if (ids.has(task.id))
      add(task, 'WORKFLOW_DUPLICATE_ID', `tasks.${task.id}`, `Task id "${task.id}" is used twice.`);
    ids.add(task.id);
  }
  checkLimits(workflow, check.maxConcurrency, add);
  for (const task of workflow.tasks) {
    const at = `tasks.${task.id}`;
    const registration = check.agents.get(task.agent);
    if (registration === undefined) {
      const known = check.agents.names?.() ?? [];
      add(
        task,
        'WORKFLOW_UNKNOWN_AGENT',
        `${at}.agent`,
        `Task "${task.id}" uses agent "${task.agent}", which is not registered.${listed(known)}`,
        suggest(task.agent, known),
      );
    } else if (
      registration.options.defaultModel !== undefined &&
      check.resolveModel(registration.options.defaultModel) === undefined
    ) {
      add(
        task,
        'MODEL_UNKNOWN',
        `${at}.agent`,
        `Agent "${task.agent}" names default model "${registration.options.defaultModel}", which the model catalog does not know.`,
      );
    }
    if (task.model !== undefined && check.resolveModel(task.model) === undefined) {
      add(
        task,
        'MODEL_UNKNOWN',
        `${at}.model`,
        `Task "${task.id}" pins model "${task.model}", which the model catalog does not know.`,
      );
    }
    task.needs.forEach((need, index) => {
      if (!ids.has(need))
        add(
          task,
          'WORKFLOW_UNKNOWN_DEPENDENCY',
          `${at}.needs[${index}]`,
          `Task "${task.id}" needs "${need}", which is not defined.`,
          suggest(need, ids),
        );
    });
    if (task.group !== undefined && workflow.concurrency.groups[task.group] === undefined) {
      const groups = Object.keys(workflow.concurrency.groups);
      add(
        task,
        'WORKFLOW_UNKNOWN_GROUP',
        `${at}.group`,
        `Task "${task.id}" is in group "${task.group}", which concurrency.groups does not declare.${listed(groups)}`,
        suggest(task.group, groups),
      );
    }
    if (task.maxParallel !== undefined && !isLimit(task.maxParallel)) {
      add(
        task,
        'CONFIG_INVALID',
        `${at}.maxParallel`,
        `maxParallel of task "${task.id}" is ${task.maxParallel}; expected a whole number >= 1.`,
      );
    }
  }
  const cycle = findCycle(workflow.tasks);
  if (cycle !== undefined) {
    const first = workflow.tasks.find((task) => task.id === cycle[0]);
    add(
      first,
      'WORKFLOW_CYCLE',
      `tasks.${cycle[0]}.needs`,
      `Tasks depend on each other in a loop: ${cycle.join(' -> ')}.`,
      'Remove one of these `needs`.',
    );
  }
  if (problems.length > 0) throw new ConfigError(problems);
}

type Add = (task: TaskDefinition | undefined, code: ErrorCode, path: string, message: string) => void;

function checkLimits(workflow: Workflow, override: number | undefined, add: Add): void {
  const { max, phases, groups } = workflow.concurrency;
  if (override !== undefined && !isLimit(override))
    add(
      undefined,
      'CONFIG_INVALID',
      'concurrency.max',
      `The concurrency override is ${override}; expected a whole number >= 1.`,
    );
  if (override === undefined && !isLimit(max))
    add(
      undefined,
      'CONFIG_INVALID',
      'concurrency.max',
      `concurrency.max is ${max}; expected a whole number >= 1.`,
    );
  for (const [kind, limits] of [
    ['phases', phases],
    ['groups', groups],
  ] as const) {
    for (const [name, limit] of Object.entries(limits)) {
      if (!isLimit(limit))
        add(
          undefined,
          'CONFIG_INVALID',
          `concurrency.${kind}.${name}`,
          `concurrency.${kind}.${name} is ${limit}; expected a whole number >= 1.`,
        );
    }
  }
}

function isLimit(value: number): boolean {
  return Number.isInteger(value) && value >= 1;
}

function listed(names: Iterable<string>): string {
  const all = [...names].map((name) => `"${name}"`);
  return all.length === 0 ? '' : ` Known: ${all.join(', ')}.`;
}

function suggest(value: string, candidates: Iterable<string>): string | undefined {
  const near = didYouMean(value, candidates);
  return near === undefined ? undefined : `did you mean "${near}"?`;
}

/** The first dependency loop, as task ids with the first repeated at the end; undefined when acyclic. */
export function findCycle(tasks: readonly TaskDefinition[]): string[] | undefined {
  const looping = tasksNotSortable(tasks);
  if (looping.length === 0) return undefined;
  const byId = new Map(looping.map((task) => [task.id, task]));
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const visit = (id: string): string[] | undefined => {
    state.set(id, 'open');
    stack.push(id);
    for (const need of byId.get(id)?.needs ?? []) {
      if (!byId.has(need)) continue;
      const seen = state.get(need);
      if (seen === 'open') return [...stack.slice(stack.indexOf(need)), need];
      if (seen === undefined) {
        const found = visit(need);
        if (found !== undefined) return found;
      }
    }
    stack.pop();
    state.set(id, 'done');
    return undefined;
  };
  for (const task of looping) {
    if (state.has(task.id)) continue;
    const found = visit(task.id);
    if (found !== undefined) return found.reverse();
  }
  return undefined;
}

/** Tasks a topological sort cannot place (Kahn): those on a loop or below one. Iterative, any depth. */
function tasksNotSortable(tasks: readonly TaskDefinition[]): TaskDefinition[] {
  const index = new Map(tasks.map((task, position) => [task.id, position]));
  const waiting = tasks.map((task) => task.needs.filter((need) => index.has(need)).length);
  const children: number[][] = tasks.map(() => []);
  tasks.forEach((task, position) => {
    for (const need of task.needs) {
      const parent = index.get(need);
      if (parent !== undefined) children[parent]?.push(position);
    }
  });
  const ready = waiting.flatMap((count, position) => (count === 0 ? [position] : []));
  for (let next = ready.pop(); next !== undefined; next = ready.pop()) {
    for (const child of children[next] ?? []) {
      waiting[child] = (waiting[child] ?? 0) - 1;
      if (waiting[child] === 0) ready.push(child);
    }
  }
  return tasks.filter((_, position) => (waiting[position] ?? 0) > 0);
}
