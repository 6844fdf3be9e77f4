import { describe, expect, it } from 'vitest';
import type { Clock } from '../../src/clock.ts';
import { createEventBus } from '../../src/events/bus.ts';
import { ProviderCallError } from '../../src/providers/call-error.ts';
import { createCircuitBreaker } from '../../src/providers/circuit-breaker.ts';

function manualClock(): Clock & { advance: (ms: number) => void } {
  let now = 0;
  return {
    now: () => now,
    sleep: async () => {},
    advance: (ms) => {
      now += ms;
    },
  };
}
const error = (
  code: 'PROVIDER_UNAVAILABLE' | 'PROVIDER_BAD_REQUEST' | 'PROVIDER_ABORTED' | 'PROVIDER_RATE_LIMITED',
  retryAfterMs?: number,
) =>
  new ProviderCallError(code, code, {
    retryable: true,
    ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
  });

describe('createCircuitBreaker', () => {
  it('forgets failures older than the window', () => {
    const clock = manualClock();
    const breaker = createCircuitBreaker({ failureThreshold: 2, windowMs: 1000, clock });
    breaker.recordFailure('openai', 'm', error('PROVIDER_UNAVAILABLE'));
    clock.advance(1500);
    breaker.recordFailure('openai', 'm', error('PROVIDER_UNAVAILABLE'));
    expect(breaker.state('openai', 'm').open).toBe(false);
  });

  it('does not count bad requests or aborts, which say nothing about the provider', () => {
    const breaker = createCircuitBreaker({ failureThreshold: 1, clock: manualClock() });
    breaker.recordFailure('openai', 'm', error('PROVIDER_BAD_REQUEST'));
    breaker.recordFailure('openai', 'm', error('PROVIDER_ABORTED'));
    expect(breaker.state('openai', 'm').open).toBe(false);
  });

  it('cools down for the longer of cooldownMs and Retry-After, then recovers by itself', () => {
    const clock = manualClock();
    const bus = createEventBus();
    const events: unknown[] = [];
    bus.on('PROVIDER_COOLDOWN', (event) => void events.push(event));
    const breaker = createCircuitBreaker({ failureThreshold: 1, cooldownMs: 1000, clock, bus });
    breaker.recordFailure('anthropic', 'haiku', error('PROVIDER_RATE_LIMITED', 5000), 'run-1');
    expect(events).toEqual([
      {
        runId: 'run-1',
        provider: 'anthropic',
        model: 'haiku',
        failures: 1,
        cooldownMs: 5000,
        until: 5000,
        reason:
          'anthropic model "haiku" is cooling down until 1970-01-01T00:00:05.000Z after 1 failures within 60 s (last: PROVIDER_RATE_LIMITED)',
      },
    ]);
    expect(breaker.state('anthropic', 'other').open).toBe(false);
    clock.advance(4999);
    expect(breaker.state('anthropic', 'haiku').open).toBe(true);
    clock.advance(1);
    expect(breaker.state('anthropic', 'haiku').open).toBe(false);
  });

  it('resets the count after a success', () => {
    const breaker = createCircuitBreaker({ failureThreshold: 2, clock: manualClock() });
    breaker.recordFailure('openai', 'm', error('PROVIDER_UNAVAILABLE'));
    breaker.recordSuccess('openai', 'm');
    breaker.recordFailure('openai', 'm', error('PROVIDER_UNAVAILABLE'));
    expect(breaker.state('openai', 'm').open).toBe(false);
  });
});
