// Positioned diagnostics for the workflow checks.
import { type Locate, locateWithin, type PathSegment, renderPath } from '../diagnostics/index.ts';
import type { Diagnostic, ErrorCode } from '../errors.ts';

export type ReportOptions = {
  hint?: string | undefined;
  /** What would be valid, for callers that read diagnostics as data. */
  expected?: string | undefined;
  part?: 'key' | 'value';
  /** Text inside the value to point at, e.g. the offending `${{ ... }}`. */
  within?: string | undefined;
};

/** Adds one diagnostic at a path of the workflow file. */
export type Report = (
  code: ErrorCode,
  path: readonly PathSegment[],
  message: string,
  options?: ReportOptions,
) => void;

/** A reporter that positions each problem with `locate` and names its path by task id. */
export function createReport(
  file: string | undefined,
  locate: Locate,
  root: unknown,
  into: Diagnostic[],
): Report {
  return (code, path, message, options = {}) => {
    const found = locate(path, options.part);
    const located =
      found !== undefined && options.within !== undefined ? locateWithin(found, options.within) : found;
    const diagnostic: Diagnostic = {
      file,
      line: located?.line,
      column: located?.column,
      code,
      path: renderPath(path, root),
      message,
    };
    if (located?.exact && located.got !== '') diagnostic.got = located.got;
    if (options.expected !== undefined) diagnostic.expected = options.expected;
    if (options.hint !== undefined) diagnostic.hint = options.hint;
    into.push(diagnostic);
  };
}

/** `"a", "b", "c"` for messages; at most `limit` names. */
export function nameList(names: readonly string[], limit = 12): string {
  const shown = names.slice(0, limit).map((name) => JSON.stringify(name));
  return names.length > limit ? `${shown.join(', ')} and ${names.length - limit} more` : shown.join(', ');
}
