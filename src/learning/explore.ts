import type { Posterior } from './posteriors.ts';
import { sampleBeta } from './random.ts';

/** Bounded exploration: Thompson sampling on a share of the tasks of the categories that allow it. */
export type ExplorationOptions = {
  /** Share of eligible tasks whose estimates are drawn from the posterior instead of its mean (0-0.5). @default 0 */
  rate?: number;
  /** Categories whose tasks may be explored; others always get the posterior mean. @default ['FAST', 'NORMAL'] */
  categories?: readonly string[];
  /** A model whose posterior mean is below this is never explored upwards. @default 0.5 */
  floor?: number;
  /** Seed of the draws, so a run can be replayed. @default 1 */
  seed?: number;
};

/** Whether the task with this text and category is explored: a stable, seeded coin per task. */
export function shouldExplore(
  options: ExplorationOptions,
  category: string | undefined,
  text: string,
): boolean {
  const rate = Math.min(0.5, Math.max(0, options.rate ?? 0));
  if (rate === 0 || category === undefined) return false;
  if (!(options.categories ?? ['FAST', 'NORMAL']).includes(category)) return false;
  return coin(`${options.seed ?? 1}\u0000${text}`) < rate;
}

/** A Thompson draw from `posterior`, kept at or below the mean for models under the floor. */
export function exploredQuality(
  posterior: Posterior,
  options: ExplorationOptions,
  random: () => number,
): number {
  const draw = sampleBeta(posterior.alpha, posterior.beta, random);
  return posterior.mean < (options.floor ?? 0.5) ? Math.min(draw, posterior.mean) : draw;
}

function coin(text: string): number {
  let value = 0x811c9dc5;
  for (let index = 0; index < text.length; index += 1) {
    value ^= text.charCodeAt(index);
    value = Math.imul(value, 0x01000193);
  }
  value ^= value >>> 13;
  value = Math.imul(value, 0x5bd1e995);
  value ^= value >>> 15;
  return (value >>> 0) / 4_294_967_296;
}
