import { type ErrorCode, type ErrorOptions, ProviderError } from '../errors.ts';
import type { Usage } from '../events/vocabulary.ts';

export type ProviderCallErrorOptions = ErrorOptions & {
  retryable: boolean;
  retryAfterMs?: number;
  status?: number;
  /** What is known of the tokens spent before the failure; empty when nothing is known. */
  usage?: Usage;
  /** HTTP requests made for this call, retries included. @default 1 */
  attempts?: number;
  /** True when the request was cut off (abort, timeout, broken stream): `usage` is a lower bound. @default false */
  usagePartial?: boolean;
};

/**
 * A provider call that failed, with the partial usage known at that point (an aborted stream still
 * spent input tokens) and the number of attempts the call made; the coordinator counts those
 * attempts against the task's attempt budget.
 */
export class ProviderCallError extends ProviderError {
  readonly usage: Usage;
  readonly attempts: number;
  /**
   * True when the request was cut off part-way (abort, timeout, broken stream): the provider spent
   * tokens nobody reported, so `usage` is a lower bound and the cost should be booked as estimated
   * (the reservation), never as this usage alone and never as free.
   */
  readonly usagePartial: boolean;

  constructor(code: ErrorCode, message: string, options: ProviderCallErrorOptions) {
    super(code, message, options);
    this.name = 'ProviderCallError';
    this.usage = options.usage ?? {};
    this.attempts = options.attempts ?? 1;
    this.usagePartial = options.usagePartial ?? false;
  }
}

/** The usage a failed call reported, or undefined when the error carries none. */
export function usageOfError(error: unknown): Usage | undefined {
  return error instanceof ProviderCallError ? error.usage : undefined;
}

/** True when a failed call was cut off part-way, so its usage is only a lower bound. */
export function isUsagePartial(error: unknown): boolean {
  return error instanceof ProviderCallError && error.usagePartial;
}

/** The number of provider requests a failed call made (1 for errors that do not say). */
export function attemptsOfError(error: unknown): number {
  return error instanceof ProviderCallError ? error.attempts : 1;
}
