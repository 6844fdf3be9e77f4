import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import type { z } from 'zod';
import { ConfigError, type Diagnostic } from '../errors.ts';
import { sortDiagnostics } from './format.ts';
import { checkSchema } from './schema-check.ts';
import { type ParseYamlOptions, parseYaml } from './yaml.ts';

/** Reads a file as text; a missing or unreadable file is a ConfigError naming the path. */
export async function readConfigText(path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    throw unreadable(path, error);
  }
}

/** `readConfigText` for callers that cannot wait (the eval's catalogs). */
export function readConfigTextSync(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    throw unreadable(path, error);
  }
}

function unreadable(path: string, error: unknown): ConfigError {
  const code = (error as { code?: string }).code;
  const reason =
    code === 'ENOENT'
      ? 'file not found'
      : code === 'EISDIR'
        ? 'is a directory, not a file'
        : 'cannot be read';
  const diagnostic: Diagnostic = {
    file: path,
    line: undefined,
    column: undefined,
    code: 'CONFIG_NOT_FOUND',
    path: '',
    message: `${reason}: ${path}`,
    hint: code === 'ENOENT' ? 'check the path; it is resolved from the current directory' : undefined,
  };
  return new ConfigError([diagnostic], { cause: error });
}

/** Parses YAML text and checks it against a schema; throws one ConfigError with every problem, sorted. */
export function parseYamlWith<T>(
  text: string,
  file: string | undefined,
  schema: z.ZodType<T>,
  options?: ParseYamlOptions,
): T {
  const parsed = parseYaml(text, file, options);
  if (parsed.diagnostics.length > 0) throw new ConfigError(sortDiagnostics(parsed.diagnostics));
  const checked = checkSchema(parsed.value, schema, { file, locate: parsed.locate });
  if (!checked.ok) throw new ConfigError(sortDiagnostics(checked.diagnostics));
  return checked.value;
}

/**
 * Loads a YAML file and checks it against a `.strict()` zod schema.
 * @throws ConfigError with every problem (CONFIG_NOT_FOUND for a missing file).
 */
export async function loadYamlFile<T>(
  path: string,
  schema: z.ZodType<T>,
  options?: ParseYamlOptions,
): Promise<T> {
  return parseYamlWith(await readConfigText(path), path, schema, options);
}
