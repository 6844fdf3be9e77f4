// Positioned diagnostics for the workflow checks.
import { type Locate, type PathSegment, renderPath } from '../diagnostics/index.ts';
import type { Diagnostic, ErrorCode } from '../errors.ts';

export type ReportOptions = { hint?: string | undefined; part?: 'key' | 'value' };

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
    const located = locate(path, options.part);
    const diagnostic: Diagnostic = {
      file,
      line: located?.line,
      column: located?.column,
      code,
      path: renderPath(path, root),
      message,
    };
    if (located?.exact && located.got !== '') diagnostic.got = located.got;
    if (options.hint !== undefined) diagnostic.hint = options.hint;
    into.push(diagnostic);
  };
}

/** `"a", "b", "c"` for messages; at most `limit` names. */
export function nameList(names: readonly string[], limit = 12): string {
  const shown = names.slice(0, limit).map((name) => JSON.stringify(name));
  return names.length > limit ? `${shown.join(', ')} and ${names.length - limit} more` : shown.join(', ');
}
