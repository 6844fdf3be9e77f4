// Schema of config/providers.yaml: which providers to use, where they live, how calls are retried
// and cooled down. Keys are never written in config: `apiKeyEnv` names the variable that holds one.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { type ConfigProblem, loadConfigFile } from './catalog-file.ts';

export const providerKindSchema = z.enum(['anthropic', 'openai', 'google', 'openai-compatible']);

export const providerSettingsSchema = z
  .object({
    /** The SDK family; required for providers tierflow does not know by name. */
    kind: providerKindSchema.optional(),
    baseURL: z.url({ protocol: /^https?$/ }).optional(),
    /** The environment variable holding the key, e.g. `MY_PROXY_KEY`; never the key itself. */
    /** Checked by `providerConfigProblems`, which never quotes the value: it may be a key pasted by mistake. */
    apiKeyEnv: z.string().optional(),
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

/** The file name of the providers config inside a config directory. */
export const providersConfigFile = 'providers.yaml';

/**
 * Reads `<dir>/providers.yaml`; the file is optional (undefined when absent), since the usual
 * environment variables configure the known providers.
 * @throws ConfigError with positioned diagnostics when the file is invalid.
 */
export async function loadProvidersConfig(dir: string): Promise<ProvidersConfig | undefined> {
  if (!existsSync(join(dir, providersConfigFile))) return undefined;
  return loadConfigFile(dir, providersConfigFile, providersConfigSchema, providerConfigProblems);
}

/** An environment variable name, as `apiKeyEnv` must be. */
export const environmentVariablePattern = /^[A-Z_][A-Z0-9_]*$/;

/** Checks across fields; an `apiKeyEnv` that is not a variable name is reported at its key, unquoted. */
export function providerConfigProblems(config: ProvidersConfig): ConfigProblem[] {
  return Object.entries(config.providers ?? {}).flatMap(([name, settings]) =>
    settings.apiKeyEnv === undefined || environmentVariablePattern.test(settings.apiKeyEnv)
      ? []
      : [
          {
            path: ['providers', name, 'apiKeyEnv'],
            part: 'key' as const,
            message: `apiKeyEnv of provider "${name}" must name an environment variable; its value is not shown in case it is a key`,
            expected: 'an environment variable name such as MY_PROXY_API_KEY',
            hint: 'Put the key in an environment variable and write the variable name here.',
          },
        ],
  );
}
