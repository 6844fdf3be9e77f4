import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ThrottleLevel } from '../../src/config/routing.ts';
import { createRouter, type RouterOptions } from '../../src/routing/router.ts';
import { shippedConfig } from './fixtures.ts';

const shipped = shippedConfig();
const router = (options: Partial<RouterOptions> = {}) => createRouter({ ...shipped, ...options });

function summary(decision: ReturnType<ReturnType<typeof createRouter>['decide']>) {
  return `${decision.model?.id ?? '-'} tier ${decision.model?.tier ?? '-'} ${decision.category} ${decision.complexity.score} ${decision.rule}\n${decision.reason}`;
}

describe('routing decisions with the shipped config', () => {
  it('sends a short simple request to the cheapest fast model', () => {
    expect(summary(router().decide({ text: 'Fix the typo in README.md' }))).toMatchInlineSnapshot(`
      "gemini-2.5-flash-lite tier 1 FAST 3 constraints
      type documentation (matched readme); complexity 3 = context 1 (~7 tokens) + type 1 (short simple request: 6 words with "typo") + files 1 (1 file) + failures 0 -> FAST; tier 1 (FAST); chose gemini-2.5-flash-lite (google, tier 1): cheapest meeting quality >= 0.60, cost <= $0.002, latency <= 1000 ms (est. $0.000321, quality 0.62, 500 ms); 12 candidates (4 below quality, 2 over cost, 4 over latency)"
    `);
  });

  it('sends a coding task to a balanced model within the NORMAL constraints', () => {
    const text = 'Implement a REST endpoint for user signup in src/api/users.ts';
    expect(summary(router().decide({ text, contextChars: 4_000 }))).toMatchInlineSnapshot(`
      "gemini-2.5-flash tier 2 NORMAL 5 constraints
      type coding (matched implement*, endpoint*, api); complexity 5 = context 1 (~1000 tokens) + type 3 (coding) + files 1 (1 file) + failures 0 -> NORMAL; tiers 1-2 (NORMAL); chose gemini-2.5-flash (google, tier 2): cheapest meeting quality >= 0.70, cost <= $0.05, latency <= 5000 ms (est. $0.00405, quality 0.74, 1500 ms); 19 candidates (11 below quality, 2 over latency)"
    `);
  });

  it('sends an architecture task with a large context to a COMPLEX tier', () => {
    const text = 'Propose an architecture for the billing system: services, data model and trade offs';
    expect(summary(router().decide({ text, contextChars: 40_000 }))).toMatchInlineSnapshot(`
      "gpt-5-mini tier 2 COMPLEX 7 constraints
      type architecture (matched architecture, architect*, data model, trade offs); complexity 7 = context 2 (~10000 tokens) + type 4 (architecture) + files 1 (0 files) + failures 0 -> COMPLEX; tiers 2-3 (COMPLEX); chose gpt-5-mini (openai, tier 2): cheapest meeting quality >= 0.75, cost <= $0.15, latency <= 20000 ms (est. $0.0075, quality 0.79, 6000 ms); 11 candidates (2 below quality)"
    `);
  });

  it('sends a production incident over many files with a large context to HIGH_COMPLEX', () => {
    const text = 'Production outage: fix the rollback in src/a.ts, src/b.ts and src/c.ts';
    expect(summary(router().decide({ text, contextChars: 80_000 }))).toMatchInlineSnapshot(`
      "o4-mini tier 3 HIGH_COMPLEX 9 constraints
      type production_critical (matched production, outage, rollback); complexity 9 = context 3 (~20000 tokens) + type 4 (production_critical) + files 2 (3 files) + failures 0 -> HIGH_COMPLEX; tiers 3-4 (HIGH_COMPLEX); chose o4-mini (openai, tier 3): cheapest meeting quality >= 0.80, cost <= $0.85, latency <= 60000 ms (est. $0.0308, quality 0.85, 9000 ms); 8 candidates (1 over latency)"
    `);
  });

  it('follows hints.taskType, and explains an unknown one', () => {
    const decide = router().decide;
    expect(
      summary(decide({ text: 'Look at this', hints: { taskType: 'security_review' } })),
    ).toMatchInlineSnapshot(`
      "gpt-5-mini tier 2 COMPLEX 6 constraints
      type security_review (from hints.taskType); complexity 6 = context 1 (~3 tokens) + type 4 (security_review) + files 1 (0 files) + failures 0 -> COMPLEX; tiers 2-3 (COMPLEX); chose gpt-5-mini (openai, tier 2): cheapest meeting quality >= 0.75, cost <= $0.15, latency <= 20000 ms (est. $0.003001, quality 0.79, 6000 ms); 11 candidates (2 below quality)"
    `);
    expect(
      summary(decide({ text: 'Refactor the parser', hints: { taskType: 'refactr' } })),
    ).toMatchInlineSnapshot(`
      "gemini-2.5-flash tier 2 NORMAL 5 constraints
      hints.taskType "refactr" is not a known task type (did you mean "refactor"?), so classified from the text: type refactor (matched refactor*); complexity 5 = context 1 (~5 tokens) + type 3 (refactor) + files 1 (0 files) + failures 0 -> NORMAL; tiers 1-2 (NORMAL); chose gemini-2.5-flash (google, tier 2): cheapest meeting quality >= 0.70, cost <= $0.05, latency <= 5000 ms (est. $0.003752, quality 0.74, 1500 ms); 19 candidates (11 below quality, 2 over latency)"
    `);
  });

  it('uses a pinned model as is, and routes normally when the pin is not in the catalog', () => {
    const decide = router().decide;
    expect(
      summary(decide({ text: 'Refactor the parser', pinnedModel: 'claude-sonnet-4-5' })),
    ).toMatchInlineSnapshot(`
      "claude-sonnet-4-5 tier 2 NORMAL 5 pinned
      type refactor (matched refactor*); complexity 5 = context 1 (~5 tokens) + type 3 (refactor) + files 1 (0 files) + failures 0 -> NORMAL; pinned model claude-sonnet-4-5 (anthropic, tier 2) used as is (est. $0.022515)"
    `);
    expect(
      summary(decide({ text: 'Refactor the parser', pinnedModel: 'claude-sonet-4-5' })),
    ).toMatchInlineSnapshot(`
      "gemini-2.5-flash tier 2 NORMAL 5 constraints
      type refactor (matched refactor*); complexity 5 = context 1 (~5 tokens) + type 3 (refactor) + files 1 (0 files) + failures 0 -> NORMAL; pinned model "claude-sonet-4-5" is not in the model catalog (did you mean "claude-sonnet-4-5"?), so routed normally; tiers 1-2 (NORMAL); chose gemini-2.5-flash (google, tier 2): cheapest meeting quality >= 0.70, cost <= $0.05, latency <= 5000 ms (est. $0.003752, quality 0.74, 1500 ms); 19 candidates (11 below quality, 2 over latency)"
    `);
  });

  it('moves to the requested tier after a failure and skips models already tried', () => {
    const decision = router().decide({
      text: 'Fix the typo in README.md',
      requestedTier: 2,
      attempt: 2,
      excludeModels: ['gemini-2.5-flash-lite', 'gemini-2.5-flash'],
    });
    expect(summary(decision)).toMatchInlineSnapshot(`
      "qwen2.5-coder:32b tier 2 FAST 3 relaxed_latency
      type documentation (matched readme); complexity 3 = context 1 (~7 tokens) + type 1 (short simple request: 6 words with "typo") + files 1 (1 file) + failures 0 -> FAST; tier 2 (FAST; tier 2 requested by the tier upgrade after attempt 1 failed); chose qwen2.5-coder:32b (ollama, tier 2): no model met every constraint; fallback 1 (latency relaxed): cheapest meeting quality >= 0.60, cost <= $0.002 (est. $0, quality 0.74, 6000 ms); 7 candidates (1 tried or unusable, 4 over cost, 6 over latency)"
    `);
  });

  it('honours the task tier window', () => {
    const decision = router().decide({ text: 'Fix the typo in README.md', tier: { min: 3, max: 4 } });
    expect(summary(decision)).toMatchInlineSnapshot(`
      "o4-mini tier 3 FAST 3 relaxed_cost
      type documentation (matched readme); complexity 3 = context 1 (~7 tokens) + type 1 (short simple request: 6 words with "typo") + files 1 (1 file) + failures 0 -> FAST; tier 3 (FAST; task tier 3-4 gives tier 3); chose o4-mini (openai, tier 3): no model met every constraint; fallback 2 (latency and cost relaxed): cheapest meeting quality >= 0.60 (est. $0.003528, quality 0.85, 9000 ms); 4 candidates (4 over cost, 4 over latency)"
    `);
  });

  it('picks a cheaper tier when the cost tracker throttles, and says so', () => {
    let level: ThrottleLevel = 'NONE';
    const decide = router({ throttle: () => level }).decide;
    const text = 'Production outage: fix the rollback in src/a.ts, src/b.ts and src/c.ts';
    expect(decide({ text, contextChars: 80_000 }).model?.tier).toBe(3);
    level = 'HARD';
    expect(summary(decide({ text, contextChars: 80_000 }))).toMatchInlineSnapshot(`
      "gpt-4.1 tier 2 HIGH_COMPLEX 9 constraints
      type production_critical (matched production, outage, rollback); complexity 9 = context 3 (~20000 tokens) + type 4 (production_critical) + files 2 (3 files) + failures 0 -> HIGH_COMPLEX; tier 2 (HIGH_COMPLEX; throttle HARD caps tiers at 2); chose gpt-4.1 (openai, tier 2): cheapest meeting quality >= 0.80, cost <= $0.85, latency <= 60000 ms (est. $0.056, quality 0.80, 2500 ms); 7 candidates (4 below quality)"
    `);
  });

  it('skips models the usable predicate rejects, with its reason', () => {
    const decide = router({
      usable: (model) => (model.provider === 'google' ? 'provider google has no API key' : true),
    }).decide;
    const decision = decide({ text: 'Summarize these logs' });
    expect(summary(decision)).toMatchInlineSnapshot(`
      "gpt-4.1-nano tier 1 FAST 3 constraints
      type log_summary (matched logs); complexity 3 = context 1 (~5 tokens) + type 1 (log_summary) + files 1 (0 files) + failures 0 -> FAST; tier 1 (FAST); chose gpt-4.1-nano (openai, tier 1): cheapest meeting quality >= 0.60, cost <= $0.002, latency <= 1000 ms (est. $0.000161, quality 0.60, 600 ms); 12 candidates (2 tried or unusable, 3 below quality, 1 over cost, 4 over latency)"
    `);
    expect(decision.candidates.find((c) => c.model.id === 'gemini-2.5-flash-lite')?.dropped).toBe(
      'provider google has no API key',
    );
  });

  it('adds a failure point after recent failures of the same task type', () => {
    const routing = router();
    const text = 'Write unit tests for the parser';
    expect(routing.decide({ text }).complexity.factors.failures).toBe(0);
    routing.recordOutcome('testing', true);
    routing.recordOutcome('testing', false);
    routing.recordOutcome('testing', true);
    routing.recordOutcome('coding', true);
    expect(summary(routing.decide({ text }))).toMatchInlineSnapshot(`
      "gemini-2.5-flash tier 2 NORMAL 5 constraints
      type testing (matched unit tests, tests); complexity 5 = context 1 (~8 tokens) + type 2 (testing) + files 1 (0 files) + failures 1 (2 of the last 10 testing attempts failed) -> NORMAL; tiers 1-2 (NORMAL); chose gemini-2.5-flash (google, tier 2): cheapest meeting quality >= 0.70, cost <= $0.05, latency <= 5000 ms (est. $0.003003, quality 0.74, 1500 ms); 19 candidates (11 below quality, 2 over latency)"
    `);
  });

  it('takes quality estimates from the estimator it is given', () => {
    const decide = router({
      quality: {
        estimate: (taskType, modelId) =>
          taskType === 'log_summary' && modelId === 'llama3.2:3b'
            ? { quality: 0.7, observations: 12 }
            : { quality: shipped.catalog.byId.get(modelId)!.quality, observations: 0 },
      },
    }).decide;
    expect(summary(decide({ text: 'Summarize these logs' }))).toMatchInlineSnapshot(`
      "llama3.2:3b tier 1 FAST 3 constraints
      type log_summary (matched logs); complexity 3 = context 1 (~5 tokens) + type 1 (log_summary) + files 1 (0 files) + failures 0 -> FAST; tier 1 (FAST); chose llama3.2:3b (ollama, tier 1): cheapest meeting quality >= 0.60, cost <= $0.002, latency <= 1000 ms (est. $0, quality 0.70 from 12 outcomes, 800 ms); 12 candidates (3 below quality, 1 over cost, 4 over latency)"
    `);
    expect(decide({ text: 'Write unit tests' }).model?.id).not.toBe('llama3.2:3b');
  });

  it('says so when no model can be used', () => {
    const decision = router({ usable: () => false }).decide({
      text: 'Fix the typo',
      tier: { min: 4, max: 4 },
    });
    expect(decision.model).toBeUndefined();
    expect(summary(decision)).toMatchInlineSnapshot(`
      "- tier - FAST 3 none
      type general (no rule matched); complexity 3 = context 1 (~3 tokens) + type 1 (short simple request: 3 words with "typo") + files 1 (0 files) + failures 0 -> FAST; tier 4 (FAST; task tier 4-4 gives tier 4); no model can be used: claude-opus-4-1: not usable; claude-opus-4-5: not usable; gpt-5-pro: not usable; gemini-3-pro-preview: not usable"
    `);
  });
});

