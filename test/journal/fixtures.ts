// Small workflows for journal tests.
import type { TaskDefinition, Workflow } from '../../src/workflow/model.ts';

export function task(id: string, overrides: Partial<TaskDefinition> = {}): TaskDefinition {
  return {
    id,
    agent: 'llm',
    description: undefined,
    phase: undefined,
    needs: [],
    input: undefined,
    prompt: `do ${id}`,
    when: undefined,
    foreach: undefined,
    as: 'item',
    maxParallel: undefined,
    trigger: 'none_failed',
    retry: { retries: 1, initialDelayMs: 0, factor: 2, maxDelayMs: 0 },
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
    ...overrides,
  };
}

/** scout -> plan -> build, plus a lone docs task. */
export function flow(overrides: Partial<Record<string, Partial<TaskDefinition>>> = {}): Workflow {
  return {
    version: 1,
    id: 'flow',
    description: undefined,
    sourcePath: '/work/flows/flow.yaml',
    inputs: {},
    concurrency: { max: 4, phases: {}, groups: {} },
    tasks: [
      task('scout', overrides.scout),
      task('plan', { needs: ['scout'], ...overrides.plan }),
      task('build', { needs: ['plan'], ...overrides.build }),
      task('docs', overrides.docs),
    ],
  };
}
