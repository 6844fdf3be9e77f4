import { OrchestratorError } from '../errors.ts';
import type { EvalPrompt } from './dataset.ts';

/**
 * Train and test prompts. With `--train`, its prompts (its `train` split when it has one) are the train set
 * and the dataset's `test` split (all of it when it has none) is the test set; without it, the dataset's
 * own split decides. A prompt never appears in both.
 */
export function selectPrompts(
  prompts: readonly EvalPrompt[],
  trainPrompts: readonly EvalPrompt[] | undefined,
): { train: EvalPrompt[]; test: EvalPrompt[] } {
  const hasTest = prompts.some((prompt) => prompt.split === 'test');
  const test = hasTest ? prompts.filter((prompt) => prompt.split === 'test') : [...prompts];
  if (test.length === 0) {
    throw new OrchestratorError('EVAL_DATASET_INVALID', 'The dataset has no complete prompt to evaluate.', {
      hint: 'Check that the files hold rows with a score and a cost for every model.',
    });
  }
  const testKeys = new Set(test.map((prompt) => prompt.key));
  const source = trainPrompts ?? prompts.filter((prompt) => prompt.split === 'train');
  const hasTrain = source.some((prompt) => prompt.split === 'train');
  const train = source.filter(
    (prompt) => (!hasTrain || prompt.split === 'train') && !testKeys.has(prompt.key),
  );
  return { train, test };
}
