// Prompt-level evidence: hashed word n-gram TF-IDF vectors with an inverted index, so a new task finds
// its nearest stored tasks in time proportional to the postings of its rarer terms.

const bucketCount = 1 << 20;

/** A stored task near the query, with its cosine similarity (0-1). */
export type Neighbour<T> = { similarity: number; value: T };

export type SimilarityIndex<T> = {
  /** Stores `text` (once per distinct text) and returns its entry so callers can attach outcomes. */
  add: (text: string, create: () => T) => T;
  /** The entry stored for exactly this text, if any. */
  find: (text: string) => T | undefined;
  /** Up to `k` stored texts most similar to `text`, best first, each at least `minSimilarity`; never `exclude`. */
  nearest: (text: string, k: number, minSimilarity: number, exclude?: T) => Neighbour<T>[];
  /** Every stored text with its entry, in insertion order. */
  entries: () => { text: string; value: T }[];
  size: () => number;
};

type Doc<T> = { terms: Map<number, number>; norm: number; value: T };

/** Term ids of a text: lower-cased words and word bigrams, hashed (FNV-1a) into 2^20 buckets. */
export function hashedTerms(text: string): Map<number, number> {
  const words = text.toLowerCase().match(/[a-z0-9_]+/g) ?? [];
  const counts = new Map<number, number>();
  let previous = '';
  for (const word of words) {
    bump(counts, hash(word));
    if (previous !== '') bump(counts, hash(`${previous} ${word}`));
    previous = word;
  }
  return counts;
}

function bump(counts: Map<number, number>, term: number): void {
  counts.set(term, (counts.get(term) ?? 0) + 1);
}

function hash(text: string): number {
  let value = 0x811c9dc5;
  for (let index = 0; index < text.length; index += 1) {
    value ^= text.charCodeAt(index);
    value = Math.imul(value, 0x01000193);
  }
  return (value >>> 0) % bucketCount;
}

/**
 * Creates an empty index. Terms in more than `commonShare` of the texts (default 10%: shared few-shot
 * examples, stop words) are ignored when querying: they carry little weight and most of the work.
 */
export function createSimilarityIndex<T>(options: { commonShare?: number } = {}): SimilarityIndex<T> {
  const commonShare = options.commonShare ?? 0.1;
  const docs: Doc<T>[] = [];
  const byText = new Map<string, Doc<T>>();
  const postings = new Map<number, number[]>();
  let normsAt = 0;

  const idf = (term: number) => Math.log((docs.length + 1) / ((postings.get(term)?.length ?? 0) + 1)) + 1;
  const weight = (count: number, term: number) => (1 + Math.log(count)) * idf(term);
  // Norms use the IDF of the moment: all of them are refreshed whenever the collection has grown by a
  // quarter. This happens as texts are added, never on a lookup, so what a lookup finds depends on the
  // texts stored, not on when earlier lookups happened.
  const refreshNorms = () => {
    if (docs.length <= normsAt * 1.25 && normsAt > 0) return;
    for (const doc of docs) doc.norm = norm(doc.terms);
    normsAt = docs.length;
  };
  const norm = (terms: Map<number, number>) => {
    let sum = 0;
    for (const [term, count] of terms) sum += weight(count, term) ** 2;
    return Math.sqrt(sum) || 1;
  };

  return {
    add: (text, create) => {
      const known = byText.get(text);
      if (known !== undefined) return known.value;
      const terms = hashedTerms(text);
      const id = docs.length;
      const doc: Doc<T> = { terms, norm: 1, value: create() };
      docs.push(doc);
      byText.set(text, doc);
      for (const term of terms.keys()) {
        const list = postings.get(term);
        if (list === undefined) postings.set(term, [id]);
        else list.push(id);
      }
      doc.norm = norm(terms);
      refreshNorms();
      return doc.value;
    },
    find: (text) => byText.get(text)?.value,
    nearest: (text, k, minSimilarity, exclude) => {
      if (docs.length === 0 || k <= 0) return [];
      const query = hashedTerms(text);
      const scores = new Float64Array(docs.length);
      const limit = Math.max(2, docs.length * commonShare);
      let queryNorm = 0;
      for (const [term, count] of query) {
        const list = postings.get(term);
        const queryWeight = weight(count, term);
        queryNorm += queryWeight ** 2;
        if (list === undefined || list.length > limit) continue;
        for (const id of list) {
          const doc = docs[id] as Doc<T>;
          scores[id] = (scores[id] ?? 0) + queryWeight * weight(doc.terms.get(term) ?? 1, term);
        }
      }
      const scale = Math.sqrt(queryNorm) || 1;
      const found: Neighbour<T>[] = [];
      for (let id = 0; id < docs.length; id += 1) {
        const score = scores[id] ?? 0;
        if (score === 0) continue;
        const doc = docs[id] as Doc<T>;
        if (exclude !== undefined && doc.value === exclude) continue;
        const similarity = Math.min(1, score / (scale * doc.norm));
        if (similarity >= minSimilarity) found.push({ similarity, value: doc.value });
      }
      found.sort((a, b) => b.similarity - a.similarity);
      return found.slice(0, k);
    },
    size: () => docs.length,
    entries: () => [...byText].map(([text, doc]) => ({ text, value: doc.value })),
  };
}
