// Task classification: a task type from the task's text by data-driven rules, or from a hint.
import type { TaskTypeCatalog, TaskTypeEntry } from '../config/task-types.ts';
import { didYouMean } from '../diagnostics/index.ts';
import { buildKeywordIndex } from './keyword-index.ts';
import { scanText, type TextScan } from './scan-text.ts';

/** Why a task got its type. */
export type ClassificationSource = 'hint' | 'rules' | 'default';

export type Classification = {
  readonly taskType: string;
  readonly source: ClassificationSource;
  /** Keywords and patterns of the winning type that matched, in the order found (at most 5). */
  readonly matched: readonly string[];
  /** The type's complexity points (1-4), 1 for a short simple request. */
  readonly points: number;
  readonly expectedOutputTokens: number;
  /** Set when the request is short and simple: its word count and the simple-task word found. */
  readonly simple: { readonly words: number; readonly word: string } | undefined;
  /** A `hints.taskType` that names no type, with the nearest known one. */
  readonly unknownHint: { readonly value: string; readonly suggestion: string | undefined } | undefined;
  /** Distinct file names referenced in the scanned text plus `hints.files`. */
  readonly filesReferenced: number;
};

export type ClassifierOptions = {
  /** Characters of the text read for words and file names. */
  scanChars: number;
  /** File extensions (without the dot) that make a word a file name. */
  fileExtensions: readonly string[];
};

/** Classifies task texts; every rule is compiled when the classifier is created. */
export type Classifier = {
  classify: (text: string, hints?: Readonly<Record<string, unknown>>) => Classification;
  readonly types: ReadonlyMap<string, TaskTypeEntry>;
};

const maxMatched = 5;
/** Risky types never lean down, however short the request. */
const neverLeanFromPoints = 4;

/** Compiles a checked task-type catalog into a classifier. */
export function createClassifier(catalog: TaskTypeCatalog, options: ClassifierOptions): Classifier {
  const index = buildKeywordIndex(catalog, options.fileExtensions);
  const scores = new Int32Array(catalog.types.length);
  const types = new Map(catalog.types.map((entry) => [entry.id, entry]));
  const defaultIndex = catalog.types.findIndex((entry) => entry.id === catalog.defaultType);
  const unknownHints = new Map<string, string | undefined>();

  const classify = (text: string, hints: Readonly<Record<string, unknown>> = {}): Classification => {
    const scan = scanText(text, options.scanChars, index, scores);
    const files = scan.files + (Array.isArray(hints.files) ? hints.files.length : 0);
    const raw = hints.taskType;
    const hinted =
      raw === undefined || raw === null ? undefined : typeof raw === 'string' ? raw : JSON.stringify(raw);
    const hintedEntry = hinted === undefined ? undefined : types.get(hinted);
    let unknownHint: Classification['unknownHint'];
    if (hinted !== undefined && hintedEntry === undefined) {
      let suggestion = unknownHints.get(hinted);
      if (suggestion === undefined && !unknownHints.has(hinted)) {
        suggestion = didYouMean(hinted, types.keys());
        if (unknownHints.size < 1_000) unknownHints.set(hinted, suggestion);
      }
      unknownHint = { value: hinted, suggestion };
    }
    if (hintedEntry !== undefined) return result(hintedEntry, 'hint', [], undefined, unknownHint, files);
    const winner = bestType(scores);
    const entry = catalog.types[winner < 0 ? defaultIndex : winner]!;
    const matched = winner < 0 ? [] : matchedOf(scan, winner);
    const simple =
      scan.simpleWord !== undefined &&
      scan.words <= catalog.simpleRequest.maxWords &&
      entry.complexity < neverLeanFromPoints
        ? { words: scan.words, word: scan.simpleWord }
        : undefined;
    return result(entry, winner < 0 ? 'default' : 'rules', matched, simple, unknownHint, files);
  };
  return { classify, types };
}

function result(
  entry: TaskTypeEntry,
  source: ClassificationSource,
  matched: readonly string[],
  simple: Classification['simple'],
  unknownHint: Classification['unknownHint'],
  filesReferenced: number,
): Classification {
  return {
    taskType: entry.id,
    source,
    matched,
    points: simple === undefined ? entry.complexity : 1,
    expectedOutputTokens: entry.expectedOutputTokens,
    simple,
    unknownHint,
    filesReferenced,
  };
}

/** The index of the type with the most points; the first listed wins a tie; -1 when none scored. */
function bestType(scores: Int32Array): number {
  let best = -1;
  let bestScore = 0;
  for (let type = 0; type < scores.length; type++) {
    const score = scores[type]!;
    if (score > bestScore) {
      best = type;
      bestScore = score;
    }
  }
  return best;
}

function matchedOf(scan: TextScan, type: number): string[] {
  const matched: string[] = [];
  for (const hit of scan.hits) {
    if (hit.type === type && matched.length < maxMatched) matched.push(hit.keyword);
  }
  return matched;
}
