// How far an agreement between two cheap models can be trusted, learned from the train prompts: for each
// task type and (first, peer) pair, a Beta(1, 1) posterior of "first is right" given that both gave
// the same answer. The cascade accepts an agreement only when this reliability meets the quality bar.
import { type EvalCatalog, taskTypeOf } from './catalog.ts';
import type { EvalPrompt } from './dataset.ts';

/** P(the first model is right | it and the peer agree), per task type. */
export type ConsensusReliability = (taskType: string, first: string, peer: string) => number;

/** Trusts every agreement: the cascade without learning. */
export const alwaysTrust: ConsensusReliability = () => 1;

/** Counts agreements and their correctness on the train prompts of every consensus-validated category. */
export function fitConsensus(
  prompts: readonly EvalPrompt[],
  catalog: EvalCatalog,
  models: readonly string[],
): ConsensusReliability {
  const counts = new Map<string, { agree: number; right: number }>();
  for (const prompt of prompts) {
    if (catalog.categories[prompt.category]?.validator !== 'consensus') continue;
    const taskType = taskTypeOf(prompt.category);
    for (const first of models) {
      const mine = prompt.outcomes[first];
      if (mine?.choice === undefined) continue;
      for (const peer of models) {
        if (peer === first || prompt.outcomes[peer]?.choice !== mine.choice) continue;
        const key = `${taskType}\u0000${first}\u0000${peer}`;
        const entry = counts.get(key) ?? { agree: 0, right: 0 };
        entry.agree += 1;
        if (mine.correct) entry.right += 1;
        counts.set(key, entry);
      }
    }
  }
  return (taskType, first, peer) => {
    const entry = counts.get(`${taskType}\u0000${first}\u0000${peer}`);
    return ((entry?.right ?? 0) + 1) / ((entry?.agree ?? 0) + 2);
  };
}
