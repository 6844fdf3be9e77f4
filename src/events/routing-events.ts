// Events emitted by routing/: model choices and tier upgrades.
import { z } from 'zod';
import { attemptKey, categorySchema, tierSchema } from './vocabulary.ts';

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
  })
  .strict();

/** The answer to AGENT_FAILED with `willRetry`: the tier of the next attempt, or that the chain is exhausted. */
export const modelTierUpgradeSchema = z
  .object({
    ...attemptKey,
    fromTier: tierSchema,
    /** Undefined when no stronger tier is allowed: the next attempt stays where it was. */
    toTier: tierSchema.optional(),
    exhausted: z.boolean(),
    reason: z.string(),
  })
  .strict();
