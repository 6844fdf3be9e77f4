// How expression values compare, test and print.

/** JavaScript truthiness: false, null, 0 and '' are false; every list and mapping is true. */
export function isTruthy(value: unknown): boolean {
  return Boolean(value);
}

/** Equality without type coercion; lists and mappings compare by content; a missing value equals null. */
export function looseEquals(a: unknown, b: unknown): boolean {
  const left = a ?? null;
  const right = b ?? null;
  if (left === right) return true;
  if (typeof left !== 'object' || typeof right !== 'object' || left === null || right === null) return false;
  if (Array.isArray(left) !== Array.isArray(right)) return false;
  if (Array.isArray(left) && Array.isArray(right)) {
    return left.length === right.length && left.every((item, index) => looseEquals(item, right[index]));
  }
  const leftKeys = Object.keys(left);
  const rightRecord = right as Record<string, unknown>;
  return (
    leftKeys.length === Object.keys(right).length &&
    leftKeys.every(
      (key) =>
        Object.hasOwn(rightRecord, key) &&
        looseEquals((left as Record<string, unknown>)[key], rightRecord[key]),
    )
  );
}

/** A value spliced into text: text as is, null as nothing, lists and mappings as JSON. */
export function toText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value === undefined || value === null) return '';
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}
