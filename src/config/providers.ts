// Schema of config/providers.yaml: which providers to use, where they live, how calls are retried
// and cooled down. Keys are never written in config: `apiKeyEnv` names the variable that holds one.
import { z } from 'zod';

export const providerKindSchema = z.enum(['anthropic', 'openai', 'google', 'openai-compatible']);

export const providerSettingsSchema = z
  .object({
    /** The SDK family; required for providers tierflow does not know by name. */
    kind: providerKindSchema.optional(),
    baseURL: z.url({ protocol: /^https?$/ }).optional(),
    /** The environment variable holding the key, e.g. `MY_PROXY_KEY`; never the key itself. */
    apiKeyEnv: z
      .string()
      .regex(/^[A-Z_][A-Z0-9_]*$/, 'an environment variable name such as MY_PROVIDER_API_KEY')
      .optional(),
    /** False for servers that need no key (local OpenAI-compatible servers). */
    keyRequired: z.boolean().optional(),
    /** False turns a provider off even when its key is set. */
    enabled: z.boolean().optional(),
    timeoutMs: z.number().int().positive().optional(),
  })
  .strict();
export type ProviderSettings = z.infer<typeof providerSettingsSchema>;

export const retrySettingsSchema = z
  .object({
    maxAttempts: z.number().int().min(1).max(10).optional(),
    baseDelayMs: z.number().int().nonnegative().optional(),
    maxDelayMs: z.number().int().nonnegative().optional(),
    maxRetryAfterMs: z.number().int().nonnegative().optional(),
  })
  .strict();

export const cooldownSettingsSchema = z
  .object({
    failureThreshold: z.number().int().positive().optional(),
    windowMs: z.number().int().positive().optional(),
    cooldownMs: z.number().int().nonnegative().optional(),
  })
  .strict();

export const providersConfigSchema = z
  .object({
    /** Per provider name, as the model catalog writes it (`anthropic`, `ollama`, or your own). */
    providers: z
      .record(
        z.string().regex(/^[a-z][a-z0-9-]*$/, 'a lower-case name such as "my-proxy"'),
        providerSettingsSchema,
      )
      .optional(),
    /** Default per-request timeout. @default 120000 */
    timeoutMs: z.number().int().positive().optional(),
    retry: retrySettingsSchema.optional(),
    cooldown: cooldownSettingsSchema.optional(),
    simulation: z.object({ latencyScale: z.number().nonnegative().optional() }).strict().optional(),
  })
  .strict();
export type ProvidersConfig = z.infer<typeof providersConfigSchema>;
