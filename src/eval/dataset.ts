import { readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { OrchestratorError } from '../errors.ts';
import { extractChoice } from './choice.ts';
import { type CsvRecord, parseCsv } from './csv.ts';
import { decodePythonStrings } from './python-literal.ts';

/** What one model did on one prompt, as recorded in the dataset. */
export type RecordedOutcome = {
  correct: boolean;
  costMicroUsd: number;
  /** The multiple-choice letter the response gave, when it gave one; undefined without response text. */
  choice: string | undefined;
  /** Characters of the response (a proxy of output tokens; the data has no token counts). */
  outputChars: number;
};

/** One prompt of an outcome dataset with every model's recorded result. */
export type EvalPrompt = {
  /** Unique across the dataset: the source's row index. */
  key: string;
  sampleId: string;
  /** The dataset's category (`eval_name`), used as the task type. */
  category: string;
  split: 'train' | 'test' | undefined;
  /** Prompt text; undefined in text-free (compact) files. */
  text: string | undefined;
  promptChars: number;
  outcomes: Readonly<Record<string, RecordedOutcome>>;
  file: string;
};

export type Dataset = {
  models: readonly string[];
  prompts: readonly EvalPrompt[];
  skipped: number;
  files: readonly string[];
};

/** Expands `--dataset`/`--train`: a file, a comma-separated list of files, or a folder of `*.csv`. */
export function resolveDatasetFiles(spec: string): string[] {
  const files: string[] = [];
  for (const part of spec
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '')) {
    let stats: ReturnType<typeof statSync>;
    try {
      stats = statSync(part);
    } catch {
      throw new OrchestratorError('EVAL_DATASET_INVALID', `Dataset "${part}" does not exist.`, {
        hint: 'Pass a CSV file, a comma-separated list of files, or a folder of CSV files.',
      });
    }
    if (stats.isDirectory()) {
      const inside = readdirSync(part)
        .filter((name) => name.endsWith('.csv'))
        .sort();
      if (inside.length === 0) {
        throw new OrchestratorError('EVAL_DATASET_INVALID', `Folder "${part}" holds no .csv file.`, {
          hint: 'Point --dataset at the folder of RouterBench CSV files or at one file.',
        });
      }
      files.push(...inside.map((name) => join(part, name)));
    } else files.push(part);
  }
  if (files.length === 0) {
    throw new OrchestratorError('EVAL_DATASET_INVALID', 'No dataset file given.', {
      hint: 'Pass a CSV file, a comma-separated list of files, or a folder of CSV files.',
    });
  }
  return files;
}

/** Loads every file of `spec`, keeping only complete rows (every model has a score and a cost). */
export function loadDataset(spec: string): Dataset {
  const files = resolveDatasetFiles(spec);
  const prompts: EvalPrompt[] = [];
  let models: string[] | undefined;
  let skipped = 0;
  const seen = new Set<string>();
  for (const file of files) {
    const loaded = loadFile(file);
    if (models === undefined) models = loaded.models;
    else if (loaded.models.join('\n') !== models.join('\n')) {
      throw new OrchestratorError(
        'EVAL_DATASET_INVALID',
        `${file}:1:1 has models ${quoteList(loaded.models)}, but ${files[0]} has ${quoteList(models)}.`,
        { hint: 'Evaluate files that share one set of models together.' },
      );
    }
    skipped += loaded.skipped;
    for (const prompt of loaded.prompts) {
      if (seen.has(prompt.key)) continue;
      seen.add(prompt.key);
      prompts.push(prompt);
    }
  }
  return { models: models ?? [], prompts, skipped, files };
}

function loadFile(file: string): { models: string[]; prompts: EvalPrompt[]; skipped: number } {
  const records = parseCsv(readFileSync(file, 'utf8').replace(/^\uFEFF/, ''), file);
  const header = records[0]?.fields;
  if (header === undefined) {
    throw new OrchestratorError('EVAL_DATASET_INVALID', `${file}:1:1 is empty; expected a header row.`);
  }
  const column = new Map(header.map((name, index) => [name, index]));
  const models = header.filter((name) => !name.includes('|') && column.has(`${name}|total_cost`)).sort();
  const compact = column.has('rb_index');
  const required = compact
    ? ['rb_index', 'sample_id', 'eval_name', 'split', 'complete']
    : ['sample_id', 'eval_name'];
  for (const name of [...required, ...(compact ? [] : ['prompt'])]) {
    if (!column.has(name)) {
      throw new OrchestratorError(
        'EVAL_DATASET_INVALID',
        `${file}:1:1 has no column "${name}"; expected the RouterBench columns (sample_id, prompt, eval_name, one score and one "<model>|total_cost" column per model).`,
        { hint: 'Use a file of ../shared/evaldata/routerbench_subset/ or routerbench_subset_compact.csv.' },
      );
    }
  }
  if (models.length === 0) {
    throw new OrchestratorError('EVAL_DATASET_INVALID', `${file}:1:1 has no "<model>|total_cost" column.`, {
      hint: 'Each model needs a 0/1 score column and a "<model>|total_cost" column.',
    });
  }
  const fileSplit = splitOfFile(file);
  const prompts: EvalPrompt[] = [];
  let skipped = 0;
  for (const record of records.slice(1)) {
    const prompt = toPrompt(record, { file, column, models, compact, fileSplit, header });
    if (prompt === undefined) skipped += 1;
    else prompts.push(prompt);
  }
  return { models, prompts, skipped };
}

