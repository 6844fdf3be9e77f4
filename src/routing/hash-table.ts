// A small open-addressing table from word hashes to values: faster than Map on the routing path,
// where every word of a task's text is looked up.

/** Keys are hashes from `hashKey` (never 0); values are whatever a key stands for. */
export type HashTable<T> = {
  readonly keys: Int32Array;
  readonly values: readonly (T | undefined)[];
  readonly mask: number;
};

/** FNV-1a over char codes, the step the text scan applies character by character. */
export function hashStep(hash: number, code: number): number {
  return Math.imul(hash ^ code, 16777619);
}
export const hashSeed: number = 2166136261 | 0;

/** Keeps a hash a small positive integer (V8 Smi, never 0), as table keys must be. */
export function hashKey(hash: number): number {
  return (hash & 0x1fffffff) + 1;
}

/** The key of the first `length` characters of `word`. */
export function hashWord(word: string, length = word.length): number {
  let hash = hashSeed;
  for (let index = 0; index < length; index++) hash = hashStep(hash, word.charCodeAt(index));
  return hashKey(hash);
}

/** Builds a table from keyed values; values under the same key are merged by `merge`. */
export function createHashTable<T>(entries: Iterable<[number, T]>, merge: (a: T, b: T) => T): HashTable<T> {
  const merged = new Map<number, T>();
  for (const [key, value] of entries) {
    const previous = merged.get(key);
    merged.set(key, previous === undefined ? value : merge(previous, value));
  }
  let size = 16;
  while (size < merged.size * 4) size *= 2;
  const keys = new Int32Array(size);
  const values: (T | undefined)[] = new Array(size).fill(undefined);
  const mask = size - 1;
  for (const [key, value] of merged) {
    let slot = key & mask;
    while (keys[slot] !== 0) slot = (slot + 1) & mask;
    keys[slot] = key;
    values[slot] = value;
  }
  return { keys, values, mask };
}

/** The value under `key`, or undefined. */
export function tableGet<T>(table: HashTable<T>, key: number): T | undefined {
  const { keys, mask } = table;
  let slot = key & mask;
  for (;;) {
    const found = keys[slot];
    if (found === key) return table.values[slot];
    if (found === 0) return undefined;
    slot = (slot + 1) & mask;
  }
}
