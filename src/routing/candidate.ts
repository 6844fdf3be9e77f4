// A model considered by a decision, and how the choice was made.
import type { ModelSpec } from '../config/models.ts';

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
