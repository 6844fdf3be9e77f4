import { OrchestratorError } from '../errors.ts';
import type { EvalPrompt, RecordedOutcome } from './dataset.ts';

/** What the replay provider answers for one (prompt, model): the recorded result, at the chosen prices. */
export type ReplayAnswer = RecordedOutcome;

/** Answers each (prompt, model) with the dataset's recorded correctness, choice and cost. */
export type ReplayProvider = { answer: (prompt: EvalPrompt, model: string) => ReplayAnswer };

/**
 * Creates the replay provider. With `usdPerCall` (from `--prices`), every recorded cost of a model is
 * scaled so that its mean becomes that price; the spread between prompts (longer prompt, longer answer)
 * is kept.
 */
export function createReplayProvider(
  prompts: readonly EvalPrompt[],
  usdPerCall: Readonly<Record<string, number>> = {},
): ReplayProvider {
  const scale = new Map<string, number>();
  for (const [model, price] of Object.entries(usdPerCall)) {
    let total = 0;
    for (const prompt of prompts) total += prompt.outcomes[model]?.costMicroUsd ?? 0;
    const mean = prompts.length === 0 ? 0 : total / prompts.length;
    if (mean > 0) scale.set(model, (price * 1_000_000) / mean);
  }
  return {
    answer: (prompt, model) => {
      const recorded = prompt.outcomes[model];
      if (recorded === undefined)
        throw new OrchestratorError('INTERNAL', `Prompt "${prompt.key}" has no outcome for "${model}".`);
      const factor = scale.get(model);
      return factor === undefined
        ? recorded
        : { ...recorded, costMicroUsd: Math.round(recorded.costMicroUsd * factor) };
    },
  };
}
