// Small workflows for journal tests.
import { defineTask, defineWorkflow } from '../../src/workflow/define.ts';
import type { TaskDefinition, Workflow } from '../../src/workflow/model.ts';

export function task(id: string, overrides: Partial<TaskDefinition> = {}): TaskDefinition {
  return defineTask(id, {
    agent: 'llm',
    prompt: `do ${id}`,
    retry: { retries: 1, initialDelayMs: 0, factor: 2, maxDelayMs: 0 },
    ...overrides,
  });
}

/** scout -> plan -> build, plus a lone docs task. */
export function flow(overrides: Partial<Record<string, Partial<TaskDefinition>>> = {}): Workflow {
  return defineWorkflow(
    'flow',
    [
      task('scout', overrides.scout),
      task('plan', { needs: ['scout'], ...overrides.plan }),
      task('build', { needs: ['plan'], ...overrides.build }),
      task('docs', overrides.docs),
    ],
    { sourcePath: '/work/flows/flow.yaml' },
  );
}
