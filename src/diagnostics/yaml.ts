import {
  type Document,
  isAlias,
  isMap,
  isPair,
  isSeq,
  LineCounter,
  parseDocument,
  type YAMLError,
} from 'yaml';
import type { Diagnostic, ErrorCode } from '../errors.ts';
import { createLocate, keyText, type Locate, pathAt, quoteSource } from './locate.ts';
import { renderPath } from './path.ts';
import { explainTemplateInFlow, explainYamlError, templateStart, templateText } from './yaml-errors.ts';

export type ParseYamlOptions = {
  /** Alias expansions allowed (uses times nodes per alias) before the file counts as an alias bomb. @default 1000 */
  maxAliasCount?: number;
  /** Deepest nesting of mappings and lists accepted. @default 64 */
  maxDepth?: number;
};

/** A parsed YAML file: its plain value, its problems, and a way to find where a path is written. */
export type ParsedYaml = {
  /** The document as plain data; undefined when it could not be built (alias bomb, too deep). */
  value: unknown;
  /** Problems that make the file unusable; empty when it parsed. */
  diagnostics: Diagnostic[];
  /** Things YAML tolerated (e.g. an unknown tag); never printed by the parser. */
  warnings: Diagnostic[];
  locate: Locate;
};

/** Parses YAML with positions; never throws and never writes to stderr. */
export function parseYaml(
  text: string,
  file: string | undefined,
  options: ParseYamlOptions = {},
): ParsedYaml {
  const lineCounter = new LineCounter();
  // `core` schema: no YAML 1.1 dates, sets or binaries, even under a `%YAML 1.1` directive.
  const document = parseDocument(text, {
    lineCounter,
    prettyErrors: false,
    logLevel: 'error',
    schema: 'core',
  });
  const locate = createLocate(document, text, lineCounter);
  const problems = syntaxProblems(document.errors, text, lineCounter);
  const warnings = document.warnings.map((warning) => ({
    ...explainYamlError(warning, ''),
    code: 'YAML_SYNTAX' as const,
    offset: warning.pos[0],
    end: warning.pos[1],
  }));
  let value: unknown;
  const shape = checkShape(document, options.maxDepth ?? 64);
  if (shape === undefined) {
    const maxAliasCount = options.maxAliasCount ?? 1000;
    try {
      value = document.toJS({ maxAliasCount });
    } catch (error) {
      problems.push(conversionProblem(error, findAlias(document), maxAliasCount));
    }
  } else {
    problems.push(shape);
  }
  const toDiagnostic = (problem: Problem): Diagnostic => {
    const { line, col } = lineCounter.linePos(problem.offset);
    const diagnostic: Diagnostic = {
      file,
      line,
      column: col,
      code: problem.code,
      path: renderPath(pathAt(document, problem.offset), value),
      message: problem.message,
      got: quoteSource(text, problem.offset, problem.end),
    };
    if (problem.hint !== undefined) diagnostic.hint = problem.hint;
    return diagnostic;
  };
  return { value, diagnostics: problems.map(toDiagnostic), warnings: warnings.map(toDiagnostic), locate };
}

/** Why the document could not become plain data: an alias bomb or an alias without anchor. */
function conversionProblem(error: unknown, offset: number, maxAliasCount: number): Problem {
  const message = error instanceof Error ? error.message : String(error);
  const end = offset + 1;
  if (/alias count/i.test(message)) {
    const text = `aliases expand to more than ${maxAliasCount} nodes; the file looks like an alias bomb`;
    return {
      code: 'YAML_ALIAS_LIMIT',
      offset,
      end,
      message: text,
      hint: 'repeat the values instead of nesting aliases of aliases',
    };
  }
  const code = /unresolved alias/i.test(message) ? 'BAD_ALIAS' : 'IMPOSSIBLE';
  return { code: 'YAML_SYNTAX', offset, end, ...explainYamlError({ code, message }, '') };
}

/** A problem found while parsing, before it is positioned. */
type Problem = { code: ErrorCode; offset: number; end: number; message: string; hint?: string | undefined };

