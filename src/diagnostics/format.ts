import type { Diagnostic } from '../errors.ts';
import { printable } from './locate.ts';

/** `file:line:col`, leaving out what is unknown. */
function place(diagnostic: Diagnostic): string {
  const file = diagnostic.file ?? '<input>';
  if (diagnostic.line === undefined) return file;
  return diagnostic.column === undefined
    ? `${file}:${diagnostic.line}`
    : `${file}:${diagnostic.line}:${diagnostic.column}`;
}

/**
 * One problem the way users read it:
 * ```
 * workflows/review.yaml:6:12 error CONFIG_INVALID at tasks.fix.phase
 *   expected one of "scout" | "plan" | "build", got "biuld"
 *   hint: did you mean "build"?
 * ```
 */
export function formatDiagnostic(diagnostic: Diagnostic): string {
  const at = diagnostic.path === '' ? '' : ` at ${diagnostic.path}`;
  const lines = [`${place(diagnostic)} error ${diagnostic.code}${at}`];
  for (const line of diagnostic.message.split('\n')) lines.push(`  ${line}`);
  if (diagnostic.hint !== undefined) lines.push(`  hint: ${diagnostic.hint}`);
  return lines.map(printable).join('\n');
}

/** Orders problems by file, then position; problems without a position come first in their file. */
export function compareDiagnostics(a: Diagnostic, b: Diagnostic): number {
  return (
    (a.file ?? '').localeCompare(b.file ?? '') ||
    (a.line ?? 0) - (b.line ?? 0) ||
    (a.column ?? 0) - (b.column ?? 0) ||
    a.path.localeCompare(b.path) ||
    a.code.localeCompare(b.code) ||
    a.message.localeCompare(b.message)
  );
}

/** A sorted copy without exact duplicates. */
export function sortDiagnostics(diagnostics: readonly Diagnostic[]): Diagnostic[] {
  const seen = new Set<string>();
  const unique: Diagnostic[] = [];
  for (const diagnostic of diagnostics) {
    const key = `${diagnostic.file}|${diagnostic.line}|${diagnostic.column}|${diagnostic.code}|${diagnostic.path}|${diagnostic.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    unique.push(diagnostic);
  }
  return unique.sort(compareDiagnostics);
}

/** Every problem, sorted by position, separated by blank lines. */
export function formatDiagnostics(diagnostics: readonly Diagnostic[]): string {
  return sortDiagnostics(diagnostics).map(formatDiagnostic).join('\n\n');
}
