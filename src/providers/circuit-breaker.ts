import { type Clock, systemClock } from '../clock.ts';
import type { EventBus } from '../events/bus.ts';
import type { ProviderCallError } from './call-error.ts';

export type CircuitBreakerOptions = {
  /** Failures within `windowMs` that cool a model down. @default 3 */
  failureThreshold?: number;
  /** @default 60000 */
  windowMs?: number;
  /** How long a cooled-down model is skipped. @default 30000 */
  cooldownMs?: number;
  /** @default systemClock */
  clock?: Clock;
  /** Receives PROVIDER_COOLDOWN when a model is cooled down. */
  bus?: EventBus;
};

/** The state of one provider+model: usable, or cooling down with the reason the router reports. */
export type BreakerState = { open: false } | { open: true; until: number; reason: string };

/** Failure counting and cooldown per provider and model. */
export type CircuitBreaker = {
  state: (provider: string, model: string) => BreakerState;
  recordSuccess: (provider: string, model: string) => void;
  /** Counts failures that say the provider is in trouble (429, 5xx, timeouts, auth), not bad requests or aborts. */
  recordFailure: (provider: string, model: string, error: ProviderCallError, runId?: string) => void;
};

const countedCodes = new Set([
  'PROVIDER_RATE_LIMITED',
  'PROVIDER_UNAVAILABLE',
  'PROVIDER_TIMEOUT',
  'PROVIDER_AUTH',
]);

/** Creates a breaker: `failureThreshold` failures within `windowMs` cool the model down for `cooldownMs`. */
export function createCircuitBreaker(options: CircuitBreakerOptions = {}): CircuitBreaker {
  const threshold = options.failureThreshold ?? 3;
  const windowMs = options.windowMs ?? 60_000;
  const cooldownMs = options.cooldownMs ?? 30_000;
  const clock = options.clock ?? systemClock;
  const failures = new Map<string, number[]>();
  const cooled = new Map<string, { until: number; reason: string }>();
  const keyOf = (provider: string, model: string) => `${provider}\u0000${model}`;

  const state = (provider: string, model: string): BreakerState => {
    const entry = cooled.get(keyOf(provider, model));
    if (entry === undefined) return { open: false };
    if (clock.now() >= entry.until) {
      cooled.delete(keyOf(provider, model));
      return { open: false };
    }
    return { open: true, ...entry };
  };

  const recordFailure = (provider: string, model: string, error: ProviderCallError, runId?: string) => {
    if (!countedCodes.has(error.code)) return;
    const key = keyOf(provider, model);
    const now = clock.now();
    const recent = (failures.get(key) ?? []).filter((at) => now - at < windowMs);
    recent.push(now);
    failures.set(key, recent);
    if (recent.length < threshold || state(provider, model).open) return;
    const until = now + Math.max(cooldownMs, error.retryAfterMs ?? 0);
    const reason =
      `${provider} model "${model}" is cooling down until ${new Date(until).toISOString()} after ` +
      `${recent.length} failures within ${Math.round(windowMs / 1000)} s (last: ${error.code})`;
    cooled.set(key, { until, reason });
    failures.delete(key);
    options.bus?.emit('PROVIDER_COOLDOWN', {
      ...(runId === undefined ? {} : { runId }),
      provider,
      model,
      failures: recent.length,
      cooldownMs: until - now,
      until,
      reason,
    });
  };

  return {
    state,
    recordSuccess: (provider, model) => void failures.delete(keyOf(provider, model)),
    recordFailure,
  };
}
