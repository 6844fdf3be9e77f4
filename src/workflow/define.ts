// Building a workflow in code, without YAML: every field the loader would fill gets its default.
import type { TaskDefinition, Workflow } from './model.ts';
import { retryPolicyOf, workflowDefaults } from './normalize.ts';

/**
 * A task as the loader would build it from `{ id, agent }` alone (no retries, no limits, normal
 * priority, trigger `none_failed`), with `fields` on top. The result is not checked: run it through
 * the coordinator, which checks a workflow before anything runs.
 * @example defineTask('plan', { agent: 'llm', needs: ['scout'], prompt: 'Plan the change.' })
 */
export function defineTask(id: string, fields: Partial<TaskDefinition> & { agent: string }): TaskDefinition {
  return {
    id,
    description: undefined,
    phase: undefined,
    needs: [],
    input: undefined,
    prompt: undefined,
    when: undefined,
    foreach: undefined,
    as: workflowDefaults.as,
    maxParallel: undefined,
    trigger: 'none_failed',
    retry: retryPolicyOf(undefined),
    timeoutMs: undefined,
    deadlineMs: undefined,
    continueOnError: false,
    priority: 'normal',
    group: undefined,
    tier: undefined,
    model: undefined,
    hints: {},
    budget: undefined,
    line: undefined,
    ...fields,
  };
}

/**
 * A workflow of `tasks` (concurrency 4, no inputs), with `fields` on top.
 * @example defineWorkflow('review', [defineTask('diff', { agent: 'shell', input: { command: 'git diff' } })])
 */
export function defineWorkflow(
  id: string,
  tasks: readonly TaskDefinition[],
  fields: Partial<Omit<Workflow, 'tasks'>> = {},
): Workflow {
  return {
    version: 1,
    id,
    description: undefined,
    sourcePath: undefined,
    inputs: {},
    concurrency: { max: workflowDefaults.concurrencyMax, phases: {}, groups: {} },
    tasks,
    ...fields,
  };
}
