import type { Json } from '../events/vocabulary.ts';
import type { TaskDefinition, Workflow } from '../workflow/model.ts';
import { applySelection } from './decisions.ts';
import type { RunContext, TaskRecord, TaskTally } from './state.ts';
import type { Structure } from './structure.ts';

/** One record per task of the workflow, in file order, before anything has run. */
export function buildRecords(context: RunContext, workflow: Workflow, structure: Structure): TaskRecord[] {
  return workflow.tasks.map((definition, index) => {
    const registration = context.agent(definition.agent);
    const deterministic = registration?.options.deterministic === true;
    const pinned = definition.model ?? registration?.options.defaultModel;
    const fallbackModel = deterministic
      ? undefined
      : pinned === undefined
        ? context.defaultModel
        : context.resolveModel(pinned);
    const parents = structure.parents[index] ?? [];
    return {
      definition,
      index,
      children: structure.children[index] ?? [],
      parents,
      pendingParents: parents.length,
      status: undefined,
      output: undefined,
      error: undefined,
      failedRoot: undefined,
      deterministic,
      fallbackModel,
      fallbackSelection: applySelection(fallbackModel, undefined),
      tally: emptyTally(),
      fanOut: undefined,
      hints: invokedHints(definition),
    };
  });
}

function emptyTally(): TaskTally {
  return {
    attempts: 0,
    startedAt: undefined,
    endedAt: undefined,
    tier: undefined,
    model: undefined,
    category: undefined,
    complexity: undefined,
    costMicroUsd: 0,
    baselineMicroUsd: undefined,
    inputTokens: undefined,
    outputTokens: undefined,
    simulated: false,
  };
}

/**
 * `validated: true` tells the router it may start the task optimistic on a cheap tier. Only the
 * coordinator sets it, and only for a task with a validator: a hand-written `validated` is dropped,
 * so an unvalidated task is never cascaded.
 */
function invokedHints(definition: TaskDefinition): Readonly<Record<string, Json>> {
  const { hints, validate } = definition;
  const optimistic = validate?.optimistic === true;
  if (!optimistic && !('validated' in hints)) return hints;
  const { validated: _dropped, ...rest } = hints;
  return optimistic ? { ...rest, validated: true } : rest;
}
