// Events emitted by providers/: circuit-breaker state per provider and model.
import { z } from 'zod';

export const providerCooldownSchema = z
  .object({
    runId: z.string().optional(),
    provider: z.string(),
    model: z.string(),
    failures: z.number().int().nonnegative(),
    cooldownMs: z.number().int().nonnegative(),
    until: z.number(),
    reason: z.string(),
  })
  .strict();
