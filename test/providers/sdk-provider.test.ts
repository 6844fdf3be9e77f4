import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Clock } from '../../src/clock.ts';
import type { ProvidersConfig } from '../../src/config/providers.ts';
import { createEventBus } from '../../src/events/bus.ts';
import type { ModelRef } from '../../src/events/vocabulary.ts';
import { ProviderCallError } from '../../src/providers/call-error.ts';
import { createProviderRegistry } from '../../src/providers/registry.ts';
import { type FakeLlmServer, startFakeLlmServer } from '../support/fake-llm-server.ts';

let server: FakeLlmServer;
beforeAll(async () => {
  server = await startFakeLlmServer();
});
afterAll(() => server.close());
beforeEach(() => {
  server.requests.length = 0;
});

/** A clock whose waits return at once and are recorded, so retry delays are checked without waiting. */
function recordingClock(): Clock & { waits: number[] } {
  const waits: number[] = [];
  return { waits, now: () => 1_000_000, sleep: async (ms) => void waits.push(ms) };
}

const vendors = [
  { vendor: 'anthropic', model: { id: 'claude-test', provider: 'anthropic', tier: 2 } as ModelRef },
  { vendor: 'openai', model: { id: 'gpt-test', provider: 'openai', tier: 2 } as ModelRef },
  { vendor: 'google', model: { id: 'gemini-test', provider: 'google', tier: 2 } as ModelRef },
] as const;

function registry(config: ProvidersConfig = {}, clock = recordingClock(), bus = createEventBus()) {
  const env = {
    ANTHROPIC_API_KEY: 'test-anthropic-key-123',
    ANTHROPIC_BASE_URL: server.baseURL,
    OPENAI_API_KEY: 'test-openai-key-456',
    OPENAI_BASE_URL: server.baseURL,
    GOOGLE_GENERATIVE_AI_API_KEY: 'test-google-key-789',
    GOOGLE_GENERATIVE_AI_BASE_URL: server.baseURL,
  };
  return createProviderRegistry({ retry: { maxAttempts: 3 }, ...config }, env, { clock, bus });
}

const call = (
  model: ModelRef,
  options: { onText?: (delta: string) => void; signal?: AbortSignal } = {},
  config?: ProvidersConfig,
  clock?: Clock & { waits: number[] },
) =>
  registry(config, clock)
    .providerFor(model)
    .generate({
      model,
      prompt: 'Say hello',
      signal: options.signal ?? new AbortController().signal,
      ...(options.onText ? { onText: options.onText } : {}),
    });

const failure = (promise: Promise<unknown>) =>
  promise.then(
    () => {
      throw new Error('expected the call to fail');
    },
    (error: unknown) => {
      if (!(error instanceof ProviderCallError)) throw error;
      return error;
    },
  );

