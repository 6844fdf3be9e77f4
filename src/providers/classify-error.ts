import { APICallError, RetryError } from 'ai';
import type { ErrorCode } from '../errors.ts';
import type { Usage } from '../events/vocabulary.ts';
import { ProviderCallError } from './call-error.ts';

/** What is known about a failed provider request besides the thrown error. */
export type FailureContext = {
  provider: string;
  model: string;
  /** The caller's signal aborted (run cancelled, task timeout or deadline). */
  callerAborted: boolean;
  /** tierflow's per-request timeout fired. */
  timedOut: boolean;
  timeoutMs: number;
  /** The environment variable the key came from, named in the hint of an auth failure. */
  keySource: string | undefined;
  usage: Usage;
  /** The number of this request within the call, 1 for the first. */
  attempt: number;
  now: number;
  /** Applied to every text taken from the provider's answer. */
  scrub: (text: string) => string;
};

/**
 * Turns whatever the SDK threw into a ProviderCallError with a closed code: 401/403 PROVIDER_AUTH,
 * 429 PROVIDER_RATE_LIMITED (retryable, with Retry-After), other 4xx PROVIDER_BAD_REQUEST, 5xx and
 * network failures PROVIDER_UNAVAILABLE (retryable), timeouts PROVIDER_TIMEOUT (retryable), caller
 * aborts PROVIDER_ABORTED. The SDK error is not kept as `cause`: it holds the request body and headers.
 */
export function classifyProviderError(error: unknown, context: FailureContext): ProviderCallError {
  const who = `${context.provider} model "${context.model}"`;
  const usage = context.usage;
  if (context.callerAborted) {
    return new ProviderCallError('PROVIDER_ABORTED', `The call to ${who} was aborted.`, {
      retryable: false,
      usage,
      attempts: context.attempt,
      usagePartial: true,
    });
  }
  if (context.timedOut) {
    return new ProviderCallError(
      'PROVIDER_TIMEOUT',
      `${who} did not answer within ${context.timeoutMs} ms.`,
      {
        retryable: true,
        usage,
        attempts: context.attempt,
        usagePartial: true,
        hint: 'Raise `timeoutMs` for this provider in config/providers.yaml, or pick a faster model.',
      },
    );
  }
  const cause = RetryError.isInstance(error) ? error.lastError : error;
  if (APICallError.isInstance(cause)) return fromApiCallError(cause, who, context);
  const message = cause instanceof Error ? cause.message : String(cause);
  return new ProviderCallError('PROVIDER_FAILED', `${who} failed: ${context.scrub(message)}`, {
    retryable: false,
    usage,
    attempts: context.attempt,
  });
}

function fromApiCallError(error: APICallError, who: string, context: FailureContext): ProviderCallError {
  const status = error.statusCode;
  const detail = context.scrub(shorten(error.message));
  const usage = context.usage;
  if (status === undefined) {
    return new ProviderCallError('PROVIDER_UNAVAILABLE', `${who} could not be reached: ${detail}`, {
      retryable: true,
      usage,
      attempts: context.attempt,
      hint: 'Check the base URL and that the server is running (`tierflow doctor`).',
    });
  }
  const code = codeOf(status);
  const retryAfterMs = parseRetryAfter(error.responseHeaders, context.now);
  return new ProviderCallError(code, `${who} answered ${status}: ${detail}`, {
    retryable:
      code === 'PROVIDER_RATE_LIMITED' || code === 'PROVIDER_UNAVAILABLE' || code === 'PROVIDER_TIMEOUT',
    status,
    usage,
    attempts: context.attempt,
    ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
    ...hintOf(code, context.keySource),
  });
}

function codeOf(status: number): ErrorCode {
  if (status === 401 || status === 403) return 'PROVIDER_AUTH';
  if (status === 429) return 'PROVIDER_RATE_LIMITED';
  if (status === 408) return 'PROVIDER_TIMEOUT';
  if (status >= 500) return 'PROVIDER_UNAVAILABLE';
  return 'PROVIDER_BAD_REQUEST';
}

function hintOf(code: ErrorCode, keySource: string | undefined): { hint?: string } {
  switch (code) {
    case 'PROVIDER_AUTH':
      return {
        hint: `Check the API key${keySource === undefined ? '' : ` in ${keySource}`}; \`tierflow doctor\` shows which providers have one.`,
      };
    case 'PROVIDER_BAD_REQUEST':
      return {
        hint: 'The provider rejected the request; check the model id and request limits. Not retried.',
      };
    default:
      return {};
  }
}

/** Reads `retry-after-ms`, or `retry-after` as seconds or an HTTP date; undefined when absent or invalid. */
export function parseRetryAfter(
  headers: Record<string, string> | undefined,
  now: number,
): number | undefined {
  if (headers === undefined) return undefined;
  const lower = Object.fromEntries(Object.entries(headers).map(([key, value]) => [key.toLowerCase(), value]));
  const milliseconds = Number(lower['retry-after-ms']);
  if (lower['retry-after-ms'] !== undefined && Number.isFinite(milliseconds) && milliseconds >= 0) {
    return Math.round(milliseconds);
  }
  const value = lower['retry-after']?.trim();
  if (value === undefined || value === '') return undefined;
  if (/^\d+(\.\d+)?$/.test(value)) return Math.round(Number(value) * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

function shorten(text: string): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > 300 ? `${line.slice(0, 297)}...` : line;
}
