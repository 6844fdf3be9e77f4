import type { Json } from '../events/vocabulary.ts';
import type { TemplateScope } from '../workflow/model.ts';
import type { RunContext, TaskRecord } from './state.ts';

/** The scope `${{ }}` templates of a run render in: its inputs, the settled tasks, the run. */
export type RunScope = {
  /** The scope, with every task settled so far in it. */
  get: () => TemplateScope;
  /** A task settled: it enters the scope the next time the scope is asked for. */
  add: (record: TaskRecord) => void;
};

/**
 * Settled tasks enter the template scope only when a template is about to be rendered: a run
 * without templates never builds it.
 */
export function createRunScope(context: RunContext, inputs: Record<string, Json>): RunScope {
  const tasks: Record<string, { output: Json | undefined; status: string }> = {};
  const scope: TemplateScope = { inputs, tasks, run: { id: context.runId, workflowId: context.workflow.id } };
  const unscoped: TaskRecord[] = [];
  return {
    get: () => {
      for (const record of unscoped) {
        tasks[record.definition.id] = { output: record.output, status: record.status ?? 'cancelled' };
      }
      unscoped.length = 0;
      return scope;
    },
    add: (record) => {
      unscoped.push(record);
    },
  };
}