/** YAML errors as diagnostics; errors caused by an unquoted `${{ }}` in a flow collection become one clear one. */
function syntaxProblems(errors: readonly YAMLError[], text: string, lineCounter: LineCounter): Problem[] {
  const diagnostics: Problem[] = [];
  const trapLines = new Set<number>();
  for (const error of errors) {
    const [start, end] = error.pos;
    const { line, col } = lineCounter.linePos(start);
    const lineStart = lineCounter.lineStarts[line - 1] ?? 0;
    const lineText = text.slice(
      lineStart,
      text.indexOf('\n', lineStart) === -1 ? text.length : text.indexOf('\n', lineStart),
    );
    const template = templateStart(lineText, col);
    if (template !== undefined) {
      if (trapLines.has(line)) continue;
      trapLines.add(line);
      const key = /([A-Za-z0-9_-]+)\s*:\s*$/.exec(lineText.slice(0, template - 1))?.[1];
      const source = templateText(lineText, template);
      const explained = explainTemplateInFlow(source, key);
      const offset = lineStart + template - 1;
      diagnostics.push({ code: 'YAML_SYNTAX', offset, end: offset + source.length, ...explained });
      continue;
    }
    // The parser marks only the first character of a repeated key: the diagnostic shows all of it.
    const until = error.code === 'DUPLICATE_KEY' ? endOfKey(text, start) : end;
    const got = quoteSource(text, start, until);
    const explained = explainYamlError(error, error.code === 'DUPLICATE_KEY' ? unquoteKey(got) : got);
    diagnostics.push({ code: 'YAML_SYNTAX', offset: start, end: until, ...explained });
  }
  return diagnostics;
}

/** Where a mapping key written at `start` ends: its closing quote, else before the `: ` that follows it. */
function endOfKey(text: string, start: number): number {
  const quote = text[start];
  if (quote === '"' || quote === "'") {
    const close = text.indexOf(quote, start + 1);
    return close === -1 ? start + 1 : close + 1;
  }
  const match = /^[^\n]*?(?=:(?:\s|$)|\n|$)/.exec(text.slice(start));
  return start + Math.max(1, match?.[0].trimEnd().length ?? 1);
}

/** A quoted key as the key itself. */
function unquoteKey(key: string): string {
  return /^(["']).*\1$/.test(key) ? key.slice(1, -1) : key;
}

/** Rejects documents nested too deeply and keys that would reach an object's prototype. */
function checkShape(document: Document, maxDepth: number): Problem | undefined {
  const stack: Array<{ node: unknown; depth: number }> = [{ node: document.contents, depth: 0 }];
  while (stack.length > 0) {
    const { node, depth } = stack.pop()!;
    if (!isMap(node) && !isSeq(node)) continue;
    const offset = node.range?.[0] ?? 0;
    if (depth >= maxDepth) {
      return {
        code: 'CONFIG_INVALID',
        offset,
        end: offset + 1,
        message: `mappings and lists are nested more than ${maxDepth} levels deep`,
        hint: 'flatten the structure',
      };
    }
    for (const item of node.items) {
      if (isPair(item)) {
        if (keyText(item.key) === '__proto__') {
          const keyOffset = (item.key as { range?: [number, number] } | null)?.range?.[0] ?? offset;
          return {
            code: 'CONFIG_INVALID',
            offset: keyOffset,
            end: keyOffset + 9,
            message: 'the key "__proto__" is not allowed',
          };
        }
        stack.push({ node: item.key, depth: depth + 1 }, { node: item.value, depth: depth + 1 });
      } else {
        stack.push({ node: item, depth: depth + 1 });
      }
    }
  }
  return undefined;
}

/** The offset of the first alias in the document, for pointing at an alias bomb. */
function findAlias(document: Document): number {
  const stack: unknown[] = [document.contents];
  let first = Number.POSITIVE_INFINITY;
  while (stack.length > 0) {
    const node = stack.pop();
    if (isAlias(node)) first = Math.min(first, node.range?.[0] ?? first);
    else if (isMap(node)) for (const pair of node.items) stack.push(pair.key, pair.value);
    else if (isSeq(node)) stack.push(...node.items);
  }
  return Number.isFinite(first) ? first : 0;
}
