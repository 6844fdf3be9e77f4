import {
  environmentVariablePattern,
  type ProviderSettings,
  type ProvidersConfig,
} from '../config/providers.ts';
import { OrchestratorError } from '../errors.ts';
import { knownProviders, normaliseBaseURL } from './known-providers.ts';
import type { ProviderKind } from './sdk-model.ts';
import { createSecret, type Secret } from './secret.ts';

/** The environment as tierflow reads it: `process.env` or a test's record. */
export type Environment = Readonly<Record<string, string | undefined>>;

/** One provider as resolved from config and environment; the key is a Secret and never printed. */
export type ResolvedProvider = {
  name: string;
  kind: ProviderKind;
  baseURL: string | undefined;
  apiKey: Secret | undefined;
  /** The environment variable the key came from, or the ones that would be read. */
  keySource: string | undefined;
  keyEnv: readonly string[];
  baseURLEnv: string | undefined;
  keyRequired: boolean;
  timeoutMs: number | undefined;
  /** True when it can be called: enabled, with a base URL, and with a key if it needs one. */
  configured: boolean;
  /** Why it cannot be called, naming what to set; undefined when configured. */
  missing: string | undefined;
};

/** Resolves every known provider and every provider named in config, in a stable order. */
export function resolveProviders(config: ProvidersConfig | undefined, env: Environment): ResolvedProvider[] {
  const names = [...new Set([...Object.keys(knownProviders), ...Object.keys(config?.providers ?? {})])];
  return names.map((name) => resolveProvider(name, config?.providers?.[name] ?? {}, env));
}

function resolveProvider(name: string, settings: ProviderSettings, env: Environment): ResolvedProvider {
  const known = knownProviders[name];
  const kind = settings.kind ?? known?.kind;
  if (kind === undefined) {
    throw new OrchestratorError(
      'CONFIG_INVALID',
      `Provider "${name}" in the providers config has no "kind".`,
      {
        hint: 'Add `kind: openai-compatible` (or anthropic, openai, google) to it.',
      },
    );
  }
  if (settings.apiKeyEnv !== undefined && !environmentVariablePattern.test(settings.apiKeyEnv)) {
    throw new OrchestratorError(
      'CONFIG_INVALID',
      `apiKeyEnv of provider "${name}" must name an environment variable; its value is not shown in case it is a key.`,
      {
        hint: 'Put the key in an environment variable and write the variable name here.',
      },
    );
  }
  const keyEnv = settings.apiKeyEnv === undefined ? (known?.keyEnv ?? []) : [settings.apiKeyEnv];
  const keySource = keyEnv.find((variable) => (env[variable] ?? '').trim() !== '');
  const apiKey = keySource === undefined ? undefined : createSecret((env[keySource] ?? '').trim());
  const baseURLEnv = known?.baseURLEnv;
  const fromEnv = baseURLEnv === undefined ? undefined : env[baseURLEnv]?.trim() || undefined;
  if (fromEnv !== undefined) checkUrl(fromEnv, baseURLEnv ?? '');
  const rawBaseURL = fromEnv ?? settings.baseURL ?? known?.defaultBaseURL;
  const baseURL = rawBaseURL === undefined ? undefined : normaliseBaseURL(rawBaseURL, kind);
  const keyRequired = settings.keyRequired ?? known?.keyRequired ?? kind !== 'openai-compatible';
  const missing =
    settings.enabled === false
      ? 'disabled in the providers config'
      : baseURL === undefined
        ? `set ${baseURLEnv ?? 'baseURL in the providers config'}`
        : keyRequired && apiKey === undefined
          ? `set ${keyEnv.join(' or ') || 'apiKeyEnv in the providers config'}`
          : undefined;
  return {
    name,
    kind,
    baseURL,
    apiKey,
    keySource,
    keyEnv,
    baseURLEnv,
    keyRequired,
    timeoutMs: settings.timeoutMs,
    configured: missing === undefined,
    missing,
  };
}

function checkUrl(value: string, variable: string): void {
  let protocol = '';
  try {
    protocol = new URL(value).protocol;
  } catch {
    // reported below
  }
  if (protocol === 'http:' || protocol === 'https:') return;
  const shown = value.replace(/\/\/[^/@\s]*@/, '//[REDACTED]@');
  throw new OrchestratorError('CONFIG_INVALID', `${variable} must be an http(s) URL, got "${shown}".`, {
    hint: `Set it like ${variable}=http://localhost:11434/v1, or unset it.`,
  });
}
