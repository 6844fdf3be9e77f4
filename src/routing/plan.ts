// Plans: how a validated task uses its attempts, chosen once before the first one by a planner (the
// outcome learner implements one; it is wired in orchestrator.ts) and then followed attempt by attempt:
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
 * with `escalateTier`, the next attempt is routed at that tier. Later attempts are routed as usual.
 */
export type TaskPlan = {
  readonly pinned: readonly string[];
  readonly peers: readonly string[];
  readonly escalateTier?: Tier | undefined;
  /** The plan in words, with its expected quality and cost: the reason MODEL_SELECTED gives. */
  readonly summary: string;
};

/** Chooses a task's plan; undefined leaves the task to attempt-by-attempt routing. */
export type Planner = { plan: (request: PlanRequest) => TaskPlan | undefined };

/** What the router answers for one attempt: its decision, the peers that check it, and the plan followed. */
export type PlannedRoute = {
  decision: RoutingDecision;
  peers: readonly ModelSpec[];
  /** Set when the attempt follows a plan: `pinned` attempts report the rule `planned`. */
  plan: { summary: string; pinned: boolean } | undefined;
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

/** Routes attempts through their task's plan, asking `planner` (if any) before a validated task's first. */
export function createPlanFollower(
  decide: (request: RoutingRequest) => RoutingDecision,
  catalog: { byId: ReadonlyMap<string, ModelSpec> },
  planner: Planner | undefined,
): PlanFollower {
  const plans = new Map<string, TaskPlan | null>();
  const keyOf = (runId: string, taskId: string) => `${runId}\u0000${taskId}`;

  const planOf = (attempt: PlannedAttempt): TaskPlan | undefined => {
    const key = keyOf(attempt.runId, attempt.taskId);
    const known = plans.get(key);
    if (known !== undefined || attempt.attempt !== 1 || planner === undefined) return known ?? undefined;
    const { validator, request } = attempt;
    if (validator === undefined || request.pinnedModel !== undefined) return undefined;
    // The plan may use any model of the task's category, not only the window of an optimistic start.
    const whole = decide({ ...request, hints: { ...request.hints, validated: false } });
    const plan = planner.plan({
      taskType: whole.classification.taskType,
      category: whole.category,
      text: request.text,
      contextChars: request.contextChars ?? request.text.length,
      validator: validator.kind,
      peers: validator.kind === 'consensus' ? (validator.peers ?? 1) : 0,
      maxAttempts: attempt.maxAttempts ?? 1,
      candidates: whole.candidates.filter(isPlannable).map(toPlanCandidate),
    });
    if (plans.size >= maxPlans) plans.delete(plans.keys().next().value!);
    plans.set(key, plan ?? null);
    return plan;
  };

  const route = (attempt: PlannedAttempt): PlannedRoute => {
    const { request } = attempt;
    // The common case, unvalidated: nothing to plan, no peers.
    if (attempt.validator === undefined) return { decision: decide(request), peers: [], plan: undefined };
    const plan = planOf(attempt);
    const index = attempt.attempt - 1;
    const excluded = new Set(request.excludeModels ?? []);
    const pin = plan?.pinned[index];
    if (plan !== undefined && pin !== undefined && !excluded.has(pin) && catalog.byId.has(pin)) {
      const peers = index === 0 ? specsOf(plan.peers, catalog, excluded) : [];
      return {
        decision: decide({ ...request, pinnedModel: pin }),
        peers,
        plan: { summary: plan.summary, pinned: true },
      };
    }
    if (plan?.escalateTier !== undefined && index === plan.pinned.length) {
      const decision = decide({ ...request, requestedTier: plan.escalateTier });
      return { decision, peers: [], plan: { summary: plan.summary, pinned: false } };
    }
    const decision = decide(request);
    const last = attempt.attempt >= (attempt.maxAttempts ?? 1);
    const wanted = attempt.validator?.kind === 'consensus' && !last ? (attempt.validator.peers ?? 1) : 0;
    return { decision, peers: defaultPeers(decision, wanted), plan: undefined };
  };

  return {
    route,
    forget: (runId, taskId) => void plans.delete(keyOf(runId, taskId)),
    clear: () => plans.clear(),
  };
}

const isPlannable = (candidate: Candidate) => candidate.excluded === undefined;

const toPlanCandidate = (candidate: Candidate): PlanCandidate => ({
  model: candidate.model.id,
  tier: candidate.model.tier,
  estimatedCostMicroUsd: candidate.estimatedCostMicroUsd,
  quality: candidate.quality,
});

function specsOf(
  ids: readonly string[],
  catalog: { byId: ReadonlyMap<string, ModelSpec> },
  excluded: ReadonlySet<string>,
): ModelSpec[] {
  const specs: ModelSpec[] = [];
  for (const id of ids) {
    const spec = catalog.byId.get(id);
    if (spec !== undefined && !excluded.has(id)) specs.push(spec);
  }
  return specs;
}

/**
 * Peers for a consensus without a plan: usable models of the decision's window other than the chosen one,
 * those no dearer than it first, then by estimated quality (best first) and cost (cheapest first).
 */
export function defaultPeers(decision: RoutingDecision, count: number): ModelSpec[] {
  const chosen = decision.model;
  if (count <= 0 || chosen === undefined) return [];
  const own = decision.estimatedCostMicroUsd;
  return decision.candidates
    .filter((candidate) => candidate.excluded === undefined && candidate.model.id !== chosen.id)
    .sort(
      (a, b) =>
        Number(a.estimatedCostMicroUsd > own) - Number(b.estimatedCostMicroUsd > own) ||
        b.quality - a.quality ||
        a.estimatedCostMicroUsd - b.estimatedCostMicroUsd,
    )
    .slice(0, count)
    .map((candidate) => candidate.model);
}
