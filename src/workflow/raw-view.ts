// A tolerant view of a workflow file as parsed, for checks that run even when the schema check fails,
// so that every problem is reported in one pass.
import type { PathSegment } from '../diagnostics/index.ts';

export type RawNeed = { id: string; path: PathSegment[] };

export type RawTask = {
  index: number;
  /** The id when it is a string. */
  id: string | undefined;
  fields: Readonly<Record<string, unknown>>;
  needs: RawNeed[];
};

export type RawWorkflow = {
  root: Readonly<Record<string, unknown>>;
  tasks: RawTask[];
  inputNames: string[];
  phases: string[] | undefined;
  groups: string[];
};

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function readNeeds(task: Record<string, unknown>, index: number): RawNeed[] {
  const needs = task.needs;
  const base: PathSegment[] = ['tasks', index, 'needs'];
  if (typeof needs === 'string') return [{ id: needs, path: base }];
  if (!Array.isArray(needs)) return [];
  return needs.flatMap((need, position) =>
    typeof need === 'string' ? [{ id: need, path: [...base, position] }] : [],
  );
}

/** Reads what can be read; malformed parts are left out (the schema check reports them). */
export function rawView(value: unknown): RawWorkflow {
  const root = isRecord(value) ? value : {};
  const tasks = (Array.isArray(root.tasks) ? root.tasks : []).flatMap(
    (task: unknown, index: number): RawTask[] =>
      isRecord(task)
        ? [
            {
              index,
              id: typeof task.id === 'string' ? task.id : undefined,
              fields: task,
              needs: readNeeds(task, index),
            },
          ]
        : [],
  );
  const concurrency = isRecord(root.concurrency) ? root.concurrency : {};
  return {
    root,
    tasks,
    inputNames: isRecord(root.inputs) ? Object.keys(root.inputs) : [],
    phases: isRecord(concurrency.phases) ? Object.keys(concurrency.phases) : undefined,
    groups: isRecord(concurrency.groups) ? Object.keys(concurrency.groups) : [],
  };
}
