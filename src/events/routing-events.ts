// Events emitted by routing/: model choices and tier upgrades.
import { z } from 'zod';
import { attemptKey, categorySchema, tierSchema } from './vocabulary.ts';

/** The four factors of a complexity score; their sum is the score. */
export const complexityFactorsSchema = z
  .object({
    context: z.number().int().min(1).max(3),
    taskType: z.number().int().min(1).max(4),
    files: z.number().int().min(1).max(2),
    failures: z.number().int().min(0).max(1),
  })
  .strict();

/** A model the router considered; `dropped` says why it was not chosen (absent for the choice). */
export const routingCandidateSchema = z
  .object({
    model: z.string(),
    provider: z.string(),
    tier: tierSchema,
    estimatedCostMicroUsd: z.number().int().nonnegative(),
    quality: z.number().min(0).max(1),
    latencyMs: z.number().nonnegative(),
    dropped: z.string().optional(),
  })
  .strict();

/** A consensus peer the router chose. */
export const peerSchema = z
  .object({
    model: z.string(),
    provider: z.string(),
    tier: tierSchema,
    estimatedCostMicroUsd: z.number().int().nonnegative(),
  })
  .strict();

/** The answer to AGENT_INVOKED: which model runs this attempt, and why. */
export const modelSelectedSchema = z
  .object({
    ...attemptKey,
    model: z.string(),
    provider: z.string(),
    tier: tierSchema,
    category: categorySchema,
    complexity: z.number().int().min(1).max(10),
    taskType: z.string(),
    estimatedCostMicroUsd: z.number().int().nonnegative(),
    reason: z.string(),
    /** False in shadow mode: the decision is reported but the agent's default model runs. */
    enforced: z.boolean(),
    factors: complexityFactorsSchema.optional(),
    /** Estimated tokens of the task's input and prompt. */
    contextTokens: z.number().int().nonnegative().optional(),
    filesReferenced: z.number().int().nonnegative().optional(),
    /**
     * How the model was chosen: `constraints` (cheapest meeting quality, cost and latency), the
     * fallback steps `relaxed_latency`, `relaxed_cost`, `best_quality`, `pinned` (the task's model),
     * or `default_model` (nothing in the catalog could be used; the agent's default stands).
     */
    rule: z
      .enum([
        'constraints',
        'relaxed_latency',
        'relaxed_cost',
        'best_quality',
        'pinned',
        'planned',
        'default_model',
      ])
      .optional(),
    /** The tiers the decision could choose from. */
    tiers: z.array(tierSchema).optional(),
    candidates: z.array(routingCandidateSchema).optional(),
    /**
     * Models that answer the same request to check this one (a consensus validator), asked in order;
     * their estimated cost is included in `estimatedCostMicroUsd`.
     */
    peers: z.array(peerSchema).optional(),
    /** For rule `planned`: the task's plan, in words (pins, peers, escalation, expected quality and cost). */
    plan: z.string().optional(),
  })
  .strict();

/**
 * The answer to AGENT_FAILED with `willRetry`: the tier of the next attempt. `exhausted` means the
 * chain has no stronger tier left for this task (a retry, if any, stays on `fromTier`).
 */
export const modelTierUpgradeSchema = z
  .object({
    ...attemptKey,
    fromTier: tierSchema,
    /** Undefined when no stronger tier is allowed: the next attempt stays where it was. */
    toTier: tierSchema.optional(),
    exhausted: z.boolean(),
    reason: z.string(),
    /** Models tried so far in this task's attempt chain; the next attempt must not use them. */
    triedModels: z.array(z.string()).optional(),
  })
  .strict();
