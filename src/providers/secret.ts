import { inspect } from 'node:util';

const redacted = '[REDACTED]';

/**
 * A secret value (an API key) that prints as `[REDACTED]` everywhere: `JSON.stringify`,
 * `util.inspect`/`console.log`, `String()`, template literals and error messages. Only `reveal()`
 * returns the value; call it where an SDK needs the key, nowhere else.
 */
export type Secret = {
  reveal: () => string;
  toString: () => string;
  toJSON: () => string;
};

const values = new WeakMap<object, string>();

/** Wraps a value as a Secret. */
export function createSecret(value: string): Secret {
  const secret = Object.freeze({
    reveal: () => values.get(secret) ?? '',
    toString: () => redacted,
    toJSON: () => redacted,
    [Symbol.toPrimitive]: () => redacted,
    [inspect.custom]: () => redacted,
  });
  // The value lives outside the object, so no enumeration, spread or structured clone can reach it.
  values.set(secret, value);
  return secret;
}

/** True for values made by `createSecret`. */
export function isSecret(value: unknown): value is Secret {
  return typeof value === 'object' && value !== null && values.has(value);
}
