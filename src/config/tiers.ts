// A tier as config files write it, with a message that lists every valid spelling.
import { z } from 'zod';
import { type Tier, tierAliases, tierSchema } from '../events/vocabulary.ts';

/** 0-4, or the aliases weak (1), base (2), strong (4); parses to the tier number. */
export const tierFieldSchema = z
  .union([tierSchema, z.enum(['weak', 'base', 'strong'])], {
    error: 'expected a tier: 0 | 1 | 2 | 3 | 4 | "weak" | "base" | "strong"',
  })
  .transform((value): Tier => (typeof value === 'number' ? value : tierAliases[value]));
