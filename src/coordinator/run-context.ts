import { createValidatorRegistry } from '../agents/validators.ts';
import { systemClock } from '../clock.ts';
import { describeThrown, OrchestratorError } from '../errors.ts';
import { attemptKeyOf, createReplyWaiter } from '../events/reply.ts';
import type { Logger } from '../log.ts';
import { silentLogger } from '../log.ts';
import type { Workflow } from '../workflow/model.ts';
import { renderTemplate } from '../workflow/template.ts';
import { createInProcessExecutor } from './executor.ts';
import { type CoordinatorOptions, defaultDecisions, type RunOptions } from './options.ts';
import { priorityRanks } from './prepare.ts';
import type { RunContext } from './state.ts';

/** What a coordinator resolves once from its options, for all its runs. */
export type CoordinatorSetup = Pick<
  RunContext,
  'decisions' | 'resolveModel' | 'executor' | 'validators' | 'providerFor'
>;

/** The options a coordinator was given, with the documented defaults for the rest. */
export function coordinatorSetup(options: CoordinatorOptions): CoordinatorSetup {
  return {
    decisions: { ...defaultDecisions, ...options.decisions },
    resolveModel: options.resolveModel ?? (() => undefined),
    executor: options.executor ?? createInProcessExecutor(options.agents),
    validators: options.validators ?? createValidatorRegistry(),
    providerFor:
      options.providerFor ??
      ((model) => {
        throw new OrchestratorError(
          'PROVIDER_NOT_CONFIGURED',
          `No provider is configured for model "${model.id}" (${model.provider}).`,
        );
      }),
  };
}

/** Everything the attempts of one run share: the coordinator's setup and the run's own options. */
export function createRunContext(
  options: CoordinatorOptions,
  setup: CoordinatorSetup,
  workflow: Workflow,
  runOptions: RunOptions,
  runId: string,
  signal: AbortSignal,
): RunContext {
  const { bus } = options;
  const { decisions } = setup;
  const log = (options.logger ?? silentLogger).child({ runId });
  const clock = options.clock ?? systemClock;
  return {
    runId,
    workflow,
    sessionId: runOptions.sessionId,
    seed: runOptions.seed,
    runPriorityRank: priorityRanks[runOptions.priority ?? 'low'],
    maxConcurrency: options.maxConcurrency ?? workflow.concurrency.max,
    bus,
    clock,
    log,
    executor: setup.executor,
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
    providerFor: setup.providerFor,
    resolveModel: setup.resolveModel,
    defaultModel: options.defaultModel,
    priceUsage: guarded(options.priceUsage ?? (() => undefined), 'priceUsage', log),
    baselineCost:
      options.baselineCost === undefined ? undefined : guarded(options.baselineCost, 'baselineCost', log),
    renderTemplate: options.renderTemplate ?? renderTemplate,
    redact: options.redact,
    validators: setup.validators,
    resume: runOptions.resume,
    cancelled: undefined,
    signal,
  };
}

/** Stops the run's waits for replies on the bus. */
export function disposeReplyWaiters(context: RunContext): void {
  context.selections?.dispose();
  context.admissions?.dispose();
  context.upgrades?.dispose();
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
