// Choosing a model among the candidates of a tier window, under a category's constraints.
import type { ModelSpec } from '../config/models.ts';
import { tokenCostMicroUsd } from '../config/pricing.ts';
import type { CategoryPolicy } from '../config/routing.ts';
import type { Tier } from '../events/vocabulary.ts';
import type { Candidate, SelectionRule } from './candidate.ts';
import { dropReason } from './reason.ts';

export type { Candidate, SelectionRule } from './candidate.ts';

export type Selection = {
  readonly chosen: Candidate | undefined;
  readonly rule: SelectionRule;
  readonly candidates: Candidate[];
};

export type SelectionInput = {
  readonly models: readonly ModelSpec[];
  /** `allowed[tier]` is true for the tiers of the window. */
  readonly allowed: readonly boolean[];
  readonly policy: CategoryPolicy;
  readonly inputTokens: number;
  readonly outputTokens: number;
  readonly exclude: ReadonlySet<string>;
  readonly estimate: (model: ModelSpec) => { quality: number; observations: number };
  readonly usable: (model: ModelSpec) => boolean | string;
};

/**
 * Cheapest first; at equal cost a free model, then the higher quality, then the lower latency, then
 * the id. The first candidate in this order is never dominated on cost, quality and latency, so the
 * choice lies on the Pareto front.
 */
export function compareCandidates(a: Candidate, b: Candidate): number {
  return (
    a.estimatedCostMicroUsd - b.estimatedCostMicroUsd ||
    Number(b.model.free) - Number(a.model.free) ||
    b.quality - a.quality ||
    a.model.latencyMs - b.model.latencyMs ||
    (a.model.id < b.model.id ? -1 : a.model.id > b.model.id ? 1 : 0)
  );
}

function excludedReason(model: ModelSpec, input: SelectionInput): string | undefined {
  if (input.exclude.has(model.id)) return 'already tried in this attempt chain';
  const usable = input.usable(model);
  if (usable !== true) return typeof usable === 'string' ? usable : 'not usable';
  const needed = input.inputTokens + input.outputTokens;
  if (needed > model.contextWindowTokens)
    return `needs ~${needed} tokens, context window ${model.contextWindowTokens}`;
  return undefined;
}

/** Evaluates every model of the window and picks one by the documented rule; candidates stay in catalog order. */
export function selectModel(input: SelectionInput): Selection {
  const { policy } = input;
  const candidates: Candidate[] = [];
  // One pass keeps the best candidate of each rule, so no sort is needed on the routing path.
  let all: Candidate | undefined;
  let noLatency: Candidate | undefined;
  let qualityOnly: Candidate | undefined;
  let highest: Candidate | undefined;
  for (const model of input.models) {
    if (input.allowed[model.tier as Tier] !== true) continue;
    const { quality, observations } = input.estimate(model);
    const estimatedCostMicroUsd = tokenCostMicroUsd(model, input.inputTokens, input.outputTokens);
    const candidate: Candidate = {
      model,
      estimatedCostMicroUsd,
      quality,
      observations,
      excluded: excludedReason(model, input),
      belowQuality: quality < policy.minQuality,
      overCost: estimatedCostMicroUsd > policy.maxCostMicroUsd,
      overLatency: model.latencyMs > policy.slaMs,
      dropped: undefined,
    };
    candidates.push(candidate);
    if (candidate.excluded !== undefined) continue;
    if (
      highest === undefined ||
      quality > highest.quality ||
      (quality === highest.quality && compareCandidates(candidate, highest) < 0)
    )
      highest = candidate;
    if (candidate.belowQuality) continue;
    if (qualityOnly === undefined || compareCandidates(candidate, qualityOnly) < 0) qualityOnly = candidate;
    if (candidate.overCost) continue;
    if (noLatency === undefined || compareCandidates(candidate, noLatency) < 0) noLatency = candidate;
    if (candidate.overLatency) continue;
    if (all === undefined || compareCandidates(candidate, all) < 0) all = candidate;
  }
  const [chosen, rule]: [Candidate | undefined, SelectionRule] =
    all !== undefined
      ? [all, 'constraints']
      : noLatency !== undefined
        ? [noLatency, 'relaxed_latency']
        : qualityOnly !== undefined
          ? [qualityOnly, 'relaxed_cost']
          : highest !== undefined
            ? [highest, 'best_quality']
            : [undefined, 'none'];
  for (const candidate of candidates) {
    if (candidate !== chosen) candidate.dropped = dropReason(candidate, chosen, policy);
  }
  return { chosen, rule, candidates };
}
