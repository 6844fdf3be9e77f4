// Reading the routing config files: YAML with positions, the strict schema, then checks across
// fields (duplicate ids, cycles) that a schema cannot express, all reported in one pass.
import { join } from 'node:path';
import type { z } from 'zod';
import {
  checkSchema,
  type PathSegment,
  parseYaml,
  readConfigText,
  renderPath,
  sortDiagnostics,
} from '../diagnostics/index.ts';
import { ConfigError, type Diagnostic, type ErrorCode } from '../errors.ts';

/** A problem found after the schema check, at a path of the parsed value. */
export type ConfigProblem = {
  path: readonly PathSegment[];
  /** `{got}` in it is replaced by the value as written in the file. */
  message: string;
  /** Point at the mapping key rather than its value. @default 'value' */
  part?: 'key' | 'value';
  code?: ErrorCode;
  expected?: string;
  hint?: string;
};

/** Values under a file's own keys: what a partial file leaves out comes from `value`. */
export type ConfigDefaults = {
  value: unknown;
  /** Dotted paths replaced as a whole rather than merged key by key, e.g. `upgrade.next`. */
  atomic?: readonly string[];
};

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `over` on top of `base`: mappings merge key by key, anything else (lists too) replaces. */
function mergeOver(base: unknown, over: unknown, atomic: ReadonlySet<string>, path: string): unknown {
  if (over === undefined || over === null) return base;
  if (!isRecord(base) || !isRecord(over) || atomic.has(path)) return over;
  const merged: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(over))
    merged[key] = mergeOver(base[key], value, atomic, path === '' ? key : `${path}.${key}`);
  return merged;
}

/**
 * Parses `text`, checks it against `schema`, then runs `check` on the valid value. With `defaults`,
 * the file may hold only the keys it changes.
 * @throws ConfigError with every problem, sorted by position.
 */
export function parseConfigText<T>(
  text: string,
  file: string | undefined,
  schema: z.ZodType<T>,
  check: (value: T) => readonly ConfigProblem[],
  defaults?: ConfigDefaults,
): T {
  const parsed = parseYaml(text, file);
  if (parsed.diagnostics.length > 0) throw new ConfigError(sortDiagnostics(parsed.diagnostics));
  const value =
    defaults === undefined
      ? parsed.value
      : mergeOver(defaults.value, parsed.value, new Set(defaults.atomic), '');
  const checked = checkSchema(value, schema, { file, locate: parsed.locate });
  if (!checked.ok) throw new ConfigError(sortDiagnostics(checked.diagnostics));
  const problems = check(checked.value);
  if (problems.length === 0) return checked.value;
  const diagnostics = problems.map((problem): Diagnostic => {
    const located = parsed.locate(problem.path, problem.part ?? 'value');
    const got = located?.exact ? located.got : undefined;
    return {
      file,
      line: located?.line,
      column: located?.column,
      code: problem.code ?? 'CONFIG_INVALID',
      path: renderPath(problem.path, value),
      message: problem.message.replace('{got}', got === undefined || got === '' ? 'nothing' : got),
      ...(problem.expected === undefined ? {} : { expected: problem.expected }),
      ...(got === undefined || got === '' ? {} : { got }),
      ...(problem.hint === undefined ? {} : { hint: problem.hint }),
    };
  });
  throw new ConfigError(sortDiagnostics(diagnostics));
}

/** Reads `<dir>/<name>` and parses it like `parseConfigText`. */
export async function loadConfigFile<T>(
  dir: string,
  name: string,
  schema: z.ZodType<T>,
  check: (value: T) => readonly ConfigProblem[],
  defaults?: ConfigDefaults,
): Promise<T> {
  const file = join(dir, name);
  return parseConfigText(await readConfigText(file), file, schema, check, defaults);
}

/** The plain value of a YAML text known to be valid (a shipped file); undefined if it is not. */
export function plainYaml(text: string): unknown {
  const parsed = parseYaml(text, undefined);
  return parsed.diagnostics.length > 0 ? undefined : parsed.value;
}
