import type { Usage } from '../events/vocabulary.ts';

/** The usage shape of the AI SDK (v6), as far as tierflow reads it. */
export type SdkUsage = {
  inputTokens?: number | undefined;
  outputTokens?: number | undefined;
  inputTokenDetails?: { cacheReadTokens?: number | undefined };
  outputTokenDetails?: { reasoningTokens?: number | undefined };
  cachedInputTokens?: number | undefined;
  reasoningTokens?: number | undefined;
};

/**
 * Normalises SDK usage: `inputTokens` counts all input tokens, cached ones included (Anthropic
 * reports them apart; the SDK adds them up), `cachedInputTokens` says how many of them were cache
 * reads, `reasoningTokens` how many of the output tokens were reasoning. Unknown stays undefined.
 */
export function normaliseUsage(usage: SdkUsage | undefined): Usage {
  if (usage === undefined) return {};
  return compact({
    inputTokens: usage.inputTokens,
    outputTokens: usage.outputTokens,
    cachedInputTokens: usage.inputTokenDetails?.cacheReadTokens ?? usage.cachedInputTokens,
    reasoningTokens: usage.outputTokenDetails?.reasoningTokens ?? usage.reasoningTokens,
  });
}

/**
 * Reads usage from one raw wire chunk of a stream (Anthropic `message_start`/`message_delta`,
 * OpenAI-style `usage`, Google `usageMetadata`) and merges it into `known`. This is how an aborted
 * stream still reports the input tokens the provider counted before the abort.
 */
export function mergeRawUsage(known: Usage, raw: unknown): Usage {
  if (typeof raw !== 'object' || raw === null) return known;
  const chunk = raw as Record<string, unknown>;
  const message = record(chunk.message);
  const anthropic =
    record(message?.usage) ?? (chunk.type === 'message_delta' ? record(chunk.usage) : undefined);
  if (anthropic !== undefined) {
    const input = number(anthropic.input_tokens);
    const cached = number(anthropic.cache_read_input_tokens);
    const created = number(anthropic.cache_creation_input_tokens);
    return compact({
      ...known,
      ...(input === undefined ? {} : { inputTokens: input + (cached ?? 0) + (created ?? 0) }),
      ...(cached === undefined ? {} : { cachedInputTokens: cached }),
      outputTokens: number(anthropic.output_tokens) ?? known.outputTokens,
    });
  }
  const openai = record(chunk.usage);
  if (openai !== undefined) {
    return compact({
      inputTokens: number(openai.prompt_tokens) ?? known.inputTokens,
      outputTokens: number(openai.completion_tokens) ?? known.outputTokens,
      cachedInputTokens:
        number(record(openai.prompt_tokens_details)?.cached_tokens) ?? known.cachedInputTokens,
      reasoningTokens:
        number(record(openai.completion_tokens_details)?.reasoning_tokens) ?? known.reasoningTokens,
    });
  }
  const google = record(chunk.usageMetadata);
  if (google !== undefined) {
    const candidates = number(google.candidatesTokenCount);
    const thoughts = number(google.thoughtsTokenCount);
    return compact({
      inputTokens: number(google.promptTokenCount) ?? known.inputTokens,
      // Gemini counts thinking apart from the answer; like OpenAI's, output includes reasoning.
      outputTokens: candidates === undefined ? known.outputTokens : candidates + (thoughts ?? 0),
      cachedInputTokens: number(google.cachedContentTokenCount) ?? known.cachedInputTokens,
      reasoningTokens: number(google.thoughtsTokenCount) ?? known.reasoningTokens,
    });
  }
  return known;
}

function compact(usage: { [K in keyof Usage]?: number | undefined }): Usage {
  const result: Usage = {};
  for (const key of ['inputTokens', 'outputTokens', 'cachedInputTokens', 'reasoningTokens'] as const) {
    const value = usage[key];
    if (value !== undefined && Number.isInteger(value) && value >= 0) result[key] = value;
  }
  return result;
}

function record(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : undefined;
}

function number(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}
