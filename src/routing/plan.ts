// Plans: how a validated task uses its attempts, chosen once before the first one by a planner (the
// learning folder's createPlanner makes one; orchestrator.ts wires it) and then followed attempt by attempt:
// pinned models in order, consensus peers for the first, and a last attempt routed at a given tier.
// Without a plan a validated task is routed attempt by attempt, and a consensus gets default peers.
import type { ModelSpec } from '../config/models.ts';
import type { Category, Tier } from '../events/vocabulary.ts';
import type { Candidate } from './candidate.ts';
import type { RoutingDecision, RoutingRequest } from './router.ts';

/** The kinds of validator a task may declare (AGENT_INVOKED `validator.kind`). */
export type ValidatorKind = 'command' | 'predicate' | 'consensus';

/** A model a plan may use, with the router's estimates for this task. */
export type PlanCandidate = {
  readonly model: string;
  readonly tier: Tier;
  readonly estimatedCostMicroUsd: number;
  readonly quality: number;
};

/** What a planner is asked, once per task, before its first attempt. */
export type PlanRequest = {
  readonly taskType: string;
  readonly category: Category;
  readonly text: string;
  readonly contextChars: number;
  readonly validator: ValidatorKind;
  /** Most peers a consensus may ask (0 for other validators). */
  readonly peers: number;
  /** Attempts the task may have in all. */
  readonly maxAttempts: number;
  /** The models the task's category allows and that can be called now, not tried yet. */
  readonly candidates: readonly PlanCandidate[];
};

/**
 * A task's plan: `pinned[i]` runs attempt i + 1 (the first one checked by `peers`, when it has any); then,
 * with `escalateTier`, the next attempt runs `escalateModel` or is routed at that tier. Later attempts are
 * routed as usual, never below the escalation's tier.
 */
export type TaskPlan = {
  readonly pinned: readonly string[];
  readonly peers: readonly string[];
  readonly escalateTier?: Tier | undefined;
  /** The model the escalation was priced with: pinned when it can be used, else the tier is routed. */
  readonly escalateModel?: string | undefined;
  /** The plan in words, with its expected quality and cost: the reason MODEL_SELECTED gives. */
  readonly summary: string;
};

/**
 * Chooses a task's plan; undefined, or a plan with no pins and no escalation, leaves the task to
 * attempt-by-attempt routing (the latter's `summary` says why, at the head of the first reason).
 */
export type Planner = { plan: (request: PlanRequest) => TaskPlan | undefined };

/** What the router answers for one attempt: its decision, the peers that check it, and the plan followed. */
export type PlannedRoute = {
  decision: RoutingDecision;
  peers: readonly ModelSpec[];
  /** Set when the attempt follows a plan: `pinned` attempts report the rule `planned`. */
  plan: { summary: string; pinned: boolean } | undefined;
  /** Why a task the planner was asked about has no plan (its first attempt only). */
  note?: string | undefined;
};

/** The fields of AGENT_INVOKED a plan needs beyond the routing request. */
export type PlannedAttempt = {
  runId: string;
  taskId: string;
  attempt: number;
  request: RoutingRequest;
  validator: { kind: ValidatorKind; peers?: number | undefined } | undefined;
  maxAttempts: number | undefined;
};

/** Plans of tasks still running; bounded in case a task's end is never seen. */
const maxPlans = 10_000;

export type PlanFollower = {
  route: (attempt: PlannedAttempt) => PlannedRoute;
  /** Forgets a task's plan (it ended). */
  forget: (runId: string, taskId: string) => void;
  clear: () => void;
};

/** What following plans needs: the router's decision, the catalog, the planner, usability, the plans. */
type Follower = {
  decide: (request: RoutingRequest) => RoutingDecision;
  catalog: { byId: ReadonlyMap<string, ModelSpec> };
  planner: Planner | undefined;
  usable: (model: ModelSpec) => boolean | string;
  /** Per (run, task): its plan, or null when the planner gave none. */
  plans: Map<string, TaskPlan | null>;
};

/** Routes attempts through their task's plan, asking `planner` (if any) before a validated task's first. */
export function createPlanFollower(
  decide: (request: RoutingRequest) => RoutingDecision,
  catalog: { byId: ReadonlyMap<string, ModelSpec> },
  planner: Planner | undefined,
  usable: (model: ModelSpec) => boolean | string = () => true,
): PlanFollower {
  const follower: Follower = { decide, catalog, planner, usable, plans: new Map() };
  return {
    route: (attempt) => route(follower, attempt),
    forget: (runId, taskId) => void follower.plans.delete(planKeyOf(runId, taskId)),
    clear: () => follower.plans.clear(),
  };
}

const planKeyOf = (runId: string, taskId: string) => `${runId}\u0000${taskId}`;

function route(follower: Follower, attempt: PlannedAttempt): PlannedRoute {
  const { request } = attempt;
  // The common case, unvalidated: nothing to plan, no peers.
  if (attempt.validator === undefined)
    return { decision: follower.decide(request), peers: [], plan: undefined };
  const plan = planOf(follower, attempt);
  const step = plan === undefined ? undefined : planned(follower, attempt, plan);
  if (step !== undefined) return step;
  const empty = plan !== undefined && plan.pinned.length === 0 && plan.escalateTier === undefined;
  // After an escalation, the task is never routed below its tier (a plan's failed pins asked for none).
  const floor = plan?.escalateTier;
  const pastPlan = plan !== undefined && attempt.attempt > plan.pinned.length;
  const requestedTier =
    floor !== undefined && pastPlan && (request.requestedTier ?? 0) < floor ? floor : request.requestedTier;
  const routed = routedWithPeers(follower, attempt, { ...request, requestedTier });
  return empty && attempt.attempt === 1 ? { ...routed, note: plan.summary } : routed;
}