describe.each(vendors)('$vendor through the real SDK client', ({ vendor, model }) => {
  it('parses text and usage from a JSON answer', async () => {
    server.reply({
      kind: 'text',
      text: 'Hello there',
      usage: { input: 12, output: 5, cached: 3, reasoning: 2 },
    });
    const result = await call(model);
    expect(result.text).toBe('Hello there');
    expect(result.simulated).toBe(false);
    expect(result.finishReason).toBe('stop');
    expect(result.attempts).toBe(1);
    // Anthropic reports cache reads apart from input, Gemini thoughts apart from output: both are added up.
    const expected = {
      anthropic: { inputTokens: 15, outputTokens: 5, cachedInputTokens: 3 },
      openai: { inputTokens: 12, outputTokens: 5, cachedInputTokens: 3, reasoningTokens: 2 },
      google: { inputTokens: 12, outputTokens: 7, cachedInputTokens: 3, reasoningTokens: 2 },
    };
    expect(result.usage).toEqual(expected[vendor]);
    expect(server.requests.map((request) => [request.format, request.stream])).toEqual([[vendor, false]]);
  });

  it('streams text deltas and reports usage from the stream', async () => {
    server.reply({ kind: 'text', text: 'one two three', usage: { input: 20, output: 3 } });
    const deltas: string[] = [];
    const result = await call(model, { onText: (delta) => deltas.push(delta) });
    expect(deltas).toEqual(['one ', 'two ', 'three']);
    expect(result.text).toBe('one two three');
    expect(result.usage).toMatchObject({ inputTokens: 20, outputTokens: 3 });
    expect(server.requests[0]?.stream).toBe(true);
  });

  it('waits as long as Retry-After says after a 429, then succeeds', async () => {
    server.reply(
      { kind: 'error', status: 429, message: 'slow down', headers: { 'retry-after': '2' } },
      { kind: 'text', text: 'ok', usage: { input: 1, output: 1 } },
    );
    const clock = recordingClock();
    const result = await call(model, {}, {}, clock);
    expect(result.attempts).toBe(2);
    expect(clock.waits).toEqual([2000]);
    expect(server.requests).toHaveLength(2);
  });

  it('makes exactly the configured number of requests on a permanent 429, SDK retries included', async () => {
    server.reply({ kind: 'error', status: 429, message: 'slow down', headers: { 'retry-after': '1' } });
    const error = await failure(call(model));
    expect(server.requests).toHaveLength(3);
    expect(error.code).toBe('PROVIDER_RATE_LIMITED');
    expect(error.retryable).toBe(true);
    expect(error.retryAfterMs).toBe(1000);
    expect(error.attempts).toBe(3);
    expect(error.status).toBe(429);
  });

  it('makes exactly one request on a 400', async () => {
    server.reply({ kind: 'error', status: 400, message: 'max_tokens too large' });
    const error = await failure(call(model));
    expect(server.requests).toHaveLength(1);
    expect(error.code).toBe('PROVIDER_BAD_REQUEST');
    expect(error.retryable).toBe(false);
    expect(error.usagePartial).toBe(false);
    expect(error.message).toBe(`${vendor} model "${model.id}" answered 400: max_tokens too large`);
  });

  it('does not retry a 401', async () => {
    server.reply({ kind: 'error', status: 401, message: 'invalid key' });
    const error = await failure(call(model));
    expect(server.requests).toHaveLength(1);
    expect(error.code).toBe('PROVIDER_AUTH');
    const variable = {
      anthropic: 'ANTHROPIC_API_KEY',
      openai: 'OPENAI_API_KEY',
      google: 'GOOGLE_GENERATIVE_AI_API_KEY',
    }[vendor];
    expect(error.hint).toBe(
      `Check the API key in ${variable}; \`tierflow doctor\` shows which providers have one.`,
    );
  });

  it('retries a 500 with exponential backoff', async () => {
    server.reply(
      { kind: 'error', status: 500, message: 'boom' },
      { kind: 'error', status: 503, message: 'overloaded' },
      { kind: 'text', text: 'ok', usage: { input: 1, output: 1 } },
    );
    const clock = recordingClock();
    const result = await call(model, {}, {}, clock);
    expect(result.attempts).toBe(3);
    expect(clock.waits).toEqual([500, 1000]);
  });

  it('ends an aborted stream with PROVIDER_ABORTED carrying the usage known so far', async () => {
    server.reply({
      kind: 'stall',
      text: 'one two three four',
      usage: { input: 40, output: 9 },
      sentChunks: 2,
    });
    const controller = new AbortController();
    const deltas: string[] = [];
    const error = await failure(
      call(model, {
        signal: controller.signal,
        onText: (delta) => {
          deltas.push(delta);
          if (deltas.length === 2) controller.abort(new Error('cancelled'));
        },
      }),
    );
    expect(error.code).toBe('PROVIDER_ABORTED');
    expect(error.retryable).toBe(false);
    expect(error.attempts).toBe(1);
    expect(error.usagePartial).toBe(true);
    // Anthropic counts input tokens in message_start, Gemini sends usage with every chunk; OpenAI only at the end.
    const partial = {
      anthropic: { inputTokens: 40, outputTokens: 1, cachedInputTokens: 0 },
      openai: {},
      google: { inputTokens: 40, outputTokens: 9 },
    };
    expect(error.usage).toEqual(partial[vendor]);
    expect(server.requests).toHaveLength(1);
  });

  it('ends a request that gets no answer with PROVIDER_TIMEOUT', async () => {
    server.reply({ kind: 'hang' });
    const error = await failure(call(model, {}, { timeoutMs: 150, retry: { maxAttempts: 1 } }));
    expect(error.code).toBe('PROVIDER_TIMEOUT');
    expect(error.retryable).toBe(true);
    expect(error.message).toBe(`${vendor} model "${model.id}" did not answer within 150 ms.`);
  });
});

describe('a stream that stalls after sending text', () => {
  it('fails as a partial PROVIDER_TIMEOUT and is not retried, since the text cannot be taken back', async () => {
    const model = vendors[0].model;
    server.reply({ kind: 'stall', text: 'one two three', usage: { input: 30, output: 3 }, sentChunks: 1 });
    const deltas: string[] = [];
    const error = await failure(call(model, { onText: (delta) => deltas.push(delta) }, { timeoutMs: 150 }));
    expect(deltas).toEqual(['one ']);
    expect(server.requests).toHaveLength(1);
    expect(error).toMatchObject({ code: 'PROVIDER_TIMEOUT', retryable: true, usagePartial: true });
    expect(error.usage.inputTokens).toBe(30);
    expect(error.message).toBe(
      'anthropic model "claude-test" did not answer within 150 ms (after part of the answer was streamed).',
    );
  });
});

