import { generateText, streamText } from 'ai';
import type { Clock } from '../clock.ts';
import type { Usage } from '../events/vocabulary.ts';
import type { Logger } from '../log.ts';
import { ProviderCallError } from './call-error.ts';
import type { CircuitBreaker } from './circuit-breaker.ts';
import { classifyProviderError } from './classify-error.ts';
import { type RetryPolicy, withRetry } from './retry.ts';
import type { Scrubber } from './scrubber.ts';
import { createSdkModelFactory, type SdkModelFactoryOptions } from './sdk-model.ts';
import type { GenerateRequest, GenerateResult, Provider } from './types.ts';
import { mergeRawUsage, normaliseUsage } from './usage.ts';

export type SdkProviderOptions = SdkModelFactoryOptions & {
  /** A JSON request must answer, and a stream send something, within this; else PROVIDER_TIMEOUT. */
  timeoutMs: number;
  /** The environment variable the key came from, for error hints. */
  keySource?: string | undefined;
  retry: RetryPolicy;
  breaker: CircuitBreaker;
  clock: Clock;
  scrubber: Scrubber;
  log: Logger;
};

/**
 * A real provider on the AI SDK: one request per attempt (SDK retries off), tierflow's retry
 * policy around it, the circuit breaker consulted before and fed after each request, usage
 * normalised, every failure a ProviderCallError with partial usage and the attempt count.
 */
export function createSdkProvider(options: SdkProviderOptions): Provider {
  const modelOf = createSdkModelFactory(options);
  const { breaker, name } = options;
  silenceSdkConsoleWarnings();

  const attempt = async (
    request: GenerateRequest,
    number: number,
    progress: StreamProgress,
  ): Promise<GenerateResult> => {
    const modelId = request.model.id;
    const cooling = breaker.state(name, modelId);
    if (cooling.open) {
      throw new ProviderCallError('PROVIDER_COOLDOWN', `Not calling: ${cooling.reason}.`, {
        retryable: true,
        retryAfterMs: Math.max(0, cooling.until - options.clock.now()),
        attempts: number - 1,
        hint: 'Another model can take the task; the cooldown ends by itself.',
      });
    }
    const log = options.log.child({ provider: name, model: modelId, attempt: number });
    const startedAt = options.clock.now();
    log.debug({ stream: request.onText !== undefined }, 'provider request');
    try {
      const result = await requestOnce(request, modelOf(modelId), number, options, log, progress);
      breaker.recordSuccess(name, modelId);
      log.debug({ usage: result.usage, latencyMs: options.clock.now() - startedAt }, 'provider answered');
      return result;
    } catch (error) {
      if (error instanceof ProviderCallError) breaker.recordFailure(name, modelId, error);
      log.debug(
        { error: error instanceof ProviderCallError ? error.toJSON() : String(error) },
        'provider request failed',
      );
      throw error;
    }
  };

  const generate = (request: GenerateRequest) => {
    const progress: StreamProgress = { streamed: false };
    return withRetry((number) => attempt(request, number, progress), {
      // Text already handed to onText cannot be taken back: a half-streamed answer is not retried here.
      mayRetry: () => !progress.streamed,
      policy: options.retry,
      clock: options.clock,
      signal: request.signal,
      onRetry: (error, number, delayMs) =>
        options.log.debug(
          { provider: name, model: request.model.id, attempt: number, delayMs, code: error.code },
          'provider retry',
        ),
    });
  };

  return { name, generate };
}

/** Whether any text of this call has reached `onText`, across its attempts. */
type StreamProgress = { streamed: boolean };

type SdkModel = ReturnType<ReturnType<typeof createSdkModelFactory>>;

