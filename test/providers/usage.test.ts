import { describe, expect, it } from 'vitest';
import { mergeRawUsage, normaliseUsage } from '../../src/providers/usage.ts';

describe('normaliseUsage', () => {
  it('keeps unknown counts undefined and reads the v6 detail fields', () => {
    expect(normaliseUsage(undefined)).toEqual({});
    expect(
      normaliseUsage({
        inputTokens: 100,
        outputTokens: undefined,
        inputTokenDetails: { cacheReadTokens: 40 },
        outputTokenDetails: { reasoningTokens: undefined },
      }),
    ).toEqual({ inputTokens: 100, cachedInputTokens: 40 });
  });
});

describe('mergeRawUsage', () => {
  it.each([
    [
      'an Anthropic message_start, cache reads and writes added to input',
      {
        type: 'message_start',
        message: {
          usage: {
            input_tokens: 10,
            cache_read_input_tokens: 5,
            cache_creation_input_tokens: 2,
            output_tokens: 1,
          },
        },
      },
      { inputTokens: 17, cachedInputTokens: 5, outputTokens: 1 },
    ],
    [
      'an Anthropic message_delta',
      { type: 'message_delta', usage: { output_tokens: 42 } },
      { inputTokens: 3, outputTokens: 42 },
    ],
    [
      'an OpenAI usage chunk',
      {
        choices: [],
        usage: {
          prompt_tokens: 8,
          completion_tokens: 4,
          prompt_tokens_details: { cached_tokens: 2 },
          completion_tokens_details: { reasoning_tokens: 1 },
        },
      },
      { inputTokens: 8, outputTokens: 4, cachedInputTokens: 2, reasoningTokens: 1 },
    ],
    [
      'a Google usageMetadata chunk, thoughts counted as output',
      { usageMetadata: { promptTokenCount: 20, candidatesTokenCount: 6, thoughtsTokenCount: 9 } },
      { inputTokens: 20, outputTokens: 15, reasoningTokens: 9 },
    ],
    ['a chunk without usage', { choices: [{ delta: { content: 'x' } }] }, { inputTokens: 3 }],
    ['a non-object', 'data', { inputTokens: 3 }],
  ])('reads %s', (_what, raw, expected) => {
    const known = { inputTokens: 3 };
    expect(mergeRawUsage(known, raw)).toEqual(expected);
  });
});
