import {
  type ErrorCode,
  OrchestratorError,
  ProviderError,
  type SerializedError,
  serializeError,
} from '../errors.ts';
import type { RetryPolicy } from '../workflow/model.ts';

/** Codes that will fail the same way when tried again. */
const permanentCodes: ReadonlySet<string> = new Set<ErrorCode>([
  'AGENT_UNKNOWN',
  'AGENT_INPUT_INVALID',
  'AGENT_OUTPUT_INVALID',
  'BUDGET_EXCEEDED',
  'EXPRESSION_FAILED',
  'FOREACH_NOT_ARRAY',
  'MODEL_UNKNOWN',
  'PROVIDER_AUTH',
  'PROVIDER_BAD_REQUEST',
  'PROVIDER_NOT_CONFIGURED',
  'ROUTING_NO_MODEL',
  'SHELL_SPAWN_FAILED',
  'SHELL_OUTPUT_TOO_LARGE',
  'TASK_CANCELLED',
  'TASK_DEADLINE',
]);

/**
 * Whether another attempt may succeed: an explicit boolean `retryable` on the error wins (a
 * ProviderError, or any error a handler marks), then the code; a plain Error is retryable.
 */
export function isRetryable(error: unknown): boolean {
  if (error instanceof ProviderError) return error.retryable;
  const marked = (error as { retryable?: unknown } | null | undefined)?.retryable;
  if (typeof marked === 'boolean') return marked;
  if (error instanceof OrchestratorError) return !permanentCodes.has(error.code);
  return true;
}

/** The wait before attempt `nextAttempt` (2 for the first retry): exponential, capped. */
export function backoffMs(policy: RetryPolicy, nextAttempt: number): number {
  const delay = policy.initialDelayMs * policy.factor ** Math.max(0, nextAttempt - 2);
  return Math.max(0, Math.min(policy.maxDelayMs, delay));
}

/** The serialisable form of what an attempt failed with; a reply from another process may already be one. */
export function toEventError(error: unknown): SerializedError {
  if (error instanceof OrchestratorError) return error.toJSON();
  const plain = error as { code?: unknown; message?: unknown; hint?: unknown } | null | undefined;
  if (!(error instanceof Error) && typeof plain?.code === 'string' && typeof plain.message === 'string') {
    const serialized: SerializedError = { code: plain.code as ErrorCode, message: plain.message };
    if (typeof plain.hint === 'string') serialized.hint = plain.hint;
    return serialized;
  }
  return serializeError(error, 'AGENT_ERROR');
}

/** The error with `redact` applied to its message and hint (a secret scrubber); as is without one. */
export function redactError(
  error: SerializedError,
  redact: ((text: string) => string) | undefined,
): SerializedError {
  if (redact === undefined) return error;
  const redacted: SerializedError = { code: error.code, message: redact(error.message) };
  if (error.hint !== undefined) redacted.hint = redact(error.hint);
  return redacted;
}
