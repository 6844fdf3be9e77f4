import type { Clock } from '../clock.ts';
import { ProviderCallError } from './call-error.ts';

/** How often one provider call is tried; the SDKs' own retries are always off (`maxRetries: 0`). */
export type RetryPolicy = {
  /** Requests per call, the first included; 1 disables in-call retries. @default 2 */
  maxAttempts: number;
  /** Backoff before the 2nd request, doubled for each further one. @default 500 */
  baseDelayMs: number;
  /** Cap on the backoff. @default 10000 */
  maxDelayMs: number;
  /** A Retry-After longer than this ends the call instead of waiting (the task may fall back). @default 30000 */
  maxRetryAfterMs: number;
};

export const defaultRetryPolicy: RetryPolicy = {
  maxAttempts: 2,
  baseDelayMs: 500,
  maxDelayMs: 10_000,
  maxRetryAfterMs: 30_000,
};

/** The wait before request `attempt + 1` after `error`, or undefined when the call must not be retried. */
export function retryDelayMs(
  policy: RetryPolicy,
  attempt: number,
  error: ProviderCallError,
): number | undefined {
  // A cooled-down model is not waited for inside a call: the task can move on to another model.
  if (!error.retryable || attempt >= policy.maxAttempts || error.code === 'PROVIDER_COOLDOWN')
    return undefined;
  if (error.retryAfterMs !== undefined) {
    return error.retryAfterMs > policy.maxRetryAfterMs ? undefined : error.retryAfterMs;
  }
  return Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
}

export type RetryOptions = {
  policy: RetryPolicy;
  clock: Clock;
  signal: AbortSignal;
  /** Called before each wait, e.g. to log it. */
  onRetry?: (error: ProviderCallError, attempt: number, delayMs: number) => void;
  /** Asked after a failure; false ends the call (e.g. streamed text cannot be taken back). @default always true */
  mayRetry?: () => boolean;
};

/**
 * Runs `request(attempt)` until it succeeds, fails for good, or the policy's attempts are used up;
 * waits honour Retry-After and abort with `signal`. Every failure must be a ProviderCallError
 * carrying its attempt number; the last one is rethrown as it is.
 */
export async function withRetry<T>(
  request: (attempt: number) => Promise<T>,
  options: RetryOptions,
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await request(attempt);
    } catch (error) {
      if (!(error instanceof ProviderCallError)) throw error;
      const delayMs = retryDelayMs(options.policy, attempt, error);
      if (delayMs === undefined || options.signal.aborted || options.mayRetry?.() === false) throw error;
      options.onRetry?.(error, attempt, delayMs);
      try {
        await options.clock.sleep(delayMs, options.signal);
      } catch {
        throw new ProviderCallError('PROVIDER_ABORTED', `Aborted while waiting to retry: ${error.message}`, {
          retryable: false,
          usage: error.usage,
          attempts: attempt,
        });
      }
    }
  }
}
