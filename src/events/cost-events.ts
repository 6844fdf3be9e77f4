// Events emitted by cost/: admission answers, budgets and throttling.
import { z } from 'zod';
import { attemptKey, prioritySchema } from './vocabulary.ts';

export const throttleLevelSchema = z.enum(['NONE', 'WARNING', 'SOFT', 'HARD', 'CRITICAL']);
export type ThrottleLevel = z.infer<typeof throttleLevelSchema>;

/** The answer to ADMISSION_REQUESTED. */
export const admissionDecidedSchema = z
  .object({
    ...attemptKey,
    decision: z.enum(['allowed', 'throttled', 'blocked']),
    /** With `throttled`: ask again after this long. */
    retryAfterMs: z.number().int().nonnegative().optional(),
    reservedMicroUsd: z.number().int().nonnegative().optional(),
    /** With `blocked`: the budget that tripped, by name. */
    budget: z.string().optional(),
    reason: z.string(),
    /** The throttle level the decision was taken at. */
    level: throttleLevelSchema.optional(),
  })
  .strict();

/** Budget amounts are integer micro-USD when `unit` is `usd`, else tokens. */
const budgetState = {
  runId: z.string(),
  budget: z.string(),
  window: z.string(),
  unit: z.enum(['usd', 'tokens']),
  limit: z.number().nonnegative(),
  spent: z.number().nonnegative(),
  reserved: z.number().nonnegative(),
  /** The session id, category, workflow id or model id the budget is kept for; '' for global. */
  scopeKey: z.string().optional(),
  /** The window's period: `2026-11-22T03`, `2026-11-22` or `2026-11` (UTC). */
  period: z.string().optional(),
};
export const budgetWarningSchema = z
  .object({ ...budgetState, utilisation: z.number(), message: z.string().optional() })
  .strict();
export const budgetExceededSchema = z
  .object({ ...budgetState, taskId: z.string().optional(), message: z.string() })
  .strict();
export const throttleLevelChangedSchema = z
  .object({
    runId: z.string(),
    from: throttleLevelSchema,
    to: throttleLevelSchema,
    budget: z.string(),
    utilisation: z.number().optional(),
    message: z.string().optional(),
  })
  .strict();
export const taskThrottledSchema = z
  .object({
    ...attemptKey,
    priority: prioritySchema,
    level: throttleLevelSchema,
    retryAfterMs: z.number().int().nonnegative(),
  })
  .strict();
