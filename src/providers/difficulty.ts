import { createRandom } from '../random.ts';

// Deterministic task difficulty and pseudo-randomness for the offline simulation.

const hardWords: readonly (readonly [RegExp, number])[] = [
  [/\barchitect/i, 0.2],
  [/\bsecurity\b|\bvulnerab/i, 0.2],
  [/\brefactor/i, 0.15],
  [/\bconcurren|\brace condition|\bdeadlock/i, 0.2],
  [/\bdistributed\b/i, 0.15],
  [/\bmigrat/i, 0.1],
  [/\bperformance\b|\boptimi[sz]/i, 0.1],
  [/\bprove\b|\bproof\b|\bformal/i, 0.2],
  [/\bdesign\b/i, 0.1],
  [/\bdebug/i, 0.1],
];
const easyWords: readonly RegExp[] = [
  /\bsummari[sz]e/i,
  /\blist\b/i,
  /\bformat\b/i,
  /\brename\b/i,
  /\btypo\b/i,
];

/**
 * How hard a prompt looks, 0 (trivial) to 1 (hardest): grows with length and with words such as
 * "architecture", "security" or "refactor"; falls with words such as "summarize" or "rename".
 */
export function estimateDifficulty(prompt: string): number {
  const lengthPart = Math.min(0.45, Math.log10(1 + prompt.length / 200) * 0.3);
  let keywordPart = 0;
  for (const [pattern, weight] of hardWords) if (pattern.test(prompt)) keywordPart += weight;
  for (const pattern of easyWords) if (pattern.test(prompt)) keywordPart -= 0.1;
  return round2(Math.min(1, Math.max(0, 0.1 + lengthPart + Math.min(0.55, keywordPart))));
}

/** A 32-bit FNV-1a hash of the parts joined by a separator that cannot occur in UTF-16 text. */
export function hashParts(...parts: readonly (string | number)[]): number {
  let hash = 0x811c9dc5;
  const text = parts.join('\u0000');
  for (let index = 0; index < text.length; index++) {
    hash ^= text.charCodeAt(index);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash;
}

/** The simulation's generator: the shared one, with seed 0 mapped to a fixed non-zero seed (as it always was). */
export function seededRandom(seed: number): () => number {
  return createRandom(seed >>> 0 || 0x9e3779b9);
}

function round2(value: number): number {
  return Math.round(value * 100) / 100;
}
