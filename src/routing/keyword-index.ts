// The task-type rules compiled once into lookup tables, so that classifying a text is one pass over
// its words with map lookups: no regular expression is built per decision.
import type { TaskTypeCatalog } from '../config/task-types.ts';

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

export type KeywordIndex = {
  /** Rules by their first word (single words and phrases). */
  byFirstWord: ReadonlyMap<string, readonly KeywordRule[]>;
  /** Stem rules by the first three letters of the stem. */
  stemsByPrefix: ReadonlyMap<string, readonly StemRule[]>;
  patterns: readonly PatternRule[];
};

const phrasePoints = 2;
const wordPoints = 1;

function push<T>(map: Map<string, T[]>, key: string, value: T): void {
  const list = map.get(key);
  if (list === undefined) map.set(key, [value]);
  else list.push(value);
}

/** Compiles every type's keywords, stems and patterns of a checked catalog. */
export function buildKeywordIndex(catalog: TaskTypeCatalog): KeywordIndex {
  const byFirstWord = new Map<string, KeywordRule[]>();
  const stemsByPrefix = new Map<string, StemRule[]>();
  const patterns: PatternRule[] = [];
  catalog.types.forEach((entry, type) => {
    for (const keyword of new Set(entry.keywords)) {
      if (keyword.endsWith('*')) {
        const stem = keyword.slice(0, -1);
        push(stemsByPrefix, stem.slice(0, 3), { type, keyword, stem, stamp: -1 });
        continue;
      }
      const words = keyword.split(' ');
      const points = words.length > 1 ? phrasePoints : wordPoints;
      push(byFirstWord, words[0]!, { type, keyword, words, points, stamp: -1 });
    }
    for (const source of entry.patterns) patterns.push({ type, pattern: new RegExp(source, 'i'), source });
  });
  return { byFirstWord, stemsByPrefix, patterns };
}
