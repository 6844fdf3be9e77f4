import { type Clock, systemClock } from '../clock.ts';
import type { Tier, Usage } from '../events/vocabulary.ts';
import { ProviderCallError } from './call-error.ts';
import { estimateDifficulty, hashParts, seededRandom } from './difficulty.ts';
import type { GenerateRequest, GenerateResult, Provider } from './types.ts';

/** What the simulation needs to know of a model; usually read from the model catalog. */
export type SimulatedModel = {
  tier: Tier;
  /** Typical latency of one call at full scale. @default by tier: 400, 900, 2000, 4500, 6000 ms */
  latencyMs?: number;
  /** Typical output tokens of one answer. @default by tier: 120, 250, 450, 600, 700 */
  outputTokens?: number;
};

export type SimulationProviderOptions = {
  /** Same seed, same answers (for the same model, prompt and call order per model and prompt). */
  seed: number;
  /** Looks a model up; when it answers undefined the tier of the request's model is used. */
  catalog?: (modelId: string) => SimulatedModel | undefined;
  /** @default systemClock */
  clock?: Clock;
  /** Multiplies every simulated latency; 0 answers at once. @default 0.01 */
  latencyScale?: number;
  /** @default 'simulation' */
  name?: string;
};

const defaultLatencyMs: Record<Tier, number> = { 0: 5, 1: 400, 2: 900, 3: 2000, 4: 4500 };
const defaultOutputTokens: Record<Tier, number> = { 0: 40, 1: 120, 2: 250, 3: 450, 4: 600 };
/** How hard a task each tier handles well, on the difficulty scale of `estimateDifficulty`. */
const capability: Record<Tier, number> = { 0: 0.1, 1: 0.35, 2: 0.6, 3: 0.75, 4: 0.9 };
const streamChunks = 4;

/** The chance that a model of `tier` does a task of `difficulty` (0-1) well: falls with difficulty, rises with tier. */
export function simulatedSuccessChance(tier: Tier, difficulty: number): number {
  const chance = 1 / (1 + Math.exp(-8 * (capability[tier] - difficulty + 0.25)));
  return Math.round(Math.min(0.99, chance) * 1000) / 1000;
}

/**
 * The offline provider: deterministic for a seed, realistic usage and latency per model tier, a
 * success chance that falls with task difficulty and rises with tier (a miss throws
 * SIMULATED_FAILURE, retryable). Every answer starts with `[simulated <model>]` and has `simulated: true`.
 */
export function createSimulationProvider(options: SimulationProviderOptions): Provider {
  const clock = options.clock ?? systemClock;
  const latencyScale = options.latencyScale ?? 0.01;
  // The n-th call with the same model and prompt draws its own numbers, so a retry is a new trial.
  const calls = new Map<string, number>();

  const generate = async (request: GenerateRequest): Promise<GenerateResult> => {
    const { model, signal } = request;
    const known = options.catalog?.(model.id);
    const tier = known?.tier ?? model.tier;
    const prompt = request.system === undefined ? request.prompt : `${request.system}\n${request.prompt}`;
    const key = `${model.id}\u0000${prompt}`;
    const occurrence = (calls.get(key) ?? 0) + 1;
    calls.set(key, occurrence);
    const random = seededRandom(hashParts(options.seed, model.id, prompt, occurrence));

    const difficulty = estimateDifficulty(prompt);
    const chance = simulatedSuccessChance(tier, difficulty);
    const succeeds = random() < chance;
    const inputTokens = Math.max(1, Math.ceil(prompt.length / 4));
    const typical = known?.outputTokens ?? defaultOutputTokens[tier];
    const wanted = Math.max(1, Math.round(typical * (0.8 + 0.4 * random()) * (1 + difficulty)));
    const outputTokens = Math.min(wanted, request.maxOutputTokens ?? wanted);
    const reasoningTokens = tier === 3 ? Math.round(outputTokens * (1 + random())) : undefined;
    const latencyMs =
      (known?.latencyMs ?? defaultLatencyMs[tier]) * (0.6 + 0.8 * random()) * (1 + difficulty / 2);
    const text =
      `[simulated ${model.id}] Simulated answer by a tier-${tier} model (no real model was called) ` +
      `to a task of difficulty ${difficulty.toFixed(2)}: ${preview(request.prompt)}`;

    const usage: Usage = {
      inputTokens,
      outputTokens: succeeds ? outputTokens : Math.round(outputTokens / 3),
      ...(reasoningTokens === undefined ? {} : { reasoningTokens }),
    };
    const aborted = (streamed: number): ProviderCallError =>
      new ProviderCallError('PROVIDER_ABORTED', `The simulated call to "${model.id}" was aborted.`, {
        retryable: false,
        usage: { inputTokens, outputTokens: Math.round((outputTokens * streamed) / streamChunks) },
        usagePartial: true,
        cause: signal.reason,
      });

    const pieces = succeeds && request.onText !== undefined ? chunk(text, streamChunks) : [text];
    for (let index = 0; index < pieces.length; index++) {
      if (signal.aborted) throw aborted(index);
      const delayMs = (latencyMs * latencyScale) / pieces.length;
      try {
        if (delayMs > 0) await clock.sleep(delayMs, signal);
      } catch {
        throw aborted(index);
      }
      if (succeeds) request.onText?.(pieces[index] ?? '');
    }
    if (signal.aborted) throw aborted(pieces.length);
    if (!succeeds) {
      throw new ProviderCallError(
        'SIMULATED_FAILURE',
        `Simulated failure of "${model.id}" (tier ${tier}) on a task of difficulty ${difficulty.toFixed(2)} ` +
          `(success chance ${Math.round(chance * 100)}%).`,
        {
          retryable: true,
          usage,
          hint: 'This is the offline simulation: a stronger tier succeeds more often; configure a provider key to call real models.',
        },
      );
    }
    const finishReason = outputTokens < wanted ? 'length' : 'stop';
    return { text, usage, simulated: true, finishReason, attempts: 1 };
  };

  return { name: options.name ?? 'simulation', generate };
}

function preview(prompt: string): string {
  const line = prompt.replace(/\s+/g, ' ').trim();
  return line.length > 80 ? `${line.slice(0, 77)}...` : line;
}

function chunk(text: string, count: number): string[] {
  const size = Math.ceil(text.length / count);
  const pieces: string[] = [];
  for (let start = 0; start < text.length; start += size) pieces.push(text.slice(start, start + size));
  return pieces;
}
