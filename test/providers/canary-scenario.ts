// Run as a child process by canary.test.ts: calls providers through success, 401, 429, 500, 404 and
// timeout with canary keys, debug logging to a file and a JSONL sink, and prints every error the
// way a careless caller would. The test then searches all of it for the canaries.
import { inspect } from 'node:util';
import { serializeError } from '../../src/errors.ts';
import { createEventBus } from '../../src/events/bus.ts';
import { createJsonlSink } from '../../src/events/jsonl-sink.ts';
import type { ModelRef } from '../../src/events/vocabulary.ts';
import { createLogger } from '../../src/log.ts';
import { ProviderCallError } from '../../src/providers/call-error.ts';
import { createProviderRegistry } from '../../src/providers/registry.ts';
import { createScrubbingLogger } from '../../src/providers/scrubbing-logger.ts';
import { type FakeReply, startFakeLlmServer } from '../support/fake-llm-server.ts';

const [logFile, eventsFile] = process.argv.slice(2);
if (logFile === undefined || eventsFile === undefined)
  throw new Error('usage: canary-scenario.ts <log> <events>');

const server = await startFakeLlmServer();
const env: Record<string, string | undefined> = {
  ...process.env,
  ANTHROPIC_BASE_URL: server.baseURL,
  OPENAI_BASE_URL: server.baseURL,
  GOOGLE_GENERATIVE_AI_BASE_URL: server.baseURL,
  OPENROUTER_BASE_URL: server.baseURL,
};
const bus = createEventBus();
const logger = createLogger({ level: 'debug', destination: logFile });
const registry = createProviderRegistry(
  { retry: { maxAttempts: 2, baseDelayMs: 1 }, timeoutMs: 10_000, cooldown: { failureThreshold: 3 } },
  env,
  { bus, log: logger },
);
// A short timeout only where the server hangs, so a slow machine cannot time out the other calls.
const impatient = createProviderRegistry({ retry: { maxAttempts: 1 }, timeoutMs: 150 }, env, {
  bus,
  log: logger,
});
const sink = createJsonlSink(bus, eventsFile, { transform: registry.scrubber.scrub });
const log = createScrubbingLogger(logger, registry.scrubber);

// A careless caller logs the environment and the headers it would send: the scrubbing logger must catch it.
log.debug(
  { env: { ANTHROPIC_API_KEY: env.ANTHROPIC_API_KEY }, headers: { 'x-api-key': env.ANTHROPIC_API_KEY } },
  `using ${env.OPENAI_API_KEY}`,
);
console.log(inspect(registry.providers, { depth: 5 }));
console.log(JSON.stringify(registry.providers));

const scenarios: [string, FakeReply][] = [
  ['success', { kind: 'text', text: 'fine', usage: { input: 3, output: 1 } }],
  ['401', { kind: 'error', status: 401, message: 'invalid api key', echoKey: true }],
  [
    '429',
    { kind: 'error', status: 429, message: 'rate limited', headers: { 'retry-after': '0' }, echoKey: true },
  ],
  ['500', { kind: 'error', status: 500, message: 'internal error', echoKey: true }],
  ['404', { kind: 'error', status: 404, message: 'no such model', echoKey: true }],
  ['timeout', { kind: 'hang' }],
];
const models: ModelRef[] = [
  { id: 'claude-canary', provider: 'anthropic', tier: 2 },
  { id: 'gpt-canary', provider: 'openai', tier: 2 },
  { id: 'gemini-canary', provider: 'google', tier: 2 },
  { id: 'vendor/model-canary', provider: 'openrouter', tier: 2 },
];
let attempt = 0;
for (const model of models) {
  for (const [name, reply] of scenarios) {
    for (const stream of [false, true]) {
      server.reply(reply);
      attempt++;
      try {
        const providers = name === 'timeout' ? impatient : registry;
        const result = await providers.providerFor(model).generate({
          model,
          prompt: 'hello',
          signal: new AbortController().signal,
          ...(stream ? { onText: () => {} } : {}),
        });
        console.log(`${name} ${model.provider} ok ${result.text}`);
      } catch (error) {
        const code = error instanceof ProviderCallError ? error.code : 'UNEXPECTED';
        console.log(
          `${name} ${model.provider} ${code} ${error instanceof Error ? error.message : String(error)}`,
        );
        console.error(error);
        console.error(inspect(error, { depth: 10, showHidden: true }));
        console.error(JSON.stringify(error), JSON.stringify(serializeError(error)));
        logger.error({ error: serializeError(error) }, 'call failed');
        bus.emit('AGENT_FAILED', {
          runId: 'canary',
          taskId: `${name}-${model.provider}`,
          attempt,
          agent: 'llm',
          model,
          error: serializeError(error),
          retryable: error instanceof ProviderCallError && error.retryable,
          willRetry: false,
          usage: error instanceof ProviderCallError ? error.usage : {},
          costMicroUsd: 0,
          costEstimated: true,
          latencyMs: 0,
          simulated: false,
        });
      }
      // Each scenario starts with a closed breaker, so every error path is really exercised.
      registry.breaker.recordSuccess(model.provider, model.id);
    }
  }
}
await bus.settled();
sink.close();
await server.close();
console.log(`requests ${server.requests.length}`);
