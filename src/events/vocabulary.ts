import { z } from 'zod';

/** Model tiers: 0 = deterministic (no LLM), 1 small and fast, 2 balanced, 3 balanced with reasoning, 4 strongest. */
export const tierSchema = z.union([z.literal(0), z.literal(1), z.literal(2), z.literal(3), z.literal(4)]);
export type Tier = z.infer<typeof tierSchema>;
export const tiers: readonly Tier[] = [0, 1, 2, 3, 4];

/** A tier as users write it: 0-4, or the aliases weak (1), base (2), strong (4). */
export const tierAliases = { weak: 1, base: 2, strong: 4 } as const satisfies Record<string, Tier>;
export const tierInputSchema = z.union([
  tierSchema,
  z.enum(['weak', 'base', 'strong']).transform((alias): Tier => tierAliases[alias]),
]);

export const prioritySchema = z.enum(['low', 'normal', 'high', 'critical']);
export type Priority = z.infer<typeof prioritySchema>;

export const categorySchema = z.enum(['FAST', 'NORMAL', 'COMPLEX', 'HIGH_COMPLEX']);
export type Category = z.infer<typeof categorySchema>;

export const taskStatusSchema = z.enum(['succeeded', 'failed', 'skipped', 'cancelled']);
export type TaskStatus = z.infer<typeof taskStatusSchema>;

/** Token counts as the provider reported them; unknown stays undefined, never 0. */
export const usageSchema = z
  .object({
    inputTokens: z.number().int().nonnegative().optional(),
    outputTokens: z.number().int().nonnegative().optional(),
    cachedInputTokens: z.number().int().nonnegative().optional(),
    reasoningTokens: z.number().int().nonnegative().optional(),
  })
  .strict();
export type Usage = z.infer<typeof usageSchema>;

/** An error as it travels in events: a closed code (see errors.ts), the message, a hint. */
export const eventErrorSchema = z
  .object({ code: z.string(), message: z.string(), hint: z.string().optional() })
  .strict();
export type EventError = z.infer<typeof eventErrorSchema>;

/** A tier window written on a task: `tier: {min, max, start}`. */
export const tierRangeSchema = z
  .object({ min: tierSchema, max: tierSchema, start: tierSchema.optional() })
  .strict();
export type TierRange = z.infer<typeof tierRangeSchema>;

/** Which model ran (or will run) an attempt. */
export const modelRefSchema = z.object({ id: z.string(), provider: z.string(), tier: tierSchema }).strict();
export type ModelRef = z.infer<typeof modelRefSchema>;

/** JSON values: what outputs, inputs and hints may hold so that every event stays serialisable. */
export type Json = string | number | boolean | null | Json[] | { [key: string]: Json };
export const jsonSchema: z.ZodType<Json> = z.lazy(() =>
  z.union([
    z.string(),
    z.number(),
    z.boolean(),
    z.null(),
    z.array(jsonSchema),
    z.record(z.string(), jsonSchema),
  ]),
);

/** Fields every task-level event carries. */
export const taskKey = { runId: z.string(), taskId: z.string() };
/** Fields every attempt-level event carries: the correlation key of request and reply. */
export const attemptKey = { ...taskKey, attempt: z.number().int().positive() };
