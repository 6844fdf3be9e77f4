// The task graph of a validated workflow (graphology), and the cycle finder the loader uses.
import { DirectedGraph } from 'graphology';
import { topologicalSort } from 'graphology-dag';
import { OrchestratorError } from '../errors.ts';
import type { Workflow } from './model.ts';

/** Dependencies of a workflow, with cached ancestor sets. */
export type TaskGraph = {
  /** The graphology graph: one node per task id, an edge from each need to its dependant. */
  graph: DirectedGraph;
  /** Every task id, each after all its needs. */
  order: readonly string[];
  parents(id: string): readonly string[];
  children(id: string): readonly string[];
  /** Every task `id` depends on, directly or not. */
  ancestors(id: string): ReadonlySet<string>;
  /** Every task that depends on `id`, directly or not. */
  descendants(id: string): ReadonlySet<string>;
};

/**
 * Finds dependency loops. Returns each loop once, as the ids along it with the first repeated at the end:
 * `['plan', 'build', 'plan']`. `needsOf` lists the known needs of a task.
 */
export function findCycles(
  ids: readonly string[],
  needsOf: (id: string) => readonly string[],
  limit = 10,
): string[][] {
  const state = new Map<string, 'active' | 'done'>();
  const cycles: string[][] = [];
  const seen = new Set<string>();
  for (const start of ids) {
    if (state.has(start)) continue;
    // Iterative depth-first search: deep chains must not overflow the stack.
    const stack: Array<{ id: string; next: number }> = [{ id: start, next: 0 }];
    state.set(start, 'active');
    while (stack.length > 0 && cycles.length < limit) {
      const frame = stack.at(-1)!;
      const needs = needsOf(frame.id);
      if (frame.next >= needs.length) {
        state.set(frame.id, 'done');
        stack.pop();
        continue;
      }
      const need = needs[frame.next++]!;
      const status = state.get(need);
      if (status === undefined) {
        state.set(need, 'active');
        stack.push({ id: need, next: 0 });
      } else if (status === 'active') {
        // The path from `need` down to here, read as "depends on": reverse it to read in run order.
        const path = stack
          .slice(stack.findIndex((entry) => entry.id === need))
          .map((entry) => entry.id)
          .reverse();
        // Start the loop at the task written first, so the same loop always reads the same way.
        const first = path.indexOf(ids.find((id) => path.includes(id)) ?? path[0]!);
        const rotated = [...path.slice(first), ...path.slice(0, first)];
        const loop = [...rotated, rotated[0]!];
        const key = [...path].sort().join('\u0000');
        if (!seen.has(key)) {
          seen.add(key);
          cycles.push(loop);
        }
      }
    }
  }
  return cycles;
}

function memo(compute: (id: string) => ReadonlySet<string>): (id: string) => ReadonlySet<string> {
  const cache = new Map<string, ReadonlySet<string>>();
  return (id) => {
    const cached = cache.get(id);
    if (cached !== undefined) return cached;
    const found = compute(id);
    cache.set(id, found);
    return found;
  };
}

function closure(start: string, next: (id: string) => Iterable<string>): Set<string> {
  const found = new Set<string>();
  const queue = [...next(start)];
  while (queue.length > 0) {
    const id = queue.pop()!;
    if (found.has(id)) continue;
    found.add(id);
    queue.push(...next(id));
  }
  return found;
}

/**
 * Builds the task graph of a workflow.
 * @throws OrchestratorError WORKFLOW_UNKNOWN_DEPENDENCY or WORKFLOW_CYCLE for a workflow not checked by the loader.
 */
export function taskGraph(workflow: Pick<Workflow, 'tasks'>): TaskGraph {
  const graph = new DirectedGraph();
  for (const task of workflow.tasks) graph.mergeNode(task.id);
  for (const task of workflow.tasks) {
    for (const need of task.needs) {
      if (!graph.hasNode(need)) {
        throw new OrchestratorError(
          'WORKFLOW_UNKNOWN_DEPENDENCY',
          `Task "${task.id}" needs "${need}", which is not defined.`,
        );
      }
      graph.mergeEdge(need, task.id);
    }
  }
  const ids = workflow.tasks.map((task) => task.id);
  const [cycle] = findCycles(ids, (id) => graph.inNeighbors(id), 1);
  if (cycle !== undefined) {
    throw new OrchestratorError(
      'WORKFLOW_CYCLE',
      `Tasks depend on each other in a loop: ${cycle.join(' -> ')}.`,
    );
  }
  const ancestors = memo((id) => closure(id, (node) => graph.inNeighbors(node)));
  const descendants = memo((id) => closure(id, (node) => graph.outNeighbors(node)));
  return {
    graph,
    order: topologicalSort(graph),
    parents: (id) => graph.inNeighbors(id),
    children: (id) => graph.outNeighbors(id),
    ancestors,
    descendants,
  };
}
