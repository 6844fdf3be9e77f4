// One pass over the start of a task's text: words, keyword and stem hits, file names, simple words.
import type { KeywordIndex } from './keyword-index.ts';

export type TextScan = {
  /** Words in the whole text (counted exactly up to the scanned part, estimated beyond it). */
  words: number;
  /** Distinct file names seen, e.g. `src/app.ts`. */
  files: number;
  simpleWord: string | undefined;
  hits: { type: number; keyword: string }[];
};

const maxDistinctFiles = 16;
let stampCounter = 0;

function isWordChar(code: number): boolean {
  return (code >= 97 && code <= 122) || (code >= 48 && code <= 57);
}

function isPathChar(code: number): boolean {
  return isWordChar(code) || code === 95 || code === 45 || code === 46 || code === 47; // _ - . /
}

/**
 * Scores `scores[type]` for the first `scanChars` characters of `text` (reset first). A keyword counts
 * once per text; phrases and patterns count 2, words and stems 1.
 */
export function scanText(
  text: string,
  scanChars: number,
  index: KeywordIndex,
  scores: Int32Array,
  simpleWords: ReadonlySet<string>,
  extensions: ReadonlySet<string>,
): TextScan {
  scores.fill(0);
  const stamp = ++stampCounter;
  const head = text.length > scanChars ? text.slice(0, scanChars) : text;
  const lower = head.toLowerCase();
  const tokens: string[] = [];
  const fileNames: string[] = [];
  let simpleWord: string | undefined;
  let start = -1;
  for (let i = 0; i <= lower.length; i++) {
    const code = i < lower.length ? lower.charCodeAt(i) : 32;
    if (isWordChar(code)) {
      if (start < 0) start = i;
      continue;
    }
    if (start < 0) continue;
    const word = lower.slice(start, i);
    tokens.push(word);
    if (simpleWord === undefined && simpleWords.has(word)) simpleWord = word;
    if (start >= 2 && lower.charCodeAt(start - 1) === 46 && extensions.has(word)) {
      const name = fileNameEndingAt(lower, start - 1, i);
      if (name !== undefined && fileNames.length < maxDistinctFiles && !fileNames.includes(name))
        fileNames.push(name);
    }
    start = -1;
  }
  const hits: TextScan['hits'] = [];
  for (let t = 0; t < tokens.length; t++) {
    const word = tokens[t]!;
    const rules = index.byFirstWord.get(word);
    if (rules !== undefined) {
      for (const rule of rules) {
        if (rule.stamp === stamp || !phraseAt(tokens, t, rule.words)) continue;
        rule.stamp = stamp;
        scores[rule.type]! += rule.points;
        hits.push({ type: rule.type, keyword: rule.keyword });
      }
    }
    if (word.length < 3) continue;
    const stems = index.stemsByPrefix.get(word.slice(0, 3));
    if (stems === undefined) continue;
    for (const rule of stems) {
      if (rule.stamp === stamp || !word.startsWith(rule.stem)) continue;
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
  const words =
    text.length > scanChars ? Math.max(tokens.length, Math.round(text.length / 6)) : tokens.length;
  return { words, files: fileNames.length, simpleWord, hits };
}

function phraseAt(tokens: readonly string[], at: number, words: readonly string[]): boolean {
  for (let k = 1; k < words.length; k++) if (tokens[at + k] !== words[k]) return false;
  return true;
}

/** The file name whose extension starts after the dot at `dot` and ends at `end`. */
function fileNameEndingAt(lower: string, dot: number, end: number): string | undefined {
  let begin = dot;
  while (begin > 0 && isPathChar(lower.charCodeAt(begin - 1))) begin--;
  const stemEnd = dot;
  // `.ts` alone, or `..ts`, names no file.
  if (stemEnd === begin || !isWordChar(lower.charCodeAt(stemEnd - 1))) return undefined;
  return lower.slice(begin, end);
}
