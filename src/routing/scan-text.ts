// One pass over the start of a task's text: words, keyword and stem hits, file names, simple words.
// Words are found by char codes and hashed as they are read; a hash hit is confirmed by comparing
// the text in place, so no string is built per word.
import { hashKey, hashSeed, hashStep, tableGet } from './hash-table.ts';
import { type KeywordIndex, stemPrefixLength } from './keyword-index.ts';

export type TextScan = {
  /** Words in the whole text (counted exactly in the scanned part, estimated beyond it). */
  words: number;
  /** Distinct file names seen, e.g. `src/app.ts`. */
  files: number;
  simpleWord: string | undefined;
  hits: { type: number; keyword: string }[];
};

const maxDistinctFiles = 16;
/** Word characters: a-z and 0-9 (the text is lower-cased first; anything else separates words). */
const wordChar = new Uint8Array(128);
for (let code = 97; code <= 122; code++) wordChar[code] = 1;
for (let code = 48; code <= 57; code++) wordChar[code] = 1;

let stampCounter = 0;
let starts = new Int32Array(512);
let ends = new Int32Array(512);
let hashes = new Int32Array(512);
let prefixes = new Int32Array(512);

function grow(size: number): void {
  if (size <= starts.length) return;
  starts = new Int32Array(size);
  ends = new Int32Array(size);
  hashes = new Int32Array(size);
  prefixes = new Int32Array(size);
}

function isPathChar(code: number): boolean {
  return (code < 128 && wordChar[code] === 1) || code === 95 || code === 45 || code === 46 || code === 47; // _ - . /
}

/** The word of `candidates` written at [start, end) of `lower`, if any. */
function writtenAt(
  candidates: readonly string[],
  lower: string,
  start: number,
  end: number,
): string | undefined {
  for (const word of candidates)
    if (word.length === end - start && lower.startsWith(word, start)) return word;
  return undefined;
}

/** Splits `lower` into words: their bounds, hashes and prefix hashes. Returns the word count. */
function tokenize(lower: string): number {
  grow((lower.length >> 1) + 2);
  let count = 0;
  let start = -1;
  let hash = hashSeed;
  const length = lower.length;
  for (let i = 0; i < length; i++) {
    const code = lower.charCodeAt(i);
    if (code < 128 && wordChar[code] === 1) {
      if (start < 0) {
        start = i;
        hash = hashSeed;
      }
      hash = hashStep(hash, code);
      if (i - start === stemPrefixLength - 1) prefixes[count] = hashKey(hash);
    } else if (start >= 0) {
      starts[count] = start;
      ends[count] = i;
      hashes[count++] = hashKey(hash);
      start = -1;
    }
  }
  if (start >= 0) {
    starts[count] = start;
    ends[count] = length;
    hashes[count++] = hashKey(hash);
  }
  return count;
}

/**
 * Scores `scores[type]` for the first `scanChars` characters of `text` (reset first). A keyword
 * counts once per text; phrases and patterns count 2, words and stems 1.
 */
export function scanText(text: string, scanChars: number, index: KeywordIndex, scores: Int32Array): TextScan {
  scores.fill(0);
  const stamp = ++stampCounter;
  const head = text.length > scanChars ? text.slice(0, scanChars) : text;
  const lower = head.toLowerCase();
  const count = tokenize(lower);
  let simpleWord: string | undefined;
  const fileNames: string[] = [];
  const hits: TextScan['hits'] = [];
  for (let t = 0; t < count; t++) {
    const from = starts[t]!;
    const to = ends[t]!;
    const entry = tableGet(index.words, hashes[t]!);
    if (entry !== undefined) {
      if (simpleWord === undefined && entry.simple.length > 0)
        simpleWord = writtenAt(entry.simple, lower, from, to);
      if (
        entry.extensions.length > 0 &&
        from >= 2 &&
        lower.charCodeAt(from - 1) === 46 &&
        writtenAt(entry.extensions, lower, from, to)
      ) {
        const name = fileNameEndingAt(lower, from - 1, to);
        if (name !== undefined && fileNames.length < maxDistinctFiles && !fileNames.includes(name))
          fileNames.push(name);
      }
      for (const rule of entry.rules) {
        if (rule.stamp === stamp || !phraseAt(lower, t, count, rule.words)) continue;
        rule.stamp = stamp;
        scores[rule.type]! += rule.points;
        hits.push({ type: rule.type, keyword: rule.keyword });
      }
    }
    if (to - from < stemPrefixLength) continue;
    const stems = tableGet(index.stems, prefixes[t]!);
    if (stems === undefined) continue;
    for (const rule of stems) {
      if (rule.stamp === stamp || to - from < rule.stem.length || !lower.startsWith(rule.stem, from))
        continue;
      rule.stamp = stamp;
      scores[rule.type]! += 1;
      hits.push({ type: rule.type, keyword: rule.keyword });
    }
  }
  for (const rule of index.patterns) {
    if (!rule.pattern.test(head)) continue;
    scores[rule.type]! += 2;
    hits.push({ type: rule.type, keyword: `/${rule.source}/` });
  }
  const words = text.length > scanChars ? Math.max(count, Math.round(text.length / 6)) : count;
  return { words, files: fileNames.length, simpleWord, hits };
}

/** Whether the words of a rule are written from word `at` on. */
function phraseAt(lower: string, at: number, count: number, words: readonly string[]): boolean {
  if (at + words.length > count) return false;
  for (let k = 0; k < words.length; k++) {
    const word = words[k]!;
    const from = starts[at + k]!;
    if (ends[at + k]! - from !== word.length || !lower.startsWith(word, from)) return false;
  }
  return true;
}

/** The file name whose extension starts after the dot at `dot` and ends at `end`. */
function fileNameEndingAt(lower: string, dot: number, end: number): string | undefined {
  let begin = dot;
  while (begin > 0 && isPathChar(lower.charCodeAt(begin - 1))) begin--;
  const before = lower.charCodeAt(dot - 1);
  // `.ts` alone, or `..ts`, names no file.
  if (dot === begin || !(before < 128 && wordChar[before] === 1)) return undefined;
  return lower.slice(begin, end);
}
