import { describe, expect, it } from 'vitest';
import { llmAgent } from '../../src/agents/llm.ts';
import type { LlmRequest } from '../../src/agents/types.ts';
import { contextFor } from './context.ts';

describe('llm agent', () => {
  it('sends the rendered prompt and its options to the chosen model; output = text', async () => {
    const asked: (LlmRequest | string)[] = [];
    const result = await llmAgent(
      contextFor(
        { system: 'be brief', maxOutputTokens: 50 },
        {
          prompt: 'Plan: add a flag',
          llm: async (request) => {
            asked.push(request);
            return {
              text: '1. parse it',
              usage: {},
              costMicroUsd: 0,
              model: { id: 'mid-2', provider: 'fake', tier: 2 },
              simulated: true,
            };
          },
        },
      ),
    );
    expect(result).toEqual({ output: '1. parse it' });
    expect(asked).toEqual([{ prompt: 'Plan: add a flag', system: 'be brief', maxOutputTokens: 50 }]);
  });

  it('fails clearly without a prompt or with unknown input fields', async () => {
    await expect(llmAgent(contextFor(undefined))).rejects.toThrowErrorMatchingInlineSnapshot(
      `[OrchestratorError: Task "task-1" uses agent "llm" but has no prompt.]`,
    );
    await expect(
      llmAgent(contextFor({ temprature: 0.2 }, { prompt: 'x' })),
    ).rejects.toThrowErrorMatchingInlineSnapshot(
      `[OrchestratorError: Task "task-1" gave agent "llm" invalid input: input: unknown field "temprature".]`,
    );
  });
});
