import { describe, expect, it } from 'vitest';
import type { Clock } from '../../src/clock.ts';
import { ProviderCallError } from '../../src/providers/call-error.ts';
import { parseRetryAfter } from '../../src/providers/classify-error.ts';
import { defaultRetryPolicy, retryDelayMs, withRetry } from '../../src/providers/retry.ts';

const failure = (
  code: 'PROVIDER_RATE_LIMITED' | 'PROVIDER_UNAVAILABLE' | 'PROVIDER_BAD_REQUEST' | 'PROVIDER_COOLDOWN',
  attempt: number,
  retryAfterMs?: number,
) =>
  new ProviderCallError(code, code, {
    retryable: code !== 'PROVIDER_BAD_REQUEST',
    attempts: attempt,
    ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
  });

describe('retryDelayMs', () => {
  const policy = { ...defaultRetryPolicy, maxAttempts: 5 };
  it.each([
    ['backs off exponentially', 'PROVIDER_UNAVAILABLE', 1, undefined, 500],
    ['doubles per attempt', 'PROVIDER_UNAVAILABLE', 3, undefined, 2000],
    ['caps the backoff', 'PROVIDER_UNAVAILABLE', 4, undefined, 4000],
    ['honours Retry-After', 'PROVIDER_RATE_LIMITED', 1, 7000, 7000],
    ['gives up on a Retry-After beyond the cap', 'PROVIDER_RATE_LIMITED', 1, 60_000, undefined],
    ['never retries a bad request', 'PROVIDER_BAD_REQUEST', 1, undefined, undefined],
    ['never waits for a cooldown inside a call', 'PROVIDER_COOLDOWN', 1, 1000, undefined],
    ['stops at maxAttempts', 'PROVIDER_UNAVAILABLE', 5, undefined, undefined],
  ] as const)('%s', (_what, code, attempt, retryAfterMs, expected) => {
    expect(retryDelayMs({ ...policy, maxDelayMs: 4000 }, attempt, failure(code, attempt, retryAfterMs))).toBe(
      expected,
    );
  });
});

describe('parseRetryAfter', () => {
  const now = Date.parse('2026-01-01T00:00:00Z');
  it.each([
    ['seconds', { 'retry-after': '3' }, 3000],
    ['fractional seconds', { 'Retry-After': '1.5' }, 1500],
    ['an HTTP date', { 'retry-after': 'Thu, 01 Jan 2026 00:00:10 GMT' }, 10_000],
    ['a date in the past', { 'retry-after': 'Wed, 31 Dec 2025 23:59:00 GMT' }, 0],
    ['retry-after-ms first', { 'retry-after-ms': '250', 'retry-after': '3' }, 250],
    ['garbage', { 'retry-after': 'soon' }, undefined],
    ['no header', {}, undefined],
  ])('reads %s', (_what, headers, expected) => {
    expect(parseRetryAfter(headers, now)).toBe(expected);
  });
});

describe('withRetry', () => {
  it('aborts while waiting and reports the attempts made', async () => {
    const controller = new AbortController();
    const clock: Clock = {
      now: () => 0,
      sleep: (_ms, signal) => {
        const waiting = new Promise<void>((_resolve, reject) =>
          signal?.addEventListener('abort', () => reject(signal.reason)),
        );
        controller.abort(new Error('cancelled'));
        return waiting;
      },
    };
    const call = withRetry(
      async (attempt) => {
        throw failure('PROVIDER_UNAVAILABLE', attempt);
      },
      { policy: { ...defaultRetryPolicy, maxAttempts: 3 }, clock, signal: controller.signal },
    );
    const error = await call.catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: 'PROVIDER_ABORTED', attempts: 1, retryable: false });
  });
});
