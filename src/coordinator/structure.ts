import { didYouMean } from '../diagnostics/did-you-mean.ts';
import type { Diagnostic, ErrorCode } from '../errors.ts';
import type { TaskDefinition, Workflow } from '../workflow/model.ts';

/** What the coordinator derives from a workflow's shape alone; computed once per workflow object. */
export type Structure = {
  /** Problems of the shape (ids, needs, groups, limits, loops); empty when it can run. */
  problems: readonly Diagnostic[];
  /** Parent and child task positions, by task position. */
  parents: readonly (readonly number[])[];
  children: readonly (readonly number[])[];
};

const structures = new WeakMap<Workflow, Structure>();

/** The structure of a workflow, cached: a Workflow is immutable once built. */
export function structureOf(workflow: Workflow): Structure {
  let structure = structures.get(workflow);
  if (structure === undefined) {
    structure = analyse(workflow);
    structures.set(workflow, structure);
  }
  return structure;
}

export type AddProblem = (
  task: TaskDefinition | undefined,
  code: ErrorCode,
  path: string,
  message: string,
  hint?: string,
) => void;

/** Collects diagnostics positioned at a task of the workflow. */
export function problemCollector(workflow: Workflow, problems: Diagnostic[]): AddProblem {
  return (task, code, path, message, hint) => {
    const problem: Diagnostic = {
      file: workflow.sourcePath,
      line: task?.line,
      column: undefined,
      code,
      path,
      message,
    };
    if (hint !== undefined) problem.hint = hint;
    problems.push(problem);
  };
}

function analyse(workflow: Workflow): Structure {
  const problems: Diagnostic[] = [];
  const add = problemCollector(workflow, problems);
  const position = new Map<string, number>();
  workflow.tasks.forEach((task, index) => {
    if (position.has(task.id))
      add(task, 'WORKFLOW_DUPLICATE_ID', `tasks.${task.id}`, `Task id "${task.id}" is used twice.`);
    else position.set(task.id, index);
  });
  checkLimits(workflow, add);
  const parents = workflow.tasks.map((task) => {
    const at = `tasks.${task.id}`;
    task.needs.forEach((need, index) => {
      if (!position.has(need)) {
        add(
          task,
          'WORKFLOW_UNKNOWN_DEPENDENCY',
          `${at}.needs[${index}]`,
          `Task "${task.id}" needs "${need}", which is not defined.`,
          suggest(need, position.keys()),
        );
      }
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
    return [...new Set(task.needs)].flatMap((need) => {
      const parent = position.get(need);
      return parent === undefined ? [] : [parent];
    });
  });
  const children: number[][] = workflow.tasks.map(() => []);
  parents.forEach((list, index) => {
    for (const parent of list) children[parent]?.push(index);
  });
  const cycle = findCycle(workflow.tasks, parents, children);
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
  return { problems, parents, children };
}

function checkLimits(workflow: Workflow, add: AddProblem): void {
  const { max, phases, groups } = workflow.concurrency;
  if (!isLimit(max))
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

export function isLimit(value: number): boolean {
  return Number.isInteger(value) && value >= 1;
}

export function listed(names: Iterable<string>): string {
  const all = [...names].map((name) => `"${name}"`);
  return all.length === 0 ? '' : ` Known: ${all.join(', ')}.`;
}

export function suggest(value: string, candidates: Iterable<string>): string | undefined {
  const near = didYouMean(value, candidates);
  return near === undefined ? undefined : `did you mean "${near}"?`;
}

/**
 * The first dependency loop, in run order with the first task repeated at the end (`plan -> build
 * -> plan`); undefined when acyclic. A topological sort (iterative, any depth) finds whether there
 * is one; a walk over the tasks it could not place then names it.
 */
function findCycle(
  tasks: readonly TaskDefinition[],
  parents: readonly (readonly number[])[],
  children: readonly (readonly number[])[],
): string[] | undefined {
  const waiting = parents.map((list) => list.length);
  const ready = waiting.flatMap((count, index) => (count === 0 ? [index] : []));
  for (let next = ready.pop(); next !== undefined; next = ready.pop()) {
    for (const child of children[next] ?? []) {
      const left = (waiting[child] ?? 0) - 1;
      waiting[child] = left;
      if (left === 0) ready.push(child);
    }
  }
  const stuck = waiting.findIndex((count) => count > 0);
  if (stuck === -1) return undefined;
  // Every stuck task has a stuck parent: walking parents from one must come back to a task seen before.
  const seen = new Map<number, number>();
  const path: number[] = [];
  let at = stuck;
  while (!seen.has(at)) {
    seen.set(at, path.length);
    path.push(at);
    at = (parents[at] ?? []).find((parent) => (waiting[parent] ?? 0) > 0) as number;
  }
  const loop = path.slice(seen.get(at)).reverse();
  // Start from the task written first, so the message does not depend on where the walk began.
  const first = loop.indexOf(Math.min(...loop));
  const rotated = [...loop.slice(first), ...loop.slice(0, first)];
  return [...rotated, rotated[0] as number].map((index) => tasks[index]?.id ?? String(index));
}
