// Example agents module for `tierflow run --agents workflows/agents/example-agents.ts`.
// The default export is a record of handlers; each receives the attempt's context.
import type { AgentContext, AgentResult } from '../../src/index.ts';

/** Builds the plan step by step: one model call per plan line, at the model the router chose. */
async function builder(ctx: AgentContext): Promise<AgentResult> {
  const input = (ctx.input ?? {}) as { goal?: string; plan?: string };
  const steps = String(input.plan ?? '')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => /^\d+[.)]/.test(line))
    .slice(0, 5);
  const work = steps.length > 0 ? steps : [`Implement: ${input.goal ?? 'the goal'}`];
  const results: string[] = [];
  for (const step of work) {
    const answer = await ctx.llm({
      system: 'You are a careful software engineer. Answer with a unified diff and one sentence.',
      prompt: `Goal: ${input.goal}\nStep: ${step}\nWrite the change for this step.`,
      maxOutputTokens: 600,
    });
    results.push(`## ${step}\n${answer.text}`);
  }
  return { output: results.join('\n\n') };
}

/** Splits text into its non-empty lines: a tier-0 agent that needs no model. */
async function lines(ctx: AgentContext): Promise<AgentResult> {
  const text = String((ctx.input as { text?: unknown } | undefined)?.text ?? '');
  return {
    output: text
      .split('\n')
      .map((line) => line.trim())
      .filter((line) => line.length > 0),
  };
}

export default {
  builder,
  lines: { handler: lines, deterministic: true },
};