type RowContext = {
  file: string;
  column: Map<string, number>;
  models: string[];
  compact: boolean;
  fileSplit: EvalPrompt['split'];
  header: string[];
};

function toPrompt(record: CsvRecord, context: RowContext): EvalPrompt | undefined {
  const { column, models, compact, file } = context;
  const cell = (name: string) => record.fields[column.get(name) ?? -1] ?? '';
  if (record.fields.length === 1 && record.fields[0] === '') return undefined;
  if (record.fields.length !== context.header.length) {
    throw new OrchestratorError(
      'EVAL_DATASET_INVALID',
      `${file}:${record.line}:1 has ${record.fields.length} fields; the header has ${context.header.length}.`,
      { hint: 'Quote fields that contain commas or line breaks.' },
    );
  }
  if (compact && cell('complete') !== '1') return undefined;
  const outcomes: Record<string, RecordedOutcome> = {};
  for (const model of models) {
    const score = cell(model);
    const cost = cell(`${model}|total_cost`);
    if (score === '' || cost === '') return undefined;
    const correct = parseScore(score, record, file, model);
    const costUsd = Number(cost);
    if (!Number.isFinite(costUsd) || costUsd < 0) {
      throw new OrchestratorError(
        'EVAL_DATASET_INVALID',
        `${file}:${record.line} field "${model}|total_cost": expected a non-negative number of USD, got "${cost}".`,
      );
    }
    const response = compact ? undefined : cell(`${model}|model_response`);
    const choice =
      response === undefined || response === '' ? undefined : extractChoice(responseHead(response));
    const outputChars = compact
      ? Number(cell(`${model}|response_chars`)) || 0
      : Math.max(0, (response ?? '').length - 4);
    outcomes[model] = { correct, costMicroUsd: Math.round(costUsd * 1_000_000), choice, outputChars };
  }
  const rawPrompt = compact ? undefined : cell('prompt');
  const text = rawPrompt === undefined ? undefined : decodePythonStrings(rawPrompt).join('\n');
  const split = compact ? splitOfCell(cell('split')) : context.fileSplit;
  const key = compact ? cell('rb_index') : (record.fields[0] ?? '') || `${basename(file)}:${record.line}`;
  return {
    key,
    sampleId: cell('sample_id'),
    category: cell('eval_name'),
    split,
    text,
    promptChars: text?.length ?? Number(cell('prompt_chars')),
    outcomes,
    file,
  };
}

/** The first characters of the first string of a response literal: enough to find a choice letter. */
function responseHead(response: string): string {
  const head = response.slice(0, 48);
  const open = /^\s*\[\s*['"]/.exec(head);
  if (open === null) return head;
  return head.slice(open[0].length).replace(/\\[nrt]/g, ' ');
}

function parseScore(score: string, record: CsvRecord, file: string, model: string): boolean {
  const value = Number(score);
  if (value === 1) return true;
  if (value === 0) return false;
  throw new OrchestratorError(
    'EVAL_DATASET_INVALID',
    `${file}:${record.line} field "${model}": expected a score of 0 or 1, got "${score}".`,
  );
}

/** `arc_challenge_train.csv` -> train; a file name without `train`/`test` has no split. */
export function splitOfFile(file: string): EvalPrompt['split'] {
  const name = basename(file).toLowerCase();
  if (/(^|[^a-z])train([^a-z]|$)/.test(name)) return 'train';
  if (/(^|[^a-z])test([^a-z]|$)/.test(name)) return 'test';
  return undefined;
}

function splitOfCell(value: string): EvalPrompt['split'] {
  return value === 'train' || value === 'test' ? value : undefined;
}

function quoteList(items: readonly string[]): string {
  return items.map((item) => `"${item}"`).join(', ');
}