async function requestOnce(
  request: GenerateRequest,
  model: SdkModel,
  attempt: number,
  options: SdkProviderOptions,
  log: Logger,
  progress: StreamProgress,
): Promise<GenerateResult> {
  const timeout = createIdleTimeout(options.timeoutMs);
  const signal = AbortSignal.any([request.signal, timeout.signal]);
  const settings = {
    model,
    prompt: request.prompt,
    ...(request.system === undefined ? {} : { system: request.system }),
    ...(request.maxOutputTokens === undefined ? {} : { maxOutputTokens: request.maxOutputTokens }),
    ...(request.temperature === undefined ? {} : { temperature: request.temperature }),
    maxRetries: 0,
    abortSignal: signal,
  };
  let usage: Usage = {};
  let streamed = false;
  try {
    if (request.onText === undefined) {
      const result = await generateText(settings);
      if (result.warnings?.length) log.debug({ warnings: result.warnings.length }, 'provider warnings');
      return finished(result.text, normaliseUsage(result.totalUsage), result.finishReason, attempt);
    }
    // The SDK's default stream error handler prints the whole error (request body included): replace it.
    const result = streamText({ ...settings, includeRawChunks: true, onError: () => {} });
    let text = '';
    for await (const part of result.fullStream) {
      timeout.restart();
      if (part.type === 'raw') usage = mergeRawUsage(usage, part.rawValue);
      else if (part.type === 'text-delta') {
        text += part.text;
        streamed = true;
        progress.streamed = true;
        request.onText(part.text);
      } else if (part.type === 'error') throw part.error;
      else if (part.type === 'abort') throw new Error('stream aborted');
      else if (part.type === 'finish')
        return finished(text, mergeUsage(usage, normaliseUsage(part.totalUsage)), part.finishReason, attempt);
    }
    throw new Error('stream ended without a finish');
  } catch (error) {
    const failure = classifyProviderError(error, {
      provider: options.name,
      model: request.model.id,
      callerAborted: request.signal.aborted,
      timedOut: timeout.signal.aborted && !request.signal.aborted,
      timeoutMs: options.timeoutMs,
      keySource: options.keySource,
      usage,
      attempt,
      now: options.clock.now(),
      scrub: options.scrubber.scrub,
    });
    if (!streamed) throw failure;
    // A stream that broke after sending text spent tokens nobody reported: its usage is partial.
    const message = `${failure.message.replace(/\.$/, '')} (after part of the answer was streamed).`;
    throw new ProviderCallError(failure.code, message, {
      retryable: failure.retryable,
      usage,
      attempts: attempt,
      usagePartial: true,
      ...(failure.status === undefined ? {} : { status: failure.status }),
      ...(failure.retryAfterMs === undefined ? {} : { retryAfterMs: failure.retryAfterMs }),
      ...(failure.hint === undefined ? {} : { hint: failure.hint }),
    });
  } finally {
    timeout.clear();
  }
}

/**
 * Aborts after `ms` without progress: a JSON request must answer within it, a stream must send
 * something at least that often (a long answer that keeps streaming is not cut off).
 */
function createIdleTimeout(ms: number): { signal: AbortSignal; restart: () => void; clear: () => void } {
  const controller = new AbortController();
  const fire = () => controller.abort(new DOMException(`No answer within ${ms} ms.`, 'TimeoutError'));
  let timer = setTimeout(fire, ms);
  return {
    signal: controller.signal,
    restart: () => {
      clearTimeout(timer);
      timer = setTimeout(fire, ms);
    },
    clear: () => clearTimeout(timer),
  };
}

function finished(text: string, usage: Usage, reason: string, attempts: number): GenerateResult {
  const finishReason = reason === 'stop' || reason === 'length' || reason === 'error' ? reason : 'other';
  return { text, usage, simulated: false, finishReason, attempts };
}

function mergeUsage(partial: Usage, final: Usage): Usage {
  return { ...partial, ...final };
}

let silenced = false;
/** The SDK prints warnings with console.warn unless told otherwise; tierflow logs them at debug instead. */
function silenceSdkConsoleWarnings(): void {
  if (silenced) return;
  silenced = true;
  const global = globalThis as { AI_SDK_LOG_WARNINGS?: unknown };
  if (global.AI_SDK_LOG_WARNINGS === undefined) global.AI_SDK_LOG_WARNINGS = false;
}
