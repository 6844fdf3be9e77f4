// Events emitted by learning/: outcomes and routing-policy shifts.
import { z } from 'zod';
import { attemptKey } from './vocabulary.ts';

export const outcomeRecordedSchema = z
  .object({
    ...attemptKey,
    model: z.string(),
    taskType: z.string().optional(),
    success: z.boolean(),
    quality: z.number().min(0).max(1).optional(),
    source: z.enum(['run', 'feedback']),
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
