// Events emitted by learning/: outcomes and routing-policy shifts.
import { z } from 'zod';
import { attemptKey, tierSchema } from './vocabulary.ts';

export const outcomeRecordedSchema = z
  .object({
    ...attemptKey,
    model: z.string(),
    taskType: z.string().optional(),
    success: z.boolean(),
    quality: z.number().min(0).max(1).optional(),
    source: z.enum(['run', 'feedback']),
    /** The routing category of the attempt, when a router decided it. */
    category: z.string().optional(),
    tier: tierSchema.optional(),
    latencyMs: z.number().nonnegative().optional(),
    costMicroUsd: z.number().int().nonnegative().optional(),
  })
  .strict();

export const routingPolicyUpdatedSchema = z
  .object({
    runId: z.string(),
    taskType: z.string(),
    model: z.string(),
    from: z.number(),
    to: z.number(),
    observations: z.number().int().nonnegative(),
  })
  .strict();
