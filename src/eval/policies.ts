import { OrchestratorError } from '../errors.ts';
import type { EvalCatalog } from './catalog.ts';
import type { EvalPrompt } from './dataset.ts';
import type { ReplayProvider } from './replay.ts';

/** A policy as `--policy` names it. */
export type PolicyName =
  | { kind: 'static' | 'static-fitted' | 'learned' | 'cascade' | 'oracle' }
  | { kind: 'always'; model: string };

/** Parses `--policy`; an unknown name lists the valid ones. */
export function parsePolicy(value: string, catalog: EvalCatalog): PolicyName {
  if (
    value === 'static' ||
    value === 'static-fitted' ||
    value === 'learned' ||
    value === 'cascade' ||
    value === 'oracle'
  )
    return { kind: value };
  if (value.startsWith('always:')) {
    const model = value.slice('always:'.length);
    if (catalog.models.some((entry) => entry.id === model)) return { kind: 'always', model };
    throw new OrchestratorError(
      'CLI_INVALID_ARGUMENT',
      `--policy "${value}": model "${model}" is not in the eval catalog. Known models: ${catalog.models.map((entry) => `"${entry.id}"`).join(', ')}.`,
      { hint: 'Write always:<model id>, e.g. always:gpt-4-1106-preview.' },
    );
  }
  throw new OrchestratorError(
    'CLI_INVALID_ARGUMENT',
    `--policy "${value}" is not a policy. Expected one of "static", "static-fitted", "learned", "cascade", "oracle", "always:<model>".`,
    {
      hint: 'learned is the outcome learner; static the catalog rules; static-fitted per-category rules fitted on train; cascade static plus validators.',
    },
  );
}

/** Cost and correctness of always answering with one model. */
export function scoreAlways(prompts: readonly EvalPrompt[], replay: ReplayProvider, model: string) {
  let correct = 0;
  let costMicroUsd = 0;
  for (const prompt of prompts) {
    const answer = replay.answer(prompt, model);
    if (answer.correct) correct += 1;
    costMicroUsd += answer.costMicroUsd;
  }
  return { correct, costMicroUsd };
}

/** RouterBench's oracle: the cheapest correct model per prompt (the cheapest model when none is). */
export function scoreOracle(
  prompts: readonly EvalPrompt[],
  replay: ReplayProvider,
  models: readonly string[],
) {
  let correct = 0;
  let costMicroUsd = 0;
  for (const prompt of prompts) {
    let bestCorrect: number | undefined;
    let cheapest = Number.POSITIVE_INFINITY;
    for (const model of models) {
      const answer = replay.answer(prompt, model);
      cheapest = Math.min(cheapest, answer.costMicroUsd);
      if (answer.correct && (bestCorrect === undefined || answer.costMicroUsd < bestCorrect))
        bestCorrect = answer.costMicroUsd;
    }
    if (bestCorrect !== undefined) correct += 1;
    costMicroUsd += bestCorrect ?? cheapest;
  }
  return { correct, costMicroUsd };
}

/** A cascade with a perfect verifier: each prompt climbs `chain` until a model is correct (the reference cascade). */
export function scoreVerifiedChain(
  prompts: readonly EvalPrompt[],
  replay: ReplayProvider,
  chain: readonly string[],
) {
  let correct = 0;
  let costMicroUsd = 0;
  for (const prompt of prompts) {
    for (const model of chain) {
      const answer = replay.answer(prompt, model);
      costMicroUsd += answer.costMicroUsd;
      if (answer.correct) {
        correct += 1;
        break;
      }
    }
  }
  return { correct, costMicroUsd };
}
