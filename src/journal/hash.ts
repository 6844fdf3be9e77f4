// Fingerprints of a workflow and of each task, so that resume can tell which tasks changed since a
// run started. Line numbers and the file's path are left out: moving a task in the file changes nothing.
import { createHash } from 'node:crypto';
import type { TaskDefinition, Workflow } from '../workflow/model.ts';

/** The fingerprints the journal keeps of a run's workflow. */
export type WorkflowFingerprint = {
  /** Of the whole workflow: inputs, concurrency and every task. */
  workflowHash: string;
  /** Of each task's definition, by task id. */
  taskHashes: Record<string, string>;
};

/** Hashes a workflow and each of its tasks (SHA-256 of a canonical JSON form, 16 hex digits). */
export function fingerprintWorkflow(workflow: Workflow): WorkflowFingerprint {
  const taskHashes: Record<string, string> = {};
  for (const task of workflow.tasks) taskHashes[task.id] = hashOf(canonicalTask(task));
  const { sourcePath: _path, tasks: _tasks, ...rest } = workflow;
  const workflowHash = hashOf({ ...rest, tasks: workflow.tasks.map((task) => taskHashes[task.id]) });
  return { workflowHash, taskHashes };
}

function canonicalTask(task: TaskDefinition): unknown {
  const { line: _line, ...definition } = task;
  return definition;
}

function hashOf(value: unknown): string {
  return createHash('sha256').update(canonicalJson(value)).digest('hex').slice(0, 16);
}

/** JSON with object keys sorted and undefined left out, so equal values hash equally. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value === null || typeof value !== 'object') return value;
  const sorted: Record<string, unknown> = {};
  for (const key of Object.keys(value).sort()) {
    const entry = (value as Record<string, unknown>)[key];
    if (entry !== undefined) sorted[key] = sortKeys(entry);
  }
  return sorted;
}
