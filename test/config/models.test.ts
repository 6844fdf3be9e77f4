import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadModelCatalog, parseModelCatalog } from '../../src/config/models.ts';
import { formatDiagnostics } from '../../src/diagnostics/index.ts';
import { ConfigError } from '../../src/errors.ts';
import { shippedConfig } from '../routing/fixtures.ts';

function problems(text: string): string {
  try {
    parseModelCatalog(text, 'config/models.yaml');
  } catch (error) {
    if (error instanceof ConfigError) return formatDiagnostics(error.diagnostics);
    throw error;
  }
  throw new Error('expected a ConfigError');
}

const model = (fields: string) => `pricesAsOf: "2025-11-20"
models:
  - id: m1
    provider: openai
    tier: weak
    inputUsdPerMillion: 0.15
    outputUsdPerMillion: 0.60
    contextWindowTokens: 128000
    latencyMs: 700
    quality: 0.64
${fields}`;

describe('the shipped model catalog', () => {
  const { catalog } = shippedConfig();

  it('has models of every family the router needs', () => {
    const providers = new Set(catalog.models.map((spec) => spec.provider));
    expect([...providers].sort()).toEqual(['anthropic', 'google', 'ollama', 'openai']);
    for (const tier of [1, 2, 3, 4]) expect(catalog.models.some((spec) => spec.tier === tier)).toBe(true);
    expect(catalog.models.filter((spec) => spec.free).every((spec) => spec.provider === 'ollama')).toBe(true);
    expect(catalog.pricesAsOf).toBe('2025-11-20');
  });

  it('converts list prices to integer micro-USD per million tokens', () => {
    const haiku = catalog.byId.get('claude-haiku-4-5')!;
    expect(haiku).toMatchObject({
      tier: 1,
      inputMicroUsdPerMillion: 1_000_000,
      outputMicroUsdPerMillion: 5_000_000,
      cachedInputMicroUsdPerMillion: 100_000,
    });
    const pro = catalog.byId.get('gpt-5-pro')!;
    expect(pro.cachedInputMicroUsdPerMillion).toBe(pro.inputMicroUsdPerMillion);
  });

  it('loads from a directory, and names a missing file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tierflow-models-'));
    await expect(loadModelCatalog(dir)).rejects.toMatchObject({ code: 'CONFIG_NOT_FOUND' });
    writeFileSync(join(dir, 'models.yaml'), model(''));
    expect((await loadModelCatalog(dir)).models.map((spec) => spec.id)).toEqual(['m1']);
  });
});

describe('models.yaml problems', () => {
  it('accepts tier aliases and numbers', () => {
    expect(parseModelCatalog(model('').replace('tier: weak', 'tier: 3'), 'm.yaml').models[0]?.tier).toBe(3);
    expect(parseModelCatalog(model('').replace('tier: weak', 'tier: strong'), 'm.yaml').models[0]?.tier).toBe(
      4,
    );
  });

  it('points at an unknown key with the nearest valid one', () => {
    expect(problems(model('    qualty: 0.5'))).toMatchInlineSnapshot(`
      "config/models.yaml:11:5 error CONFIG_UNKNOWN_KEY at models.m1.qualty
        unknown key "qualty"
        hint: did you mean "quality"?"
    `);
  });

  it('says what a field expects and quotes what is written', () => {
    expect(
      problems(model('').replace('quality: 0.64', 'quality: 1.5').replace('tier: weak', 'tier: mighty')),
    ).toMatchInlineSnapshot(`
      "config/models.yaml:5:11 error CONFIG_INVALID at models.m1.tier
        expected a tier: 0 | 1 | 2 | 3 | 4 | "weak" | "base" | "strong", got "mighty"

      config/models.yaml:10:14 error CONFIG_INVALID at models.m1.quality
        expected a number at most 1, got 1.5"
    `);
  });

  it('rejects duplicate ids, free models with prices and paid models without', () => {
    const text = `pricesAsOf: "2025-11-20"
models:
  - { id: a, provider: openai, tier: 1, inputUsdPerMillion: 1, outputUsdPerMillion: 2, contextWindowTokens: 1000, latencyMs: 10, quality: 0.5, free: true }
  - { id: a, provider: ollama, tier: 1, inputUsdPerMillion: 0, outputUsdPerMillion: 0, contextWindowTokens: 1000, latencyMs: 10, quality: 0.5 }
  - { id: b, provider: openai, tier: 1, inputUsdPerMillion: 1, outputUsdPerMillion: 2, cachedInputUsdPerMillion: 3, contextWindowTokens: 1000, latencyMs: 10, quality: 0.5 }
`;
    expect(problems(text)).toMatchInlineSnapshot(`
      "config/models.yaml:3:150 error CONFIG_INVALID at models[0].free
        a free model must have zero prices; a costs $1/$2 per million tokens
        hint: set both prices to 0 or remove \`free: true\`

      config/models.yaml:4:11 error CONFIG_INVALID at models[1].id
        duplicate model id "a"; models[0] has the same id
        hint: give each model a unique id

      config/models.yaml:4:61 error CONFIG_INVALID at models[1].inputUsdPerMillion
        a has zero prices but is not marked free
        hint: add \`free: true\` (local models) or write its list prices

      config/models.yaml:5:114 error CONFIG_INVALID at models.b.cachedInputUsdPerMillion
        the cached-input price ($3) is above the input price ($1)
        hint: cache reads are a discount on input; check the vendor page"
    `);
  });

  it('wants a dated price list', () => {
    expect(problems(model('').replace('"2025-11-20"', 'last week'))).toMatchInlineSnapshot(`
      "config/models.yaml:1:13 error CONFIG_INVALID at pricesAsOf
        expected a date as "YYYY-MM-DD", got "last week""
    `);
  });
});
