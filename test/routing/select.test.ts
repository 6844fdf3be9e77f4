import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ModelSpec } from '../../src/config/models.ts';
import type { CategoryPolicy } from '../../src/config/routing.ts';
import { type SelectionInput, selectModel } from '../../src/routing/select.ts';
import { testCatalog } from './fixtures.ts';

const policy: CategoryPolicy = { minQuality: 0.7, maxCostMicroUsd: 5_000, slaMs: 2_000, tiers: [1, 2] };
const allowed = [false, true, true, false, false];

function input(models: readonly ModelSpec[], overrides: Partial<SelectionInput> = {}): SelectionInput {
  return {
    models,
    allowed,
    policy,
    inputTokens: 1_000,
    outputTokens: 500,
    exclude: new Set(),
    estimate: (model) => ({ quality: model.quality, observations: 0 }),
    usable: () => true,
    ...overrides,
  };
}

const catalog = testCatalog([
  { id: 'cheap-weak', tier: 1, input: 0.1, output: 0.4, quality: 0.6, latencyMs: 500 },
  { id: 'cheap-good', tier: 1, input: 0.4, output: 1.6, quality: 0.72, latencyMs: 900 },
  { id: 'mid', tier: 2, input: 1, output: 4, quality: 0.8, latencyMs: 1500 },
  { id: 'slow-good', tier: 2, input: 0.2, output: 0.8, quality: 0.75, latencyMs: 9000 },
  { id: 'pricey', tier: 2, input: 5, output: 20, quality: 0.9, latencyMs: 1000 },
  { id: 'strong', tier: 4, input: 15, output: 75, quality: 0.95, latencyMs: 8000 },
]);

function verdicts(models: readonly ModelSpec[], overrides: Partial<SelectionInput> = {}) {
  const selection = selectModel(input(models, overrides));
  return {
    chosen: selection.chosen?.model.id,
    rule: selection.rule,
    candidates: Object.fromEntries(selection.candidates.map((c) => [c.model.id, c.dropped ?? 'CHOSEN'])),
  };
}

describe('selectModel', () => {
  it('chooses the cheapest model meeting quality, cost and latency, and says why each other was dropped', () => {
    expect(verdicts(catalog.models)).toMatchInlineSnapshot(`
      {
        "candidates": {
          "cheap-good": "CHOSEN",
          "cheap-weak": "quality 0.60 < 0.70",
          "mid": "costlier than cheap-good",
          "pricey": "est. $0.015 > cap $0.005",
          "slow-good": "latency 9000 ms > SLA 2000 ms",
        },
        "chosen": "cheap-good",
        "rule": "constraints",
      }
    `);
  });

  it('prefers a free model at equal cost, then quality, then latency', () => {
    const tied = testCatalog([
      { id: 'paid-a', tier: 1, input: 0, output: 0, quality: 0.8, latencyMs: 100, free: true },
      { id: 'free-b', tier: 1, input: 0, output: 0, quality: 0.8, latencyMs: 300, free: true },
      { id: 'free-c', tier: 1, input: 0, output: 0, quality: 0.9, latencyMs: 900, free: true },
    ]);
    expect(verdicts(tied.models).chosen).toBe('free-c');
    const sameQuality = testCatalog([
      { id: 'slow', tier: 1, input: 0, output: 0, quality: 0.8, latencyMs: 900, free: true },
      { id: 'quick', tier: 1, input: 0, output: 0, quality: 0.8, latencyMs: 100, free: true },
    ]);
    expect(verdicts(sameQuality.models).chosen).toBe('quick');
  });

  it.each([
    ['fallback 1 relaxes latency', { ...policy, slaMs: 100 }, 'slow-good', 'relaxed_latency'],
    [
      'fallback 2 relaxes cost as well',
      { ...policy, slaMs: 100, maxCostMicroUsd: 1 },
      'slow-good',
      'relaxed_cost',
    ],
    ['fallback 3 takes the highest quality', { ...policy, minQuality: 0.99 }, 'pricey', 'best_quality'],
  ] as const)('%s', (_rule, stricter, chosen, rule) => {
    expect(verdicts(catalog.models, { policy: stricter })).toMatchObject({ chosen, rule });
  });

  it('never relaxes hard exclusions: tried, unusable, context too long', () => {
    const result = verdicts(catalog.models, {
      exclude: new Set(['cheap-good']),
      usable: (model) => (model.id === 'mid' ? 'provider openai is cooling down' : model.id !== 'pricey'),
      inputTokens: 127_800,
    });
    expect(result).toMatchInlineSnapshot(`
      {
        "candidates": {
          "cheap-good": "already tried in this attempt chain",
          "cheap-weak": "needs ~128300 tokens, context window 128000",
          "mid": "provider openai is cooling down",
          "pricey": "not usable",
          "slow-good": "needs ~128300 tokens, context window 128000",
        },
        "chosen": undefined,
        "rule": "none",
      }
    `);
  });

  it('ignores models outside the tier window', () => {
    const result = selectModel(input(catalog.models, { allowed: [false, false, false, false, true] }));
    expect(result.candidates.map((c) => c.model.id)).toEqual(['strong']);
  });

  it('always chooses a model on the cost/quality/latency Pareto front among those meeting the constraints', () => {
    const entry = fc.record({
      input: fc.integer({ min: 0, max: 20 }),
      output: fc.integer({ min: 0, max: 80 }),
      quality: fc.integer({ min: 50, max: 99 }),
      latencyMs: fc.integer({ min: 100, max: 3000 }),
    });
    fc.assert(
      fc.property(fc.array(entry, { minLength: 1, maxLength: 12 }), (entries) => {
        const models = testCatalog(
          entries.map((e, index) => ({
            id: `m${index}`,
            tier: 1,
            input: e.input,
            output: e.output,
            quality: e.quality / 100,
            latencyMs: e.latencyMs,
            free: e.input === 0 && e.output === 0,
          })),
        ).models;
        const selection = selectModel(input(models));
        if (selection.rule !== 'constraints') return;
        const chosen = selection.chosen!;
        for (const other of selection.candidates) {
          if (other === chosen || other.belowQuality || other.overCost || other.overLatency) continue;
          const dominates =
            other.estimatedCostMicroUsd <= chosen.estimatedCostMicroUsd &&
            other.quality >= chosen.quality &&
            other.model.latencyMs <= chosen.model.latencyMs &&
            (other.estimatedCostMicroUsd < chosen.estimatedCostMicroUsd ||
              other.quality > chosen.quality ||
              other.model.latencyMs < chosen.model.latencyMs);
          expect(dominates).toBe(false);
          expect(other.estimatedCostMicroUsd).toBeGreaterThanOrEqual(chosen.estimatedCostMicroUsd);
        }
      }),
      { numRuns: 300 },
    );
  });
});
