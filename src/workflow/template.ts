// `${{ expression }}` templates inside workflow values: parsing, rendering and load-time inspection.
import { OrchestratorError } from '../errors.ts';
import { type CompiledExpression, expressionPaths, parseExpression } from './expression.ts';
import { toText } from './expression-values.ts';
import type { TemplateScope } from './model.ts';

/** Literal text and expressions, in order. */
type Part = string | CompiledExpression;
type Parsed = { parts: readonly Part[]; whole: CompiledExpression | undefined };

const open = '${{';
const cacheLimit = 5000;
const templates = new Map<string, Parsed>();
const hasTemplateCache = new WeakMap<object, boolean>();

/** Where the `}}` closing an expression that starts at `from` is, skipping quoted text; -1 if none. */
function closingBraces(text: string, from: number): number {
  let quote: string | undefined;
  for (let index = from; index < text.length; index++) {
    const char = text[index];
    if (quote !== undefined) {
      if (char === '\\') index++;
      else if (char === quote) quote = undefined;
    } else if (char === "'" || char === '"') {
      quote = char;
    } else if (char === '}' && text[index + 1] === '}') {
      return index;
    }
  }
  return -1;
}

/** One piece of a template string: literal text, a parsed expression, or an expression that does not parse. */
type Segment =
  | { kind: 'text'; text: string }
  | { kind: 'expression'; written: string; expression: CompiledExpression }
  | { kind: 'error'; written: string; error: OrchestratorError };

/** Splits a string into segments; never throws. `written` is the `${{ ... }}` text as in the string. */
function scanTemplate(text: string): Segment[] {
  const segments: Segment[] = [];
  let index = 0;
  while (index < text.length) {
    const start = text.indexOf(open, index);
    if (start === -1) {
      segments.push({ kind: 'text', text: text.slice(index) });
      break;
    }
    if (start > index) segments.push({ kind: 'text', text: text.slice(index, start) });
    const end = closingBraces(text, start + open.length);
    if (end === -1) {
      const shown = JSON.stringify(text.length > 60 ? `${text.slice(0, 60)}…` : text);
      const error = new OrchestratorError(
        'WORKFLOW_EXPRESSION_INVALID',
        `"${open}" is never closed by "}}" in ${shown}`,
        {
          hint: 'close the expression with }}',
        },
      );
      segments.push({ kind: 'error', written: text.slice(start), error });
      break;
    }
    const written = text.slice(start, end + 2);
    try {
      segments.push({
        kind: 'expression',
        written,
        expression: parseExpression(text.slice(start + open.length, end)),
      });
    } catch (error) {
      const problem =
        error instanceof OrchestratorError
          ? error
          : new OrchestratorError('WORKFLOW_EXPRESSION_INVALID', String(error));
      segments.push({ kind: 'error', written, error: problem });
    }
    index = end + 2;
  }
  return segments;
}

/**
 * Splits a string into text and parsed expressions, cached by string.
 * @throws OrchestratorError WORKFLOW_EXPRESSION_INVALID for an unclosed `${{` or a bad expression.
 */
export function parseTemplate(text: string): Parsed {
  const cached = templates.get(text);
  if (cached !== undefined) return cached;
  const parts: Part[] = [];
  for (const segment of scanTemplate(text)) {
    if (segment.kind === 'error') throw segment.error;
    parts.push(segment.kind === 'text' ? segment.text : segment.expression);
  }
  const only = parts.length === 1 ? parts[0] : undefined;
  const parsed: Parsed = { parts, whole: typeof only === 'object' ? only : undefined };
  if (templates.size >= cacheLimit) templates.clear();
  templates.set(text, parsed);
  return parsed;
}

/** True when the value holds a `${{` anywhere; cached per object, so repeated checks are cheap. */
export function hasTemplate(value: unknown): boolean {
  if (typeof value === 'string') return value.includes(open);
  if (typeof value !== 'object' || value === null) return false;
  const cached = hasTemplateCache.get(value);
  if (cached !== undefined) return cached;
  const found = Array.isArray(value) ? value.some(hasTemplate) : Object.values(value).some(hasTemplate);
  hasTemplateCache.set(value, found);
  return found;
}

function renderString(text: string, scope: Readonly<Record<string, unknown>>): unknown {
  let parsed: Parsed;
  try {
    parsed = parseTemplate(text);
  } catch (error) {
    throw new OrchestratorError('EXPRESSION_FAILED', (error as Error).message, {
      hint: (error as OrchestratorError).hint,
    });
  }
  // A value that is exactly one expression keeps the expression's type.
  if (parsed.whole !== undefined) return parsed.whole.evaluate(scope) ?? null;
  let result = '';
  for (const part of parsed.parts) result += typeof part === 'string' ? part : toText(part.evaluate(scope));
  return result;
}

/**
 * Renders every `${{ }}` in a value (strings, lists and mappings, deeply). A string that is exactly one
 * expression keeps the expression's type; inside longer text, lists and mappings are spliced in as JSON.
 * Values without templates come back unchanged (the same object).
 * @throws OrchestratorError EXPRESSION_FAILED naming the expression.
 */
export function renderTemplate(
  value: unknown,
  scope: TemplateScope | Readonly<Record<string, unknown>>,
): unknown {
  if (!hasTemplate(value)) return value;
  if (typeof value === 'string') return renderString(value, scope);
  if (Array.isArray(value)) return value.map((item) => renderTemplate(item, scope));
  const rendered: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value as Record<string, unknown>))
    rendered[key] = renderTemplate(item, scope);
  return rendered;
}

/** One `${{ }}` found in a value: where (path inside the value), as written, and its parsed form or parse error. */
export type TemplateUse = { path: (string | number)[]; text: string; written: string } & (
  | { expression: CompiledExpression; error?: undefined }
  | { expression?: undefined; error: OrchestratorError }
);

/** Every expression in a value, parsed, with its path; parse errors are returned, not thrown. */
export function templateUses(value: unknown, path: (string | number)[] = []): TemplateUse[] {
  if (!hasTemplate(value)) return [];
  if (typeof value === 'string') {
    return scanTemplate(value).flatMap((segment): TemplateUse[] => {
      if (segment.kind === 'text') return [];
      const base = { path, text: value, written: segment.written };
      return [
        segment.kind === 'error'
          ? { ...base, error: segment.error }
          : { ...base, expression: segment.expression },
      ];
    });
  }
  if (Array.isArray(value)) return value.flatMap((item, index) => templateUses(item, [...path, index]));
  return Object.entries(value as Record<string, unknown>).flatMap(([key, item]) =>
    templateUses(item, [...path, key]),
  );
}

/** A template problem found at load time. */
export type TemplateProblem = { path: (string | number)[]; message: string; hint: string | undefined };

/** Parses every template in a value without running it; returns the problems. */
export function checkTemplate(value: unknown): TemplateProblem[] {
  return templateUses(value).flatMap((use) =>
    use.error === undefined ? [] : [{ path: use.path, message: use.error.message, hint: use.error.hint }],
  );
}

/** The task ids a value's templates read through `tasks.<id>`, in first-use order. */
export function templateReferences(value: unknown): string[] {
  const ids = new Set<string>();
  for (const use of templateUses(value)) {
    if (use.expression === undefined) continue;
    for (const path of expressionPaths(use.expression.node)) {
      if (path[0] === 'tasks' && path[1] !== undefined && path[1] !== '*') ids.add(path[1]);
    }
  }
  return [...ids];
}
