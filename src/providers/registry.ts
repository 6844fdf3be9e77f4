import { type Clock, systemClock } from '../clock.ts';
import type { ProvidersConfig } from '../config/providers.ts';
import { ProviderError } from '../errors.ts';
import type { EventBus } from '../events/bus.ts';
import type { ModelRef } from '../events/vocabulary.ts';
import { type Logger, silentLogger } from '../log.ts';
import { type CircuitBreaker, createCircuitBreaker } from './circuit-breaker.ts';
import { type Environment, type ResolvedProvider, resolveProviders } from './resolve-providers.ts';
import { defaultRetryPolicy, type RetryPolicy } from './retry.ts';
import { createScrubber, type Scrubber } from './scrubber.ts';
import { createScrubbingLogger } from './scrubbing-logger.ts';
import { createSdkProvider } from './sdk-provider.ts';
import { createSimulationProvider, type SimulatedModel } from './simulation.ts';
import type { Provider } from './types.ts';

export type ProviderRegistryOptions = {
  /** @default systemClock */
  clock?: Clock;
  /** Receives PROVIDER_COOLDOWN events. */
  bus?: EventBus;
  /** Secrets are scrubbed from everything the providers log. @default silentLogger */
  log?: Logger;
  /** Seed of the simulation provider. @default 0 */
  seed?: number;
  /** What the simulation knows of each model, usually from the model catalog. */
  catalog?: (modelId: string) => SimulatedModel | undefined;
  /** The fetch the SDK clients use; tests count requests with it. @default globalThis.fetch */
  fetch?: typeof globalThis.fetch;
};

/** Which providers answer: the simulation when none is configured, otherwise only configured ones. */
export type ProviderRegistry = {
  mode: 'simulation' | 'real';
  /** Every known or configured provider with what it still needs; keys never appear here. */
  providers: readonly ResolvedProvider[];
  /** One line for a run's header: which providers answer. */
  summary: string;
  /** The provider that serves `model`; throws PROVIDER_NOT_CONFIGURED when there is none. */
  providerFor: (model: Pick<ModelRef, 'id' | 'provider'>) => Provider;
  /** For the router: may this model be chosen now? */
  isUsable: (model: Pick<ModelRef, 'id' | 'provider'>) => boolean;
  /** For routing's `usable` hook: true, or the reason the model cannot be chosen now. */
  usable: (model: Pick<ModelRef, 'id' | 'provider'>) => true | string;
  /** Why `isUsable` says no, for the router's reason; undefined when usable. */
  unusableReason: (model: Pick<ModelRef, 'id' | 'provider'>) => string | undefined;
  /** Names of the environment variables that hold keys; e.g. for `shell` to leave out of a child's environment. */
  secretVariables: readonly string[];
  /** Knows every key value read; hand it to the logger and the JSONL sink. */
  scrubber: Scrubber;
  breaker: CircuitBreaker;
};

/**
 * Resolves providers from config and environment (ANTHROPIC_API_KEY, OPENAI_API_KEY,
 * GOOGLE_GENERATIVE_AI_API_KEY, OPENROUTER_API_KEY, OLLAMA_BASE_URL, ... and `*_BASE_URL`).
 * With none configured every model is answered by the simulation (labelled in every output); once
 * any is configured only its models are usable and the simulation is never used.
 */
export function createProviderRegistry(
  config: ProvidersConfig | undefined,
  env: Environment,
  options: ProviderRegistryOptions = {},
): ProviderRegistry {
  const clock = options.clock ?? systemClock;
  const resolved = resolveProviders(config, env);
  const scrubber = createScrubber();
  const secretVariables = [...new Set(resolved.flatMap((provider) => provider.keyEnv))].filter(
    (variable) => env[variable],
  );
  for (const variable of secretVariables) scrubber.add((env[variable] ?? '').trim());
  const log = createScrubbingLogger(options.log ?? silentLogger, scrubber);
  const breaker = createCircuitBreaker({
    ...config?.cooldown,
    clock,
    ...(options.bus === undefined ? {} : { bus: options.bus }),
  });
  const retry: RetryPolicy = { ...defaultRetryPolicy, ...config?.retry };
  const configured = new Map(
    resolved.filter((provider) => provider.configured).map((provider) => [provider.name, provider]),
  );
  const mode = configured.size === 0 ? 'simulation' : 'real';
  const simulation = createSimulationProvider({
    seed: options.seed ?? 0,
    clock,
    ...(options.catalog === undefined ? {} : { catalog: options.catalog }),
    ...(config?.simulation?.latencyScale === undefined
      ? {}
      : { latencyScale: config.simulation.latencyScale }),
  });
  const built = new Map<string, Provider>();

  const unusableReason = (model: Pick<ModelRef, 'id' | 'provider'>): string | undefined => {
    if (mode === 'simulation') return undefined;
    if (!configured.has(model.provider)) {
      const found = resolved.find((provider) => provider.name === model.provider);
      const what = found === undefined ? 'is unknown' : `is not configured (${found.missing})`;
      return `provider "${model.provider}" of model "${model.id}" ${what}; configured: ${[...configured.keys()].map((name) => `"${name}"`).join(', ')}`;
    }
    const state = breaker.state(model.provider, model.id);
    return state.open ? state.reason : undefined;
  };

  const providerFor = (model: Pick<ModelRef, 'id' | 'provider'>): Provider => {
    if (mode === 'simulation') return simulation;
    const provider = configured.get(model.provider);
    if (provider === undefined) {
      throw new ProviderError(
        'PROVIDER_NOT_CONFIGURED',
        `No provider can call model "${model.id}": ${unusableReason(model)}.`,
        {
          retryable: false,
          hint: 'Pick a model of a configured provider, or configure this one (`tierflow doctor` shows what is set).',
        },
      );
    }
    let adapter = built.get(provider.name);
    if (adapter === undefined) {
      adapter = createSdkProvider({
        name: provider.name,
        kind: provider.kind,
        baseURL: provider.baseURL,
        apiKey: provider.apiKey,
        keySource: provider.keySource,
        timeoutMs: provider.timeoutMs ?? config?.timeoutMs ?? 120_000,
        retry,
        breaker,
        clock,
        scrubber,
        log,
        ...(options.fetch === undefined ? {} : { fetch: options.fetch }),
      });
      built.set(provider.name, adapter);
    }
    return adapter;
  };

  const summary =
    mode === 'simulation'
      ? 'providers: simulation (no provider key or local base URL set; every answer is simulated)'
      : `providers: ${[...configured.keys()].join(', ')} (only their models are used)`;

  return {
    mode,
    providers: resolved,
    summary,
    providerFor,
    isUsable: (model) => unusableReason(model) === undefined,
    usable: (model) => unusableReason(model) ?? true,
    unusableReason,
    secretVariables,
    scrubber,
    breaker,
  };
}
