import { randomUUID } from 'node:crypto';
import { createValidatorRegistry } from '../agents/validators.ts';
import { systemClock } from '../clock.ts';
import { describeThrown, OrchestratorError } from '../errors.ts';
import { attemptKeyOf, createReplyWaiter } from '../events/reply.ts';
import type { Json } from '../events/vocabulary.ts';
import { type Logger, silentLogger } from '../log.ts';
import type { TaskDefinition, Workflow } from '../workflow/model.ts';
import { renderTemplate } from '../workflow/template.ts';
import { applySelection } from './decisions.ts';
import { createInProcessExecutor } from './executor.ts';
import { resolveInputs } from './inputs.ts';
import { type CoordinatorOptions, defaultDecisions, type RunOptions } from './options.ts';
import { priorityRanks } from './prepare.ts';
import { type RunResult, type RunStatus, summarizeCost, summarizeTask } from './result.ts';
import { startRun } from './run.ts';
import type { RunContext, TaskRecord } from './state.ts';
import type { Structure } from './structure.ts';
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
  const decisions = { ...defaultDecisions, ...options.decisions };
  const resolveModel = options.resolveModel ?? (() => undefined);
  const executor = options.executor ?? createInProcessExecutor(options.agents);
  const validators = options.validators ?? createValidatorRegistry();
  const providerFor =
    options.providerFor ??
    ((model) => {
      throw new OrchestratorError(
        'PROVIDER_NOT_CONFIGURED',
        `No provider is configured for model "${model.id}" (${model.provider}).`,
      );
    });

  const run = async (workflow: Workflow, runOptions: RunOptions = {}): Promise<RunResult> => {
    const structure = checkRunnable(workflow, {
      agents: options.agents,
      resolveModel,
      maxConcurrency: options.maxConcurrency,
      validators,
    });
    const inputs = resolveInputs(workflow, runOptions.input);
    const runId = runOptions.runId ?? randomUUID();
    const controller = new AbortController();
    const { bus } = options;
    const runLog = (options.logger ?? silentLogger).child({ runId });
    const clock = options.clock ?? systemClock;
    const context: RunContext = {
      runId,
      workflow,
      sessionId: runOptions.sessionId,
      seed: runOptions.seed,
      runPriorityRank: priorityRanks[runOptions.priority ?? 'low'],
      maxConcurrency: options.maxConcurrency ?? workflow.concurrency.max,
      bus,
      clock,
      log: runLog,
      executor,
      agent: (name) => options.agents.get(name),
      decisions,
      selections: decisions.modelSelection.await
        ? createReplyWaiter(bus, 'MODEL_SELECTED', attemptKeyOf, clock)
        : undefined,
      admissions: decisions.admission.await
        ? createReplyWaiter(bus, 'ADMISSION_DECIDED', attemptKeyOf, clock)
        : undefined,
      upgrades: decisions.tierUpgrade.await
        ? createReplyWaiter(bus, 'MODEL_TIER_UPGRADE', attemptKeyOf, clock)
        : undefined,
      providerFor,
      resolveModel,
      defaultModel: options.defaultModel,
      priceUsage: guarded(options.priceUsage ?? (() => undefined), 'priceUsage', runLog),
      baselineCost:
        options.baselineCost === undefined
          ? undefined
          : guarded(options.baselineCost, 'baselineCost', runLog),
      renderTemplate: options.renderTemplate ?? renderTemplate,
      redact: options.redact,
      validators,
      resume: runOptions.resume,
      cancelled: undefined,
      signal: controller.signal,
    };
    const records = buildRecords(context, workflow, structure);
    const startedAt = context.clock.now();
    bus.emit('WORKFLOW_STARTED', {
      runId,
      workflowId: workflow.id,
      taskCount: records.length,
      input: inputs,
      sessionId: runOptions.sessionId,
      ...(runOptions.resume === undefined ? {} : { resumed: true }),
    });
    let active: ReturnType<typeof startRun> | undefined;
    const onAbort = () => {
      const reason = runOptions.signal?.reason;
      const why =
        reason instanceof Error
          ? reason.message
          : reason === undefined
            ? 'the run was aborted'
            : describeThrown(reason);
      const error = new OrchestratorError('TASK_CANCELLED', `Run ${runId} was cancelled: ${why}`);
      if (active === undefined) context.cancelled = error;
      else active.cancel(error);
      controller.abort(error);
    };
    if (runOptions.signal?.aborted) onAbort();
    else runOptions.signal?.addEventListener('abort', onAbort, { once: true });
    active = startRun(context, records, inputs);
    try {
      await active.done;
    } finally {
      runOptions.signal?.removeEventListener('abort', onAbort);
      context.selections?.dispose();
      context.admissions?.dispose();
      context.upgrades?.dispose();
    }
    return finish(context, records, startedAt);
  };

  return { run };
}

function buildRecords(context: RunContext, workflow: Workflow, structure: Structure): TaskRecord[] {
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
      tally: {
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
      },
      fanOut: undefined,
      hints: invokedHints(definition),
    };
  });
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

/**
 * A pricing callback that cannot break an attempt: a throw counts as "unknown" (the cost is then
 * booked as estimated) and is logged, so every AGENT_INVOKED still ends in exactly one outcome event.
 */
function guarded<A extends unknown[]>(
  price: (...args: A) => number | undefined,
  name: string,
  log: Logger,
): (...args: A) => number | undefined {
  return (...args) => {
    try {
      return price(...args);
    } catch (error) {
      log.error({ callback: name, error: describeThrown(error) }, 'pricing callback threw; cost unknown');
      return undefined;
    }
  };
}