describe('circuit breaker', () => {
  it('cools a model down after repeated failures, says why, and stops calling it', async () => {
    const bus = createEventBus();
    const events: unknown[] = [];
    bus.on('PROVIDER_COOLDOWN', (event) => void events.push(event));
    const clock = recordingClock();
    const providers = registry({ cooldown: { failureThreshold: 2, cooldownMs: 60_000 } }, clock, bus);
    const model = vendors[1].model;
    server.reply({ kind: 'error', status: 503, message: 'overloaded' });
    const first = await failure(
      providers.providerFor(model).generate({ model, prompt: 'hi', signal: new AbortController().signal }),
    );
    expect(first.code).toBe('PROVIDER_COOLDOWN');
    expect(server.requests).toHaveLength(2);
    expect(providers.isUsable(model)).toBe(false);
    expect(providers.unusableReason(model)).toMatchInlineSnapshot(
      `"openai model "gpt-test" is cooling down until 1970-01-01T00:17:40.000Z after 2 failures within 60 s (last: PROVIDER_UNAVAILABLE)"`,
    );
    expect(providers.isUsable({ id: 'other-model', provider: 'openai' })).toBe(true);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      provider: 'openai',
      model: 'gpt-test',
      failures: 2,
      cooldownMs: 60_000,
    });
    const second = await failure(
      providers.providerFor(model).generate({ model, prompt: 'hi', signal: new AbortController().signal }),
    );
    expect(second.code).toBe('PROVIDER_COOLDOWN');
    expect(second.attempts).toBe(0);
    expect(server.requests).toHaveLength(2);
  });
});

describe('unreachable server', () => {
  it('reports PROVIDER_UNAVAILABLE, retryable', async () => {
    const closed = await startFakeLlmServer();
    await closed.close();
    const providers = createProviderRegistry(
      { retry: { maxAttempts: 1 } },
      { OPENAI_API_KEY: 'test-openai-key-456', OPENAI_BASE_URL: closed.baseURL },
    );
    const model = vendors[1].model;
    const error = await failure(
      providers.providerFor(model).generate({ model, prompt: 'hi', signal: new AbortController().signal }),
    );
    expect(error.code).toBe('PROVIDER_UNAVAILABLE');
    expect(error.retryable).toBe(true);
  });
});

describe('a local OpenAI-compatible server (Ollama)', () => {
  it('is called without a key, with usage in JSON and in the stream', async () => {
    const providers = createProviderRegistry(undefined, {
      OLLAMA_BASE_URL: server.baseURL.replace(/\/v1$/, ''),
    });
    const model: ModelRef = { id: 'llama3.2:3b', provider: 'ollama', tier: 1 };
    server.reply({ kind: 'text', text: 'local answer', usage: { input: 9, output: 2 } });
    const plain = await providers
      .providerFor(model)
      .generate({ model, prompt: 'hi', signal: new AbortController().signal });
    const deltas: string[] = [];
    const streamed = await providers.providerFor(model).generate({
      model,
      prompt: 'hi',
      signal: new AbortController().signal,
      onText: (delta) => deltas.push(delta),
    });
    expect([plain.text, plain.usage]).toEqual([
      'local answer',
      { inputTokens: 9, outputTokens: 2, cachedInputTokens: 0, reasoningTokens: 0 },
    ]);
    expect([deltas.join(''), streamed.usage.inputTokens, streamed.usage.outputTokens]).toEqual([
      'local answer',
      9,
      2,
    ]);
    expect(server.requests.map((request) => [request.path, request.headers.authorization])).toEqual([
      ['/v1/chat/completions', undefined],
      ['/v1/chat/completions', undefined],
    ]);
    expect(server.requests[1]?.body.stream_options).toEqual({ include_usage: true });
  });
});

describe('the per-request timeout', () => {
  it('lets a stream that keeps sending outlive it, but ends one that stalls', async () => {
    const model = vendors[1].model;
    // 17 events 100 ms apart take 1.7 s in all, each gap far below the 600 ms timeout.
    const text = 'one two three four five six seven eight nine ten eleven twelve thirteen fourteen';
    const providers = registry({ timeoutMs: 600, retry: { maxAttempts: 1 } });
    server.reply({ kind: 'text', text, usage: { input: 5, output: 14 }, delayMs: 100 });
    const result = await providers
      .providerFor(model)
      .generate({ model, prompt: 'hi', signal: new AbortController().signal, onText: () => {} });
    expect(result.text).toBe(text);
  });
});
