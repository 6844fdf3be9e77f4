// Load-time checks of task ids and `needs`: duplicates, unknown dependencies, loops.
import { didYouMeanHint, type Locate } from '../diagnostics/index.ts';
import { findCycles } from './graph.ts';
import type { RawWorkflow } from './raw-view.ts';
import { nameList, type Report } from './report.ts';

/** Reports duplicate ids, unknown needs and loops; returns the known needs of each task id. */
export function checkGraph(raw: RawWorkflow, report: Report, locate: Locate): Map<string, string[]> {
  const lineOf = new Map<string, number>();
  for (const task of raw.tasks) {
    if (task.id === undefined) continue;
    const first = lineOf.get(task.id);
    if (first === undefined) {
      lineOf.set(task.id, task.index);
      continue;
    }
    report(
      'WORKFLOW_DUPLICATE_ID',
      ['tasks', task.index, 'id'],
      `task id ${JSON.stringify(task.id)} is already used ${where(locate, first)}`,
      {
        hint: 'give every task its own id',
      },
    );
  }
  const ids = [...lineOf.keys()];
  const needs = new Map<string, string[]>(ids.map((id) => [id, []]));
  for (const task of raw.tasks) {
    for (const need of task.needs) {
      if (lineOf.has(need.id)) {
        if (task.id !== undefined && lineOf.get(task.id) === task.index) needs.get(task.id)!.push(need.id);
        continue;
      }
      const who = task.id === undefined ? 'this task' : `task ${JSON.stringify(task.id)}`;
      report(
        'WORKFLOW_UNKNOWN_DEPENDENCY',
        need.path,
        `${who} needs ${JSON.stringify(need.id)}, which is not defined; known tasks: ${nameList(ids)}`,
        {
          hint: didYouMeanHint(need.id, ids) ?? 'fix the name in `needs` or add the task',
        },
      );
    }
  }
  for (const loop of findCycles(ids, (id) => needs.get(id) ?? [])) {
    const first = loop[0]!;
    const previous = loop.at(-2)!;
    const task = raw.tasks.find(
      (candidate) => candidate.id === first && lineOf.get(first) === candidate.index,
    );
    const need = task?.needs.find((candidate) => candidate.id === previous);
    const path = need?.path ?? ['tasks', task?.index ?? 0, 'needs'];
    const message =
      loop.length === 2
        ? `task ${JSON.stringify(first)} needs itself`
        : `tasks depend on each other in a loop: ${loop.join(' -> ')}`;
    report('WORKFLOW_CYCLE', path, message, { hint: 'remove one of the needs in the loop' });
  }
  return needs;
}

function where(locate: Locate, index: number): string {
  const line = locate(['tasks', index, 'id'])?.line;
  return line === undefined ? `by tasks[${index}]` : `on line ${line}`;
}
