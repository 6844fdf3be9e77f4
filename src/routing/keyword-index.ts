// The task-type rules compiled once into hash tables, so that classifying a text is one pass over
// its characters with no string built per word and no regular expression built per decision.
import type { TaskTypeCatalog } from '../config/task-types.ts';
import { createHashTable, type HashTable, hashWord } from './hash-table.ts';

/** One keyword rule; `stamp` marks the last classification it counted in, so it counts once per text. */
export type KeywordRule = {
  type: number;
  keyword: string;
  words: readonly string[];
  points: number;
  stamp: number;
};
export type StemRule = { type: number; keyword: string; stem: string; stamp: number };
export type PatternRule = { type: number; pattern: RegExp; source: string };

/** What one whole word may be: the first word of keyword rules, a simple-task word, a file extension. */
export type WordEntry = { rules: KeywordRule[]; simple: string[]; extensions: string[] };

export type KeywordIndex = {
  /** By the hash of a whole word. */
  words: HashTable<WordEntry>;
  /** Stem rules by the hash of the stem's first `stemPrefixLength` characters. */
  stems: HashTable<StemRule[]>;
  patterns: readonly PatternRule[];
};

const phrasePoints = 2;
const wordPoints = 1;
export const stemPrefixLength = 3;

const mergeEntries = (a: WordEntry, b: WordEntry): WordEntry => ({
  rules: [...a.rules, ...b.rules],
  simple: [...a.simple, ...b.simple],
  extensions: [...a.extensions, ...b.extensions],
});

/** Compiles a checked catalog's rules with the simple-task words and the file extensions. */
export function buildKeywordIndex(catalog: TaskTypeCatalog, fileExtensions: readonly string[]): KeywordIndex {
  const words: [number, WordEntry][] = [];
  const stems: [number, StemRule[]][] = [];
  const patterns: PatternRule[] = [];
  const entry = (part: Partial<WordEntry>): WordEntry => ({ rules: [], simple: [], extensions: [], ...part });
  catalog.types.forEach((type, index) => {
    for (const keyword of new Set(type.keywords)) {
      if (keyword.endsWith('*')) {
        const stem = keyword.slice(0, -1);
        stems.push([hashWord(stem, stemPrefixLength), [{ type: index, keyword, stem, stamp: -1 }]]);
        continue;
      }
      const parts = keyword.split(' ');
      const rule = {
        type: index,
        keyword,
        words: parts,
        points: parts.length > 1 ? phrasePoints : wordPoints,
        stamp: -1,
      };
      words.push([hashWord(parts[0]!), entry({ rules: [rule] })]);
    }
    for (const source of type.patterns)
      patterns.push({ type: index, pattern: new RegExp(source, 'i'), source });
  });
  for (const word of new Set(catalog.simpleRequest.words.map((w) => w.toLowerCase())))
    words.push([hashWord(word), entry({ simple: [word] })]);
  for (const extension of new Set(fileExtensions))
    words.push([hashWord(extension), entry({ extensions: [extension] })]);
  return {
    words: createHashTable(words, mergeEntries),
    stems: createHashTable(stems, (a, b) => [...a, ...b]),
    patterns,
  };
}
