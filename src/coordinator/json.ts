import type { Json } from '../events/vocabulary.ts';

const maxDepth = 100;

/**
 * True when `value` survives a JSON round trip unchanged: outputs travel in events, journals and
 * across processes, so a Date, a Map, a class instance, `undefined` or NaN is refused up front.
 */
export function isJson(value: unknown): value is Json {
  if (typeof value !== 'object' || value === null) return check(value, 0, noneSeen);
  return check(value, 0, new Set());
}

const noneSeen = new Set<object>();

function check(value: unknown, depth: number, seen: Set<object>): boolean {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return true;
    case 'number':
      return Number.isFinite(value);
    case 'object':
      break;
    default:
      return false;
  }
  if (value === null) return true;
  if (depth >= maxDepth || seen.has(value)) return false;
  seen.add(value);
  let ok = true;
  if (Array.isArray(value)) {
    for (let index = 0; ok && index < value.length; index++) ok = check(value[index], depth + 1, seen);
  } else {
    const prototype = Object.getPrototypeOf(value);
    if (prototype !== Object.prototype && prototype !== null) ok = false;
    else
      for (const key in value) if (ok) ok = check((value as Record<string, unknown>)[key], depth + 1, seen);
  }
  seen.delete(value);
  return ok;
}

/** Names what made a value non-JSON, for the AGENT_OUTPUT_INVALID message. */
export function describeNonJson(value: unknown): string {
  if (value === undefined) return 'undefined';
  if (typeof value === 'number') return String(value);
  if (typeof value === 'function') return 'a function';
  if (typeof value === 'bigint') return 'a bigint';
  if (typeof value === 'symbol') return 'a symbol';
  if (typeof value === 'object' && value !== null) {
    const name = Object.getPrototypeOf(value)?.constructor?.name;
    if (!Array.isArray(value) && typeof name === 'string' && name !== 'Object') return `a ${name}`;
    return 'a value holding something that is not JSON (undefined, NaN, a function, a class instance or a cycle)';
  }
  return typeof value;
}
