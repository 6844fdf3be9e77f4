// The functions expressions may call. Each takes plain values and returns plain values; none has effects.
import { OrchestratorError } from '../errors.ts';
import { looseEquals, toText } from './expression-values.ts';

type ExpressionFunction = {
  min: number;
  max: number;
  call: (args: readonly unknown[]) => unknown;
  summary: string;
};

function fail(message: string): never {
  throw new OrchestratorError('EXPRESSION_FAILED', message);
}

function text(value: unknown, name: string): string {
  if (typeof value === 'string') return value;
  return fail(`${name}() expects text, got ${describeValue(value)}`);
}

/** How a value is named in messages: its type and a short preview. */
export function describeValue(value: unknown): string {
  if (value === undefined || value === null) return 'null';
  if (Array.isArray(value)) return `a list of ${value.length}`;
  if (typeof value === 'object') return 'a mapping';
  const shown = JSON.stringify(value);
  return `${typeof value} ${shown.length > 40 ? `${shown.slice(0, 40)}…` : shown}`;
}

/** Every function, with its arity and a one-line summary for the documentation. */
export const expressionFunctions: Readonly<Record<string, ExpressionFunction>> = {
  length: {
    min: 1,
    max: 1,
    summary: 'characters of a text, items of a list, keys of a mapping; 0 for null',
    call: ([value]) => {
      if (value === undefined || value === null) return 0;
      if (typeof value === 'string' || Array.isArray(value)) return value.length;
      if (typeof value === 'object') return Object.keys(value).length;
      return fail(`length() expects text, a list or a mapping, got ${describeValue(value)}`);
    },
  },
  contains: {
    min: 2,
    max: 2,
    summary: 'a text contains a substring, or a list contains an equal item',
    call: ([haystack, needle]) => {
      if (Array.isArray(haystack)) return haystack.some((item) => looseEquals(item, needle));
      if (typeof haystack === 'string') return haystack.includes(toText(needle));
      if (haystack === undefined || haystack === null) return false;
      return fail(`contains() expects text or a list first, got ${describeValue(haystack)}`);
    },
  },
  startsWith: {
    min: 2,
    max: 2,
    summary: 'a text starts with another',
    call: ([a, b]) => text(a, 'startsWith').startsWith(toText(b)),
  },
  endsWith: {
    min: 2,
    max: 2,
    summary: 'a text ends with another',
    call: ([a, b]) => text(a, 'endsWith').endsWith(toText(b)),
  },
  default: {
    min: 2,
    max: 2,
    summary: 'the first value unless it is null or empty text, else the second',
    call: ([value, fallback]) => (value === undefined || value === null || value === '' ? fallback : value),
  },
  join: {
    min: 1,
    max: 2,
    summary: 'the items of a list as text, separated by the second argument (default ", ")',
    call: ([list, separator]) => {
      if (!Array.isArray(list)) return fail(`join() expects a list, got ${describeValue(list)}`);
      return list.map(toText).join(separator === undefined ? ', ' : toText(separator));
    },
  },
  json: { min: 1, max: 1, summary: 'a value as JSON text', call: ([value]) => JSON.stringify(value ?? null) },
  fromJson: {
    min: 1,
    max: 1,
    summary: 'parses JSON text into a value',
    call: ([value]) => {
      const source = text(value, 'fromJson');
      try {
        return JSON.parse(source) as unknown;
      } catch {
        return fail(`fromJson() got text that is not JSON: ${describeValue(source)}`);
      }
    },
  },
  lower: {
    min: 1,
    max: 1,
    summary: 'text in lower case',
    call: ([value]) => text(value, 'lower').toLowerCase(),
  },
  upper: {
    min: 1,
    max: 1,
    summary: 'text in upper case',
    call: ([value]) => text(value, 'upper').toUpperCase(),
  },
  trim: {
    min: 1,
    max: 1,
    summary: 'text without surrounding white space',
    call: ([value]) => text(value, 'trim').trim(),
  },
};
