// Every message a user reads when a dataset cannot be used.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadDataset, resolveDatasetFiles } from '../../src/eval/dataset.ts';
import { selectPrompts } from '../../src/eval/split.ts';

const directory = mkdtempSync(join(tmpdir(), 'tierflow-dataset-'));
const write = (name: string, text: string) => {
  const file = join(directory, name);
  writeFileSync(file, text);
  return file;
};
const messageOf = (work: () => unknown) => {
  try {
    work();
  } catch (error) {
    return (error as Error).message.replaceAll(directory, '<dir>');
  }
  throw new Error('expected an error');
};

describe('dataset messages', () => {
  it.each([
    [
      'an empty folder',
      () => {
        mkdirSync(join(directory, 'empty'), { recursive: true });
        return resolveDatasetFiles(join(directory, 'empty'));
      },
      'Folder "<dir>/empty" holds no .csv file.',
    ],
    ['no file at all', () => resolveDatasetFiles(' , '), 'No dataset file given.'],
    [
      'an empty file',
      () => loadDataset(write('empty_test.csv', '')),
      '<dir>/empty_test.csv:1:1 is empty; expected a header row.',
    ],
    [
      'a row with too few fields',
      () => loadDataset(write('short_test.csv', 'sample_id,prompt,eval_name,m,m|total_cost\na,b\n')),
      '<dir>/short_test.csv:2:1 has 2 fields; the header has 5.',
    ],
    [
      'a cost that is not a number',
      () =>
        loadDataset(write('cost_test.csv', 'sample_id,prompt,eval_name,m,m|total_cost\na,b,mbpp,1,cheap\n')),
      '<dir>/cost_test.csv:2 field "m|total_cost": expected a non-negative number of USD, got "cheap".',
    ],
  ])('names the problem: %s', (_name, work, message) => {
    expect(messageOf(work)).toBe(message);
  });

  it('says when nothing is left to evaluate', () => {
    expect(messageOf(() => selectPrompts([], undefined))).toBe(
      'The dataset has no complete prompt to evaluate.',
    );
  });
});
