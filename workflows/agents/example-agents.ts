// Example agents module for `tierflow run --agents workflows/agents/example-agents.ts`.
// The default export is a record of handlers; each receives the attempt's context. The named export
// `validators` holds predicates that tasks name in `validate: { predicate: <name> }`.
import type { AgentContext, AgentResult, ValidatorVerdict } from '../../src/index.ts';

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

/**
 * Passes a builder's answer when every step has a change: one `## step` section per plan step, each
 * with some text after its heading. Quality is the share of sections with a change.
 */
function everyStepAnswered(output: unknown): ValidatorVerdict {
  const sections = String(output ?? '')
    .split(/^## /m)
    .slice(1);
  if (sections.length === 0) return { ok: false, reason: 'the answer has no "## <step>" section' };
  const empty = sections.filter((section) => section.split('\n').slice(1).join('\n').trim() === '');
  const quality = (sections.length - empty.length) / sections.length;
  if (empty.length === 0) return { ok: true, quality };
  return { ok: false, quality, reason: `${empty.length} of ${sections.length} steps have no change` };
}

export const validators = { 'every-step-answered': everyStepAnswered };

export default {
  builder,
  lines: { handler: lines, deterministic: true },
};