describe('decision invariants', () => {
  it('always picks an untried model inside the tier window, for any text, hints and window', () => {
    const modelIds = shipped.catalog.models.map((model) => model.id);
    const tier = fc.constantFrom(1, 2, 3, 4) as fc.Arbitrary<1 | 2 | 3 | 4>;
    const request = fc.record({
      text: fc.string({ maxLength: 400 }),
      contextChars: fc.integer({ min: 0, max: 500_000 }),
      hints: fc.record({
        taskType: fc.option(fc.constantFrom('refactor', 'nope', 'ui'), { nil: undefined }),
      }),
      tier: fc.option(
        fc.tuple(tier, tier).map(([a, b]) => ({ min: Math.min(a, b) as 1, max: Math.max(a, b) as 1 })),
        { nil: undefined },
      ),
      requestedTier: fc.option(tier, { nil: undefined }),
      excludeModels: fc.subarray(modelIds, { maxLength: 6 }),
      attempt: fc.integer({ min: 1, max: 5 }),
    });
    const decide = router().decide;
    fc.assert(
      fc.property(request, (input) => {
        const decision = decide(input);
        expect(decision.reason.length).toBeGreaterThan(0);
        expect(decision.complexity.score).toBeGreaterThanOrEqual(3);
        expect(decision.complexity.score).toBeLessThanOrEqual(10);
        if (decision.model === undefined) {
          expect(decision.candidates.every((candidate) => candidate.excluded !== undefined)).toBe(true);
          return;
        }
        expect(decision.tiers).toContain(decision.model.tier);
        expect(input.excludeModels).not.toContain(decision.model.id);
        if (input.tier !== undefined) {
          expect(decision.model.tier).toBeGreaterThanOrEqual(input.tier.min);
          expect(decision.model.tier).toBeLessThanOrEqual(input.tier.max);
        }
        expect(decision.candidates.filter((candidate) => candidate.dropped === undefined)).toHaveLength(1);
      }),
      { numRuns: 500 },
    );
  });
});
