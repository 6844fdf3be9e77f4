// The router on the bus: answers every AGENT_INVOKED with MODEL_SELECTED.

import type { ModelSpec } from '../config/models.ts';
import { tokenCostMicroUsd } from '../config/pricing.ts';
import { type RoutingMode, resolveRoutingMode } from '../config/routing.ts';
import type { Dispose, EventBus, EventPayload } from '../events/index.ts';
import { attemptKeyOf } from '../events/reply.ts';
import { type Logger, silentLogger } from '../log.ts';
import { createPlanFollower, type PlannedRoute, type Planner } from './plan.ts';
import { createRouter, type RouterOptions, type RoutingDecision } from './router.ts';

export type RouterSubscriberOptions = RouterOptions & {
  /** @default `TIERFLOW_ROUTING` when set, else `mode` of routing.yaml */
  mode?: RoutingMode;
  logger?: Logger;
  /** Chooses a plan for each validated task before its first attempt. @default none: attempt by attempt */
  planner?: Planner;
};

/** Attempts whose outcome has not been seen yet; bounded in case an outcome never arrives. */
const maxPending = 10_000;

/**
 * Subscribes the router: AGENT_INVOKED -> MODEL_SELECTED (enforced in mode `on`, reported only in
 * `shadow`), and AGENT_COMPLETED / AGENT_FAILED feed the recent-failures factor. In mode `off` it
 * subscribes nothing, so every task keeps its agent's default model.
 */
export function subscribeRouter(bus: EventBus, options: RouterSubscriberOptions): Dispose {
  const mode = options.mode ?? resolveRoutingMode(options.config.mode, process.env);
  if (mode === 'off') return () => {};
  const router = createRouter(options);
  const follower = createPlanFollower(router.decide, options.catalog, options.planner, options.usable);
  const log = (options.logger ?? silentLogger).child({ subscriber: 'router' });
  const pending = new Map<string, string>();
  const skipOn = options.config.upgrade.skipOn;

  const onInvoked = (event: EventPayload<'AGENT_INVOKED'>) => {
    // A tier-0 agent (shell, or one registered as deterministic) calls no model: nothing to choose.
    if (event.deterministic === true) return;
    const route = follower.route({
      runId: event.runId,
      taskId: event.taskId,
      attempt: event.attempt,
      request: {
        text: event.text,
        contextChars: event.contextChars,
        hints: event.hints,
        tier: event.tier,
        requestedTier: event.requestedTier,
        pinnedModel: event.pinnedModel,
        excludeModels: event.excludeModels,
        attempt: event.attempt,
      },
      validator: event.validator,
      maxAttempts: event.maxAttempts,
    });
    const { decision } = route;
    const key = attemptKeyOf(event);
    if (pending.size >= maxPending) pending.delete(pending.keys().next().value!);
    pending.set(key, decision.classification.taskType);
    const selected = toModelSelected(event, route, mode === 'on', options);
    if (selected === undefined) {
      log.warn({ runId: event.runId, taskId: event.taskId, reason: decision.reason }, 'no model to route to');
      return;
    }
    bus.emit('MODEL_SELECTED', selected);
  };

  const onOutcome = (
    event: EventPayload<'AGENT_COMPLETED'> | EventPayload<'AGENT_FAILED'>,
    failed: boolean,
  ) => {
    // A task whose attempt succeeded, or failed for the last time, needs its plan no more.
    if (!failed || ('willRetry' in event && !event.willRetry)) follower.forget(event.runId, event.taskId);
    const key = attemptKeyOf(event);
    const taskType = pending.get(key);
    if (taskType === undefined) return;
    pending.delete(key);
    // Failures no stronger model could avoid (budget, auth, cancellation) say nothing about the task type.
    if (failed && 'error' in event && skipOn.has(event.error.code)) return;
    router.recordOutcome(taskType, failed);
  };

  const disposers = [
    bus.on('AGENT_INVOKED', onInvoked, { name: 'router' }),
    bus.on('AGENT_COMPLETED', (event) => onOutcome(event, false), { name: 'router' }),
    bus.on('AGENT_FAILED', (event) => onOutcome(event, true), { name: 'router' }),
  ];
  return () => {
    for (const dispose of disposers) dispose();
    pending.clear();
    follower.clear();
  };
}

function toModelSelected(
  event: EventPayload<'AGENT_INVOKED'>,
  route: PlannedRoute,
  enforced: boolean,
  options: RouterOptions,
): EventPayload<'MODEL_SELECTED'> | undefined {
  const { decision } = route;
  const { complexity } = decision;
  const common = {
    runId: event.runId,
    taskId: event.taskId,
    attempt: event.attempt,
    category: decision.category,
    complexity: complexity.score,
    taskType: decision.classification.taskType,
    enforced,
    factors: { ...complexity.factors },
    contextTokens: complexity.contextTokens,
    filesReferenced: complexity.filesReferenced,
    tiers: [...decision.tiers],
    candidates: decision.candidates.map((candidate) => ({
      model: candidate.model.id,
      provider: candidate.model.provider,
      tier: candidate.model.tier,
      estimatedCostMicroUsd: candidate.estimatedCostMicroUsd,
      quality: Math.min(1, Math.max(0, candidate.quality)),
      latencyMs: candidate.model.latencyMs,
      ...(candidate.dropped === undefined ? {} : { dropped: candidate.dropped }),
    })),
  };
  if (decision.model !== undefined && decision.rule !== 'none') {
    const peers = route.peers.map((peer) => peerOf(peer, decision));
    const { plan } = route;
    // The plan followed, or why there is none, heads the reason.
    const head = plan === undefined ? route.note : `plan: ${plan.summary}`;
    return {
      ...common,
      model: decision.model.id,
      provider: decision.model.provider,
      tier: decision.model.tier,
      estimatedCostMicroUsd: peers.reduce(
        (sum, peer) => sum + peer.estimatedCostMicroUsd,
        decision.estimatedCostMicroUsd,
      ),
      reason: head === undefined ? decision.reason : `${head}; ${decision.reason}`,
      rule: plan?.pinned === true ? 'planned' : decision.rule,
      ...(peers.length === 0 ? {} : { peers }),
      ...(plan === undefined ? {} : { plan: plan.summary }),
    };
  }
  const fallback = event.defaultModel;
  if (fallback === undefined) return undefined;
  const spec = options.catalog.byId.get(fallback.id);
  return {
    ...common,
    model: fallback.id,
    provider: fallback.provider,
    tier: fallback.tier,
    estimatedCostMicroUsd:
      spec === undefined
        ? 0
        : tokenCostMicroUsd(spec, complexity.contextTokens, decision.classification.expectedOutputTokens),
    reason: `${decision.reason}; keeping the agent's default model ${fallback.id}`,
    rule: 'default_model',
  };
}

/** A consensus peer as MODEL_SELECTED names it, priced for the same request. */
function peerOf(peer: ModelSpec, decision: RoutingDecision) {
  return {
    model: peer.id,
    provider: peer.provider,
    tier: peer.tier,
    estimatedCostMicroUsd: tokenCostMicroUsd(
      peer,
      decision.complexity.contextTokens,
      decision.classification.expectedOutputTokens,
    ),
  };
}
