import type { Usage } from '../events/vocabulary.ts';

const usageKeys = ['inputTokens', 'outputTokens', 'cachedInputTokens', 'reasoningTokens'] as const;

/** Adds `more` into `total`; a count stays undefined until some call reports it. */
export function addUsage(total: Usage, more: Usage): void {
  for (const key of usageKeys) {
    const value = more[key];
    if (value !== undefined) total[key] = (total[key] ?? 0) + value;
  }
}

export function hasTokens(usage: Usage): boolean {
  return usage.inputTokens !== undefined || usage.outputTokens !== undefined;
}
