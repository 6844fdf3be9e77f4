/** Optimal-string-alignment edit distance (Levenshtein plus adjacent transpositions). */
export function editDistance(a: string, b: string): number {
  if (a === b) return 0;
  if (a.length === 0) return b.length;
  if (b.length === 0) return a.length;
  let twoBack: number[] = [];
  let previous = Array.from({ length: b.length + 1 }, (_, index) => index);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        best = Math.min(best, twoBack[j - 2]! + 1);
      current.push(best);
    }
    twoBack = previous;
    previous = current;
  }
  return previous[b.length]!;
}

/**
 * The candidate closest to `value`, when it is close enough to be a likely typo: a case-insensitive
 * match, or an edit distance of at most a third of the longer word (at least 1, at most 3).
 */
export function didYouMean(value: string, candidates: Iterable<string>): string | undefined {
  const lower = value.toLowerCase();
  let best: string | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const candidate of candidates) {
    if (candidate === value) continue;
    const distance = candidate.toLowerCase() === lower ? 0 : editDistance(lower, candidate.toLowerCase());
    const allowed = Math.min(3, Math.max(1, Math.floor(Math.max(value.length, candidate.length) / 3)));
    if (distance <= allowed && distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}

/** `did you mean "build"?` when a candidate is close, else undefined. */
export function didYouMeanHint(value: string, candidates: Iterable<string>): string | undefined {
  const suggestion = didYouMean(value, candidates);
  return suggestion === undefined ? undefined : `did you mean ${JSON.stringify(suggestion)}?`;
}

/** `"a" | "b" | "c"`, the way messages list valid values. */
export function quoteList(values: Iterable<unknown>, separator = ' | '): string {
  return Array.from(values, (value) =>
    typeof value === 'string' ? JSON.stringify(value) : String(value),
  ).join(separator);
}
