import type { z } from 'zod';
import type { Diagnostic } from '../errors.ts';
import { didYouMeanHint, quoteList } from './did-you-mean.ts';

/** Longer lists of valid values are summed up; the did-you-mean hint still names the nearest. */
const maxListed = 16;

import type { Locate } from './locate.ts';
import { type PathSegment, renderPath } from './path.ts';
import { knownKeysAt } from './schema-keys.ts';

/** Where a value came from, so that problems can name the file, line and column. */
export type SchemaSource = { file: string | undefined; locate: Locate };

export type SchemaCheck<T> = { ok: true; value: T } | { ok: false; diagnostics: Diagnostic[] };

type Issue = z.core.$ZodIssue;
type Context = { root: unknown; schema: z.ZodType; source: SchemaSource };

/**
 * Validates `value` against a zod schema and turns every issue into a positioned Diagnostic:
 * CONFIG_UNKNOWN_KEY (pointing at the key, with the nearest valid key) or CONFIG_INVALID.
 */
export function checkSchema<T>(value: unknown, schema: z.ZodType<T>, source: SchemaSource): SchemaCheck<T> {
  let result: z.ZodSafeParseResult<T>;
  try {
    result = schema.safeParse(value, { reportInput: true });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return {
      ok: false,
      diagnostics: [diagnostic({ root: value, schema, source }, [], `cannot be checked: ${message}`)],
    };
  }
  if (result.success) return { ok: true, value: result.data };
  const context: Context = { root: value, schema, source };
  return { ok: false, diagnostics: result.error.issues.flatMap((issue) => diagnose(issue, [], context)) };
}

function toPath(prefix: readonly PathSegment[], path: readonly PropertyKey[]): PathSegment[] {
  return [...prefix, ...path.map((segment) => (typeof segment === 'symbol' ? String(segment) : segment))];
}

function diagnose(issue: Issue, prefix: readonly PathSegment[], context: Context): Diagnostic[] {
  const path = toPath(prefix, issue.path);
  const missing =
    issue.code === 'invalid_type' || issue.code === 'invalid_value' || issue.code === 'invalid_union';
  if (missing && issue.input === undefined && path.length > 0) {
    return [diagnostic(context, path, `missing required key ${JSON.stringify(String(path.at(-1)))}`)];
  }
  switch (issue.code) {
    case 'unrecognized_keys':
      return issue.keys.map((key) => unknownKey(key, path, context));
    case 'invalid_union':
      return diagnoseUnion(issue, path, context);
    case 'invalid_type': {
      const expected = typeName(issue.expected);
      if (issue.input === undefined && path.length > 0) {
        return [
          diagnostic(context, path, `missing required key ${JSON.stringify(String(path.at(-1)))}`, {
            expected,
          }),
        ];
      }
      return [mismatch(context, path, issue.input, expected)];
    }
    case 'invalid_value': {
      const expected =
        issue.values.length === 1
          ? quoteList(issue.values)
          : issue.values.length <= maxListed
            ? `one of ${quoteList(issue.values)}`
            : `one of ${issue.values.length} values, such as ${quoteList(issue.values.slice(0, 4))}`;
      const strings = issue.values.filter((value): value is string => typeof value === 'string');
      const hint = typeof issue.input === 'string' ? didYouMeanHint(issue.input, strings) : undefined;
      return [mismatch(context, path, issue.input, expected, hint)];
    }
    case 'too_small':
    case 'too_big':
      return [mismatch(context, path, issue.input, bound(issue))];
    case 'not_multiple_of':
      return [mismatch(context, path, issue.input, `a multiple of ${issue.divisor}`)];
    case 'invalid_format':
      return [custom(context, path, issue, `text in ${issue.format} format`)];
    case 'invalid_key':
      return [invalidKey(issue, path, context)];
    case 'invalid_element':
      return issue.issues.flatMap((inner) => diagnose(inner, path, context));
    default:
      return [custom(context, path, issue, 'a valid value')];
  }
}

/** Our schemas phrase their own messages as `expected ...`; zod's generic ones are rephrased. */
function custom(context: Context, path: PathSegment[], issue: Issue, fallback: string): Diagnostic {
  if (issue.message.startsWith('expected '))
    return mismatch(context, path, issue.input, issue.message.slice(9));
  if (issue.code === 'custom') return diagnostic(context, path, issue.message);
  return mismatch(context, path, issue.input, fallback);
}

function diagnoseUnion(
  issue: Extract<Issue, { code: 'invalid_union' }>,
  path: PathSegment[],
  context: Context,
) {
  const ownMessage = issue.message.startsWith('expected ') ? issue.message.slice(9) : undefined;
  // A branch whose type matched (no type error at its root) says more than the ones that did not.
  const matched = issue.errors
    .filter((branch) => branch.length > 0 && !branch.some(wrongTypeAtRoot))
    .sort((a, b) => depthRank(a) - depthRank(b) || a.length - b.length);
  const best = matched[0];
  const atRoot =
    best?.every((inner) => inner.path.length === 0 && inner.code !== 'unrecognized_keys') ?? true;
  if (best !== undefined && !(atRoot && ownMessage !== undefined))
    return best.flatMap((inner) => diagnose(inner, path, context));
  if (ownMessage !== undefined) return [mismatch(context, path, issue.input, ownMessage)];
  const expected = new Set(
    issue.errors
      .flat()
      .filter((inner) => inner.path.length === 0 && inner.code === 'invalid_type')
      .map((inner) => typeName((inner as { expected: string }).expected)),
  );
  return [mismatch(context, path, issue.input, [...expected].join(' or ') || 'a valid value')];
}

