// Calls the real vendors; each case runs only when its key is set (vitest.config excludes this file
// from `npm test`: run it with `npx vitest run test/providers/providers.live.test.ts`).
import { describe, expect, it } from 'vitest';
import type { ModelRef } from '../../src/events/vocabulary.ts';
import { createProviderRegistry } from '../../src/providers/registry.ts';

const cases: { key: string; model: ModelRef }[] = [
  { key: 'ANTHROPIC_API_KEY', model: { id: 'claude-haiku-4-5', provider: 'anthropic', tier: 1 } },
  { key: 'OPENAI_API_KEY', model: { id: 'gpt-4.1-nano', provider: 'openai', tier: 1 } },
  {
    key: 'GOOGLE_GENERATIVE_AI_API_KEY',
    model: { id: 'gemini-2.5-flash-lite', provider: 'google', tier: 1 },
  },
  { key: 'OPENROUTER_API_KEY', model: { id: 'openai/gpt-4.1-nano', provider: 'openrouter', tier: 1 } },
];

describe.each(cases)('$model.provider (live)', ({ key, model }) => {
  it.skipIf(!process.env[key])('answers with text and usage, streamed and not', async () => {
    const registry = createProviderRegistry(undefined, { [key]: process.env[key] });
    const provider = registry.providerFor(model);
    const signal = AbortSignal.timeout(60_000);
    const plain = await provider.generate({
      model,
      prompt: 'Reply with the word ok.',
      maxOutputTokens: 16,
      signal,
    });
    expect(plain.text.toLowerCase()).toContain('ok');
    expect(plain.usage.inputTokens).toBeGreaterThan(0);
    const deltas: string[] = [];
    const streamed = await provider.generate({
      model,
      prompt: 'Reply with the word ok.',
      maxOutputTokens: 16,
      signal,
      onText: (delta) => deltas.push(delta),
    });
    expect(deltas.join('')).toBe(streamed.text);
    expect(streamed.usage.outputTokens).toBeGreaterThan(0);
  });
});
