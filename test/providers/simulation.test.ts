import { describe, expect, it } from 'vitest';
import type { Clock } from '../../src/clock.ts';
import type { ModelRef, Tier } from '../../src/events/vocabulary.ts';
import { ProviderCallError } from '../../src/providers/call-error.ts';
import { estimateDifficulty } from '../../src/providers/difficulty.ts';
import { createSimulationProvider, simulatedSuccessChance } from '../../src/providers/simulation.ts';

const model = (tier: Tier, id = `model-t${tier}`): ModelRef => ({ id, provider: 'simulation', tier });
const signal = new AbortController().signal;
const instant = { latencyScale: 0 };

async function outcome(seed: number, tier: Tier, prompt: string) {
  const provider = createSimulationProvider({ seed, ...instant });
  try {
    return await provider.generate({ model: model(tier), prompt, signal });
  } catch (error) {
    return error;
  }
}

async function successRate(tier: Tier, prompt: string, trials = 200): Promise<number> {
  let successes = 0;
  for (let seed = 0; seed < trials; seed++)
    if (!((await outcome(seed, tier, prompt)) instanceof Error)) successes++;
  return successes / trials;
}

describe('estimateDifficulty', () => {
  it.each([
    ['an easy keyword', 'summarize the README', 0],
    ['a short prompt', 'write a haiku', 0.1],
    ['hard keywords', 'review the security architecture and refactor the auth module', 0.65],
    ['a 20,000-character prompt', 'x'.repeat(20_000), 0.55],
  ])('rates %s', (_label, prompt, expected) => {
    expect(estimateDifficulty(prompt)).toBeCloseTo(expected, 1);
  });
});

describe('createSimulationProvider', () => {
  it('gives the same answer, usage and outcome for the same seed', async () => {
    const first = await outcome(7, 2, 'Plan the change to the parser');
    const second = await outcome(7, 2, 'Plan the change to the parser');
    expect(second).toEqual(first);
  });

  it('labels every answer as simulated and sizes usage from the prompt', async () => {
    const provider = createSimulationProvider({ seed: 1, ...instant });
    const prompt = 'List the files of the repository. '.repeat(10);
    const result = await provider.generate({ model: model(4, 'opus-like'), prompt, signal });
    expect(result.simulated).toBe(true);
    expect(result.text.startsWith('[simulated opus-like]')).toBe(true);
    expect(result.usage.inputTokens).toBe(Math.ceil(prompt.length / 4));
    expect(result.usage.outputTokens).toBeGreaterThan(100);
    expect(result.attempts).toBe(1);
  });

  it('fails more often on harder tasks and less often on stronger tiers', async () => {
    const hard =
      'Design the distributed security architecture, refactor and prove it free of deadlocks. '.repeat(8);
    const easy = 'Summarize the README';
    const weakHard = await successRate(1, hard);
    expect(weakHard).toBeLessThan(await successRate(1, easy));
    expect(weakHard).toBeLessThan(await successRate(4, hard));
    expect(simulatedSuccessChance(1, 0.9)).toBeLessThan(simulatedSuccessChance(4, 0.9));
  });

  it('throws a retryable SIMULATED_FAILURE with usage, naming model, tier and chance', async () => {
    const hard = 'Refactor the security architecture of the distributed scheduler. '.repeat(20);
    const provider = createSimulationProvider({ seed: 3, ...instant });
    const failure = await provider
      .generate({ model: model(1), prompt: hard, signal })
      .catch((error) => error);
    if (!(failure instanceof ProviderCallError)) throw new Error('expected a simulated failure');
    expect(failure.code).toBe('SIMULATED_FAILURE');
    expect(failure.retryable).toBe(true);
    expect(failure.usage.inputTokens).toBeGreaterThan(0);
    expect(failure.message).toMatchInlineSnapshot(
      `"Simulated failure of "model-t1" (tier 1) on a task of difficulty 0.91 (success chance 8%)."`,
    );
  });

  it('draws a new outcome for each retry of the same model and prompt', async () => {
    const provider = createSimulationProvider({ seed: 11, ...instant });
    const prompt = 'Design the module boundaries of the parser. '.repeat(12);
    expect(simulatedSuccessChance(1, estimateDifficulty(prompt))).toBeGreaterThan(0.2);
    const outcomes = new Set<string>();
    for (let attempt = 0; attempt < 20; attempt++) {
      const result = await provider.generate({ model: model(1), prompt, signal }).catch((error) => error);
      outcomes.add(result instanceof Error ? 'failed' : 'succeeded');
    }
    expect([...outcomes].sort()).toEqual(['failed', 'succeeded']);
  });

  it('streams the text it returns and stops at maxOutputTokens', async () => {
    const provider = createSimulationProvider({ seed: 2, ...instant });
    const pieces: string[] = [];
    const result = await provider.generate({
      model: model(2),
      prompt: 'Summarize the change log',
      signal,
      maxOutputTokens: 10,
      onText: (delta) => pieces.push(delta),
    });
    expect(pieces.length).toBeGreaterThan(1);
    expect(pieces.join('')).toBe(result.text);
    expect(result.usage.outputTokens).toBe(10);
    expect(result.finishReason).toBe('length');
  });

  it('uses the catalog tier over the request tier', async () => {
    const catalog = (id: string) => (id === 'big' ? { tier: 4 as const, outputTokens: 1000 } : undefined);
    const provider = createSimulationProvider({ seed: 5, catalog, ...instant });
    const result = await provider.generate({ model: model(1, 'big'), prompt: 'Summarize this', signal });
    expect(result.text).toContain('tier-4');
    expect(result.usage.outputTokens).toBeGreaterThan(700);
  });

  it('throws PROVIDER_ABORTED with the input tokens spent when the signal aborts mid-call', async () => {
    const waiting: Clock = {
      now: () => 0,
      sleep: (_ms, sleepSignal) =>
        new Promise((_resolve, reject) =>
          sleepSignal?.addEventListener('abort', () => reject(sleepSignal.reason)),
        ),
    };
    const controller = new AbortController();
    const provider = createSimulationProvider({ seed: 1, clock: waiting });
    const call = provider.generate({
      model: model(2),
      prompt: 'Summarize the notes',
      signal: controller.signal,
    });
    controller.abort(new Error('deadline'));
    const error = await call.catch((caught) => caught);
    expect(error).toBeInstanceOf(ProviderCallError);
    expect(error.code).toBe('PROVIDER_ABORTED');
    expect(error.retryable).toBe(false);
    expect(error.usage).toEqual({ inputTokens: 5, outputTokens: 0 });
    expect(error.usagePartial).toBe(true);
  });
});