/** A branch failed on the kind of value (a list where a mapping was expected, a number for an enum). */
function wrongTypeAtRoot(issue: Issue): boolean {
  if (issue.path.length > 0) return false;
  if (issue.code === 'invalid_type') return true;
  return issue.code === 'invalid_value' && !issue.values.some((value) => typeof value === typeof issue.input);
}

/** 0 when the branch got into the value (a nested problem or an unknown key), 1 when it failed at its root. */
function depthRank(branch: readonly Issue[]): number {
  return branch.some((inner) => inner.path.length > 0 || inner.code === 'unrecognized_keys') ? 0 : 1;
}

function unknownKey(key: string, path: PathSegment[], context: Context): Diagnostic {
  const known = knownKeysAt(context.schema, path);
  const hint =
    didYouMeanHint(key, known) ?? (known.length === 0 ? undefined : `valid keys: ${known.join(', ')}`);
  const keyPath = [...path, key];
  const located = context.source.locate(keyPath, 'key');
  return withPlace(context, keyPath, located, {
    code: 'CONFIG_UNKNOWN_KEY',
    message: `unknown key ${JSON.stringify(key)}`,
    got: key,
    ...(hint === undefined ? {} : { hint }),
  });
}

/** `expected X, got Y`, with Y quoted from the file as written. */
function mismatch(
  context: Context,
  path: PathSegment[],
  input: unknown,
  expected: string,
  hint?: string,
): Diagnostic {
  const located = context.source.locate(path);
  const got = located?.exact && located.got !== '' ? asWritten(located.got, input) : describe(input);
  return withPlace(context, path, located, {
    code: 'CONFIG_INVALID',
    message: `expected ${expected}, got ${got}`,
    expected,
    got,
    ...(hint === undefined ? {} : { hint }),
  });
}

function diagnostic(
  context: Context,
  path: PathSegment[],
  message: string,
  extra: Partial<Diagnostic> = {},
): Diagnostic {
  return withPlace(context, path, context.source.locate(path), { code: 'CONFIG_INVALID', message, ...extra });
}

function withPlace(
  context: Context,
  path: PathSegment[],
  located: ReturnType<Locate>,
  rest: Partial<Diagnostic> & Pick<Diagnostic, 'code' | 'message'>,
): Diagnostic {
  return {
    file: context.source.file,
    line: located?.line,
    column: located?.column,
    path: renderPath(path, context.root),
    ...rest,
  };
}

/** A mapping key the schema rejects (e.g. an input name with a space): point at the key itself. */
function invalidKey(
  issue: Extract<Issue, { code: 'invalid_key' }>,
  path: PathSegment[],
  context: Context,
): Diagnostic {
  const key = String(path.at(-1) ?? '');
  const inner = issue.issues.find((candidate) => candidate.message.startsWith('expected '));
  const expected = inner === undefined ? 'a valid key' : inner.message.slice(9);
  const located = context.source.locate(path, 'key');
  const got = JSON.stringify(key);
  return withPlace(context, path, located, {
    code: 'CONFIG_INVALID',
    message: `invalid key: expected ${expected}, got ${got}`,
    expected,
    got,
  });
}

function asWritten(source: string, input: unknown): string {
  // A list or mapping in block style reads better by its kind than by its first line.
  const flow = (source.startsWith('{') || source.startsWith('[')) && !source.endsWith('…');
  if (typeof input === 'object' && input !== null && !flow) return describe(input);
  if (typeof input !== 'string' || source.startsWith('"') || source.startsWith("'")) return source;
  return source.includes('\n') || source.startsWith('|') || source.startsWith('>') ? source : `"${source}"`;
}

function describe(input: unknown): string {
  if (input === undefined) return 'nothing';
  if (input === null) return 'null (an empty value)';
  if (typeof input === 'string') return JSON.stringify(input.length > 60 ? `${input.slice(0, 60)}…` : input);
  if (Array.isArray(input)) return 'a list';
  if (typeof input === 'object') return 'a mapping';
  return String(input);
}

const typeNames: Record<string, string> = {
  object: 'a mapping',
  array: 'a list',
  string: 'a string',
  number: 'a number',
  int: 'an integer',
  boolean: 'true or false',
  record: 'a mapping',
  null: 'null',
};

function typeName(expected: string): string {
  return typeNames[expected] ?? expected;
}

function bound(issue: Extract<Issue, { code: 'too_small' | 'too_big' }>): string {
  const limit = issue.code === 'too_small' ? issue.minimum : issue.maximum;
  const word = issue.code === 'too_small' ? 'at least' : 'at most';
  const strict = issue.code === 'too_small' ? 'more than' : 'less than';
  const relation = issue.exact ? 'exactly' : issue.inclusive === false ? strict : word;
  if (issue.origin === 'string') return `${relation} ${limit} character${Number(limit) === 1 ? '' : 's'}`;
  if (issue.origin === 'array' || issue.origin === 'set')
    return `${relation} ${limit} item${Number(limit) === 1 ? '' : 's'}`;
  return `a number ${relation} ${limit}`;
}
