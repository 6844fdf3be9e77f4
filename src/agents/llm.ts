import { z } from 'zod';
import { OrchestratorError } from '../errors.ts';
import { parseAgentInput } from './input-check.ts';
import type { AgentHandler } from './types.ts';

const llmInputSchema = z
  .object({
    system: z.string().optional(),
    maxOutputTokens: z.number().int().positive().optional(),
    temperature: z.number().min(0).max(2).optional(),
  })
  .strict();

/** Options of the built-in `llm` agent, given as the task's `input`. */
export type LlmInput = z.infer<typeof llmInputSchema>;

/**
 * The built-in `llm` agent: sends the task's rendered `prompt` to the model chosen for the attempt;
 * output = the model's text. It renders nothing itself: the coordinator already did.
 */
export const llmAgent: AgentHandler = async (ctx) => {
  const input = parseAgentInput(
    llmInputSchema,
    ctx.input,
    'llm',
    ctx.taskId,
    '{ system?, maxOutputTokens?, temperature? }',
  );
  if (ctx.prompt === undefined || ctx.prompt.trim() === '') {
    throw new OrchestratorError(
      'AGENT_INPUT_INVALID',
      `Task "${ctx.taskId}" uses agent "llm" but has no prompt.`,
      {
        hint: 'Add a `prompt:` to the task.',
      },
    );
  }
  const response = await ctx.llm({ prompt: ctx.prompt, ...input });
  return { output: response.text };
};