/** The task's plan: asked for before its first attempt (validated, with a known attempt limit), then kept. */
function planOf(follower: Follower, attempt: PlannedAttempt): TaskPlan | undefined {
  const key = planKeyOf(attempt.runId, attempt.taskId);
  const known = follower.plans.get(key);
  const { planner } = follower;
  if (known !== undefined || attempt.attempt !== 1 || planner === undefined) return known ?? undefined;
  const { validator, request } = attempt;
  // Without the attempt limit a plan cannot be fitted to it: the task is routed attempt by attempt.
  if (validator === undefined || request.pinnedModel !== undefined || attempt.maxAttempts === undefined)
    return undefined;
  // The plan may use any model of the task's category, not only the window of an optimistic start.
  const whole = follower.decide({ ...request, hints: { ...request.hints, validated: false } });
  const plan = planner.plan({
    taskType: whole.classification.taskType,
    category: whole.category,
    text: request.text,
    contextChars: request.contextChars ?? request.text.length,
    validator: validator.kind,
    peers: validator.kind === 'consensus' ? (validator.peers ?? 1) : 0,
    maxAttempts: attempt.maxAttempts,
    candidates: whole.candidates.filter(isPlannable).map(toPlanCandidate),
  });
  if (follower.plans.size >= maxPlans) follower.plans.delete(follower.plans.keys().next().value!);
  follower.plans.set(key, plan ?? null);
  return plan;
}

/** The spec of a model the attempt may use now: known, not tried, provider usable. */
function available(follower: Follower, id: string | undefined, excluded: ReadonlySet<string>) {
  const spec = id === undefined || excluded.has(id) ? undefined : follower.catalog.byId.get(id);
  return spec !== undefined && follower.usable(spec) === true ? spec : undefined;
}

/** A plan's step for this attempt: its pinned model (with peers on the first), or its escalation. */
function planned(follower: Follower, attempt: PlannedAttempt, plan: TaskPlan): PlannedRoute | undefined {
  const { request } = attempt;
  const index = attempt.attempt - 1;
  const excluded = new Set(request.excludeModels ?? []);
  const pin = available(follower, plan.pinned[index], excluded);
  if (pin !== undefined) {
    const consensus = attempt.validator?.kind === 'consensus';
    const wanted = index === 0 && consensus ? (attempt.validator?.peers ?? 1) : 0;
    const peers = plan.peers
      .filter((id) => id !== pin.id)
      .map((id) => available(follower, id, excluded))
      .filter((spec): spec is ModelSpec => spec !== undefined)
      .slice(0, wanted);
    return {
      decision: follower.decide({ ...request, pinnedModel: pin.id }),
      peers,
      plan: { summary: plan.summary, pinned: true },
    };
  }
  if (plan.escalateTier === undefined || index !== plan.pinned.length) return undefined;
  const model = available(follower, plan.escalateModel, excluded);
  const decision = follower.decide(
    model === undefined
      ? { ...request, requestedTier: plan.escalateTier }
      : { ...request, pinnedModel: model.id },
  );
  return { decision, peers: [], plan: { summary: plan.summary, pinned: false } };
}

/** Routes as usual; a consensus gets default peers on every attempt but its last (an unknown limit: every). */
function routedWithPeers(follower: Follower, attempt: PlannedAttempt, request: RoutingRequest): PlannedRoute {
  const decision = follower.decide(request);
  const last = attempt.maxAttempts !== undefined && attempt.attempt >= attempt.maxAttempts;
  const wanted = attempt.validator?.kind === 'consensus' && !last ? (attempt.validator.peers ?? 1) : 0;
  if (wanted === 0 || decision.model === undefined) return { decision, peers: [], plan: undefined };
  // A pinned model has no candidates to draw peers from: they come from the task's routed window.
  const window =
    decision.rule === 'pinned' ? follower.decide({ ...request, pinnedModel: undefined }) : decision;
  const peers = defaultPeers(window.candidates, decision.model, decision.estimatedCostMicroUsd, wanted);
  return { decision, peers, plan: undefined };
}

const isPlannable = (candidate: Candidate) => candidate.excluded === undefined;

const toPlanCandidate = (candidate: Candidate): PlanCandidate => ({
  model: candidate.model.id,
  tier: candidate.model.tier,
  estimatedCostMicroUsd: candidate.estimatedCostMicroUsd,
  quality: candidate.quality,
});

/**
 * Peers for a consensus without a plan: usable candidates other than the chosen model, those no dearer than
 * it first, then by estimated quality (best first) and cost (cheapest first).
 */
export function defaultPeers(
  candidates: readonly Candidate[],
  chosen: ModelSpec,
  chosenCostMicroUsd: number,
  count: number,
): ModelSpec[] {
  if (count <= 0) return [];
  return candidates
    .filter((candidate) => candidate.excluded === undefined && candidate.model.id !== chosen.id)
    .sort(
      (a, b) =>
        Number(a.estimatedCostMicroUsd > chosenCostMicroUsd) -
          Number(b.estimatedCostMicroUsd > chosenCostMicroUsd) ||
        b.quality - a.quality ||
        a.estimatedCostMicroUsd - b.estimatedCostMicroUsd,
    )
    .slice(0, count)
    .map((candidate) => candidate.model);
}
