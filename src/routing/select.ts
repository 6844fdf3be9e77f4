// Choosing a model among the candidates of a tier window, under a category's constraints.
import type { ModelSpec } from '../config/models.ts';
import { tokenCostMicroUsd } from '../config/pricing.ts';
import type { CategoryPolicy } from '../config/routing.ts';
import type { Tier } from '../events/vocabulary.ts';
import { dropReason } from './reason.ts';

/** One model considered, with its estimates and why it was not chosen (undefined for the choice). */
export type Candidate = {
  readonly model: ModelSpec;
  readonly estimatedCostMicroUsd: number;
  readonly quality: number;
  readonly observations: number;
  /** Hard exclusions (never relaxed): tried before, unusable, context too long. */
  readonly excluded: string | undefined;
  readonly belowQuality: boolean;
  readonly overCost: boolean;
  readonly overLatency: boolean;
  dropped: string | undefined;
};

/**
 * How the choice was made. `constraints`: cheapest meeting all three. Fallback steps, in order, each
 * tried only when the one before found nothing: `relaxed_latency` (quality and cost kept),
 * `relaxed_cost` (quality kept), `best_quality` (highest estimate left). `none`: no usable candidate.
 */
export type SelectionRule = 'constraints' | 'relaxed_latency' | 'relaxed_cost' | 'best_quality' | 'none';

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

/** Evaluates every model of the window and picks one by the documented rule. */
export function selectModel(input: SelectionInput): Selection {
  const { policy } = input;
  const candidates: Candidate[] = [];
  for (const model of input.models) {
    if (input.allowed[model.tier as Tier] !== true) continue;
    const { quality, observations } = input.estimate(model);
    const estimatedCostMicroUsd = tokenCostMicroUsd(model, input.inputTokens, input.outputTokens);
    candidates.push({
      model,
      estimatedCostMicroUsd,
      quality,
      observations,
      excluded: excludedReason(model, input),
      belowQuality: quality < policy.minQuality,
      overCost: estimatedCostMicroUsd > policy.maxCostMicroUsd,
      overLatency: model.latencyMs > policy.slaMs,
      dropped: undefined,
    });
  }
  candidates.sort(compareCandidates);
  const usable = candidates.filter((candidate) => candidate.excluded === undefined);
  let rule: SelectionRule = 'none';
  let chosen: Candidate | undefined;
  const steps: [SelectionRule, (candidate: Candidate) => boolean][] = [
    ['constraints', (c) => !c.belowQuality && !c.overCost && !c.overLatency],
    ['relaxed_latency', (c) => !c.belowQuality && !c.overCost],
    ['relaxed_cost', (c) => !c.belowQuality],
  ];
  for (const [name, passes] of steps) {
    chosen = usable.find(passes);
    if (chosen !== undefined) {
      rule = name;
      break;
    }
  }
  if (chosen === undefined && usable.length > 0) {
    rule = 'best_quality';
    chosen = usable.reduce((best, candidate) => (candidate.quality > best.quality ? candidate : best));
  }
  for (const candidate of candidates) {
    if (candidate !== chosen) candidate.dropped = dropReason(candidate, chosen, policy);
  }
  return { chosen, rule, candidates };
}
