import { randomUUID } from 'node:crypto';
import { describeThrown, OrchestratorError } from '../errors.ts';
import type { Workflow } from '../workflow/model.ts';
import { resolveInputs } from './inputs.ts';
import type { CoordinatorOptions, RunOptions } from './options.ts';
import { buildRecords } from './records.ts';
import { type RunResult, type RunStatus, summarizeCost, summarizeTask } from './result.ts';
import { type Run, startRun } from './run.ts';
import { coordinatorSetup, createRunContext, disposeReplyWaiters } from './run-context.ts';
import type { RunContext, TaskRecord } from './state.ts';
import { checkRunnable } from './validate.ts';

/** Runs workflows; talks to routing, cost and learning only through events on the bus. */
export type Coordinator = {
  /**
   * Runs a workflow to the end. Rejects only when the workflow or its input cannot run at all
   * (ConfigError, before any event); a failing task is an outcome in the result, never an exception.
   */
  run: (workflow: Workflow, options?: RunOptions) => Promise<RunResult>;
};

/** Creates a coordinator over a bus, an agent registry and the providers. */
export function createCoordinator(options: CoordinatorOptions): Coordinator {
  const setup = coordinatorSetup(options);
  const run = async (workflow: Workflow, runOptions: RunOptions = {}): Promise<RunResult> => {
    const structure = checkRunnable(workflow, {
      agents: options.agents,
      resolveModel: setup.resolveModel,
      maxConcurrency: options.maxConcurrency,
      validators: setup.validators,
      taskTypes: options.taskTypes,
    });
    const inputs = resolveInputs(workflow, runOptions.input);
    const runId = runOptions.runId ?? randomUUID();
    const controller = new AbortController();
    const context = createRunContext(options, setup, workflow, runOptions, runId, controller.signal);
    const records = buildRecords(context, workflow, structure);
    const startedAt = context.clock.now();
    context.bus.emit('WORKFLOW_STARTED', {
      runId,
      workflowId: workflow.id,
      taskCount: records.length,
      input: inputs,
      sessionId: runOptions.sessionId,
      ...(runOptions.resume === undefined ? {} : { resumed: true }),
    });
    let active: Run | undefined;
    const stopWatching = watchAbort(runOptions.signal, (reason) => {
      const error = cancellationOf(runId, reason);
      if (active === undefined) context.cancelled = error;
      else active.cancel(error);
      controller.abort(error);
    });
    active = startRun(context, records, inputs);
    try {
      await active.done;
    } finally {
      stopWatching();
      disposeReplyWaiters(context);
    }
    return finish(context, records, startedAt);
  };
  return { run };
}

/** Calls `onAbort` once the caller's signal aborts (at once if it has); returns how to stop watching. */
function watchAbort(signal: AbortSignal | undefined, onAbort: (reason: unknown) => void): () => void {
  if (signal === undefined) return () => {};
  const listener = () => onAbort(signal.reason);
  if (signal.aborted) listener();
  else signal.addEventListener('abort', listener, { once: true });
  return () => signal.removeEventListener('abort', listener);
}

/** The error a run cancelled by its caller's signal ends with. */
function cancellationOf(runId: string, reason: unknown): OrchestratorError {
  const why =
    reason instanceof Error
      ? reason.message
      : reason === undefined
        ? 'the run was aborted'
        : describeThrown(reason);
  return new OrchestratorError('TASK_CANCELLED', `Run ${runId} was cancelled: ${why}`);
}

function finish(context: RunContext, records: readonly TaskRecord[], startedAt: number): RunResult {
  const endedAt = context.clock.now();
  const count = { succeeded: 0, failed: 0, skipped: 0, cancelled: 0 };
  const failedTasks: string[] = [];
  for (const record of records) {
    const status = record.status ?? 'cancelled';
    count[status]++;
    if (status === 'failed' && !record.definition.continueOnError) failedTasks.push(record.definition.id);
  }
  const summary = {
    runId: context.runId,
    workflowId: context.workflow.id,
    durationMs: endedAt - startedAt,
    ...count,
  };
  let status: RunStatus = 'succeeded';
  if (context.cancelled !== undefined) {
    status = 'cancelled';
    context.bus.emit('WORKFLOW_CANCELLED', { ...summary, reason: context.cancelled.message });
  } else if (failedTasks.length > 0) {
    status = 'failed';
    const first = records.find((record) => record.definition.id === failedTasks[0]);
    context.bus.emit('WORKFLOW_FAILED', { ...summary, failedTasks, error: first?.error });
  } else context.bus.emit('WORKFLOW_COMPLETED', summary);
  return {
    runId: context.runId,
    workflow: context.workflow.id,
    status,
    startedAt,
    endedAt,
    durationMs: endedAt - startedAt,
    tasks: records.map(summarizeTask),
    cost: summarizeCost(records, context.baselineCost !== undefined),
  };
}
