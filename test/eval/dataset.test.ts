import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { extractChoice } from '../../src/eval/choice.ts';
import { loadDataset, resolveDatasetFiles, splitOfFile } from '../../src/eval/dataset.ts';
import { decodePythonStrings } from '../../src/eval/python-literal.ts';

const fixtures = join(import.meta.dirname, 'fixtures');

describe('loadDataset', () => {
  it('reads a folder, splits by file name and drops incomplete rows', () => {
    const dataset = loadDataset(fixtures);
    expect(dataset.models).toEqual(['cheap/a', 'mid/b', 'strong/c']);
    expect(dataset.prompts.filter((prompt) => prompt.split === 'train')).toHaveLength(60);
    expect(dataset.prompts.filter((prompt) => prompt.split === 'test')).toHaveLength(29);
    expect(dataset.skipped).toBe(1);
  });

  it('decodes prompts, costs and multiple-choice answers', () => {
    const [first] = loadDataset(join(fixtures, 'toy_test.csv')).prompts;
    expect(first?.text).toBe(
      'Write a python function about photosynthesis light energy plants, number 0, with "quotes", commas',
    );
    expect(first?.category).toBe('code');
    expect(first?.outcomes['mid/b']).toMatchObject({ correct: true, costMicroUsd: 341, choice: undefined });
    const mcq = loadDataset(join(fixtures, 'toy_test.csv')).prompts[1];
    expect(mcq?.outcomes['cheap/a']?.choice).toBe('B');
  });

  it('takes a comma-separated list of files', () => {
    const files = resolveDatasetFiles(
      `${join(fixtures, 'toy_train.csv')}, ${join(fixtures, 'toy_test.csv')}`,
    );
    expect(files.map((file) => file.split('/').at(-1))).toEqual(['toy_train.csv', 'toy_test.csv']);
  });

  it('reads quoted fields with real line breaks', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tierflow-eval-'));
    const file = join(dir, 'x_test.csv');
    writeFileSync(
      file,
      ',sample_id,prompt,eval_name,m,m|total_cost\n7,s.1,"first line\nsecond, line",cat,1.0,0.0002\n',
    );
    const [prompt] = loadDataset(file).prompts;
    expect(prompt?.text).toBe('first line\nsecond, line');
    expect(prompt?.split).toBe('test');
  });

  it.each([
    ['a missing file', (dir: string) => join(dir, 'nope.csv'), 'Dataset "<dir>/nope.csv" does not exist.'],
    [
      'a missing column',
      (dir: string) => {
        writeFileSync(join(dir, 'bad.csv'), 'sample_id,prompt\n1,x\n');
        return join(dir, 'bad.csv');
      },
      '<dir>/bad.csv:1:1 has no column "eval_name"; expected the RouterBench columns (sample_id, prompt, eval_name, one score and one "<model>|total_cost" column per model).',
    ],
    [
      'a score that is not 0 or 1',
      (dir: string) => {
        writeFileSync(join(dir, 'score.csv'), 'sample_id,prompt,eval_name,m,m|total_cost\ns,p,c,0.5,0.1\n');
        return join(dir, 'score.csv');
      },
      '<dir>/score.csv:2 field "m": expected a score of 0 or 1, got "0.5".',
    ],
  ])('rejects %s with a message naming it', (_name, make, message) => {
    const dir = mkdtempSync(join(tmpdir(), 'tierflow-eval-'));
    expect(() => loadDataset(make(dir))).toThrow(message.replace('<dir>', dir));
  });
});

describe('dataset helpers', () => {
  it.each([
    ['arc_challenge_train.csv', 'train'],
    ['mbpp_test.csv', 'test'],
    ['winograde-test.csv', 'test'],
    ['contest.csv', undefined],
  ])('splitOfFile(%s) is %s', (file, split) => {
    expect(splitOfFile(file)).toBe(split);
  });

  it.each([
    [`['a\\nb', "it's"]`, ['a\nb', "it's"]],
    [`['say \\'hi\\'']`, ["say 'hi'"]],
    ['plain text', ['plain text']],
    [`['\\x41\\u00e9']`, ['Aé']],
  ])('decodePythonStrings(%s)', (literal, expected) => {
    expect(decodePythonStrings(literal)).toEqual(expected);
  });

  it.each([
    ['B', 'B'],
    ['A\n', 'A'],
    ['(c) because', 'C'],
    ['Answer: D', 'D'],
    ['I do', undefined],
    ['def f(): pass', undefined],
  ])('extractChoice(%j) is %s', (response, choice) => {
    expect(extractChoice(response)).toBe(choice);
  });
});
