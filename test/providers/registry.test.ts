import { describe, expect, it } from 'vitest';
import { OrchestratorError, ProviderError } from '../../src/errors.ts';
import { createProviderRegistry } from '../../src/providers/registry.ts';

const signal = new AbortController().signal;
const claude = { id: 'claude-haiku-4-5', provider: 'anthropic', tier: 1 } as const;
const gpt = { id: 'gpt-4.1-mini', provider: 'openai', tier: 1 } as const;
const llama = { id: 'llama3.2', provider: 'ollama', tier: 1 } as const;

describe('createProviderRegistry', () => {
  it('answers every model with the labelled simulation when nothing is configured', async () => {
    const registry = createProviderRegistry(undefined, {}, { seed: 1 });
    expect(registry.mode).toBe('simulation');
    expect(registry.isUsable(claude)).toBe(true);
    expect(registry.isUsable(llama)).toBe(true);
    expect(registry.summary).toMatchInlineSnapshot(
      `"providers: simulation (no provider key or local base URL set; every answer is simulated)"`,
    );
    const result = await registry
      .providerFor(gpt)
      .generate({ model: gpt, prompt: 'Summarize the README', signal });
    expect(result.simulated).toBe(true);
    expect(result.text.startsWith('[simulated gpt-4.1-mini]')).toBe(true);
  });

  it('uses only the configured provider once one key is set, and says why others are not usable', () => {
    const registry = createProviderRegistry(undefined, { OPENAI_API_KEY: 'sk-test-000000000000' });
    expect(registry.mode).toBe('real');
    expect(registry.isUsable(gpt)).toBe(true);
    expect(registry.isUsable(claude)).toBe(false);
    expect(registry.unusableReason(claude)).toMatchInlineSnapshot(
      `"provider "anthropic" of model "claude-haiku-4-5" is not configured (set ANTHROPIC_API_KEY); configured: "openai""`,
    );
    expect(registry.unusableReason({ id: 'x', provider: 'simulation' })).toMatchInlineSnapshot(
      `"provider "simulation" of model "x" is unknown; configured: "openai""`,
    );
    expect(registry.summary).toMatchInlineSnapshot(`"providers: openai (only their models are used)"`);
  });

  it('refuses to hand out a provider that is not configured, never falling back to the simulation', () => {
    const registry = createProviderRegistry(undefined, { OLLAMA_BASE_URL: 'http://localhost:11434' });
    const error = (() => {
      try {
        registry.providerFor(claude);
      } catch (caught) {
        return caught;
      }
    })();
    expect(error).toBeInstanceOf(ProviderError);
    expect((error as ProviderError).code).toBe('PROVIDER_NOT_CONFIGURED');
    expect((error as ProviderError).message).toMatchInlineSnapshot(
      `"No provider can call model "claude-haiku-4-5": provider "anthropic" of model "claude-haiku-4-5" is not configured (set ANTHROPIC_API_KEY); configured: "ollama"."`,
    );
  });

  it('configures a local server from its base URL alone and adds the /v1 path it serves', () => {
    const registry = createProviderRegistry(undefined, { OLLAMA_BASE_URL: 'http://localhost:11434/' });
    const ollama = registry.providers.find((provider) => provider.name === 'ollama');
    expect(ollama).toMatchObject({
      configured: true,
      baseURL: 'http://localhost:11434/v1',
      keyRequired: false,
    });
    expect(registry.isUsable(llama)).toBe(true);
  });

  it('takes custom OpenAI-compatible providers and key variables from config', () => {
    const registry = createProviderRegistry(
      {
        providers: {
          'my-proxy': { kind: 'openai-compatible', baseURL: 'https://proxy.test/v1', apiKeyEnv: 'PROXY_KEY' },
          openai: { enabled: false },
        },
      },
      { PROXY_KEY: 'proxy-key-000000000', OPENAI_API_KEY: 'sk-test-000000000000' },
    );
    expect(
      registry.providers.filter((provider) => provider.configured).map((provider) => provider.name),
    ).toEqual(['my-proxy']);
    expect(registry.unusableReason(gpt)).toContain('disabled in the providers config');
    expect(registry.scrubber.scrub('proxy-key-000000000 sk-test-000000000000')).toBe('[REDACTED] [REDACTED]');
    expect(registry.secretVariables).toEqual(['OPENAI_API_KEY', 'PROXY_KEY']);
  });

  it('never shows a key in what it resolved', () => {
    const registry = createProviderRegistry(undefined, { ANTHROPIC_API_KEY: 'sk-ant-canary-123456789' });
    const printed = JSON.stringify(registry.providers);
    expect(printed).not.toContain('sk-ant-canary-123456789');
    expect(printed).toContain('"keySource":"ANTHROPIC_API_KEY"');
  });

  it.each([
    ['a custom provider without a kind', { providers: { mine: { baseURL: 'https://x.test/v1' } } }, {}],
    ['a base URL variable that is not a URL', undefined, { OLLAMA_BASE_URL: 'localhost:11434' }],
    ['a base URL with credentials that is not http', undefined, { VLLM_BASE_URL: 'ftp://user:secret@host' }],
  ])('rejects %s with a clear message', (_what, config, env) => {
    const error = (() => {
      try {
        createProviderRegistry(config, env);
      } catch (caught) {
        return caught;
      }
    })();
    expect(error).toBeInstanceOf(OrchestratorError);
    expect({
      code: (error as OrchestratorError).code,
      message: (error as OrchestratorError).message,
      hint: (error as OrchestratorError).hint,
    }).toMatchSnapshot();
  });
});
