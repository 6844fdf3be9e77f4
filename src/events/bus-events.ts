// Events emitted by the bus itself.
import { z } from 'zod';
import { eventErrorSchema } from './vocabulary.ts';

/** A subscriber threw or rejected; reported once, and the run goes on. */
export const subscriberFailedSchema = z
  .object({
    runId: z.string().optional(),
    event: z.string(),
    subscriber: z.string(),
    error: eventErrorSchema,
  })
  .strict();
