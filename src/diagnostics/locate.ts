import {
  type Document,
  isAlias,
  isMap,
  isPair,
  isScalar,
  isSeq,
  type LineCounter,
  type Node,
  type Pair,
} from 'yaml';
import type { PathSegment } from './path.ts';

/** A place in the file: 1-based line and column, the text there as written, and whether the path was found. */
export type Located = {
  line: number;
  column: number;
  /** The offending text quoted from the file (first line, at most 60 characters). */
  got: string;
  /** False when the path is missing (e.g. a required key) and the place is its nearest ancestor. */
  exact: boolean;
  /** The whole text of the node as written (raw, not shortened); empty when not exact. */
  source?: string;
};

/** Finds where a path of the parsed value is written: the value itself, or (`'key'`) its mapping key. */
export type Locate = (path: readonly PathSegment[], part?: 'key' | 'value') => Located | undefined;

const maxGotLength = 60;

/** The text of a node as written, shortened to one line. */
export function quoteSource(text: string, start: number, end: number): string {
  const raw = text.slice(start, Math.max(start, end)).trimEnd();
  const newline = raw.indexOf('\n');
  const firstLine = newline === -1 ? raw : `${raw.slice(0, newline).trimEnd()}…`;
  const shown = firstLine.length > maxGotLength ? `${firstLine.slice(0, maxGotLength)}…` : firstLine;
  return printable(shown);
}

/** Control characters (and lone surrogates) written as `\u001b`, so a message never drives a terminal. */
export function printable(text: string): string {
  let result = '';
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    const control = (code < 0x20 && code !== 0x09 && code !== 0x0a) || (code >= 0x7f && code <= 0x9f);
    const high = code >= 0xd800 && code <= 0xdbff;
    const low = code >= 0xdc00 && code <= 0xdfff;
    const next = text.charCodeAt(index + 1);
    if (high && next >= 0xdc00 && next <= 0xdfff) {
      result += text.slice(index, index + 2);
      index++;
    } else if (control || high || low) {
      result += `\\u${code.toString(16).padStart(4, '0')}`;
    } else {
      result += text[index];
    }
  }
  return result;
}

/** The string form of a mapping key, as it appears in the parsed value. */
export function keyText(key: unknown): string | undefined {
  if (isScalar(key)) return String(key.value);
  return undefined;
}

function resolve(document: Document, node: unknown): unknown {
  return isAlias(node) ? node.resolve(document) : node;
}

/** Walks `path` through the document; returns the deepest node reached and the last pair on the way. */
function walk(document: Document, path: readonly PathSegment[]) {
  let node: unknown = document.contents;
  let pair: Pair | undefined;
  for (const segment of path) {
    const current = resolve(document, node);
    let next: unknown;
    let nextPair: Pair | undefined;
    if (isMap(current)) {
      nextPair = current.items.find((item) => keyText(item.key) === String(segment));
      next = nextPair?.value;
    } else if (isSeq(current)) {
      next = current.items[Number(segment)];
    }
    if (next === undefined && nextPair === undefined) return { node: current, pair, exact: false };
    node = next;
    pair = nextPair;
  }
  return { node, pair, exact: true };
}

/** Builds the `locate` function of one parsed document. */
export function createLocate(document: Document, text: string, lineCounter: LineCounter): Locate {
  const at = (offset: number, end: number, exact: boolean): Located => {
    const { line, col } = lineCounter.linePos(offset);
    if (!exact) return { line, column: col, got: '', exact };
    return { line, column: col, got: quoteSource(text, offset, end), exact, source: text.slice(offset, end) };
  };
  return (path, part = 'value') => {
    const { node, pair, exact } = walk(document, path);
    const keyNode = pair?.key as Node | undefined;
    if (part === 'key' && exact && keyNode?.range) return at(keyNode.range[0], keyNode.range[1], true);
    const valueNode = node as Node | null | undefined;
    // An empty value (`key:`) has a zero-length range; point at its key instead.
    if (valueNode?.range && valueNode.range[1] > valueNode.range[0]) {
      return at(valueNode.range[0], valueNode.range[1], exact);
    }
    if (keyNode?.range) return at(keyNode.range[0], keyNode.range[1], false);
    if (valueNode?.range) return at(valueNode.range[0], valueNode.range[1], exact);
    return text.length === 0 ? undefined : at(0, 0, false);
  };
}

/** The path of the deepest node whose text contains `offset`. */
export function pathAt(document: Document, offset: number): PathSegment[] {
  const path: PathSegment[] = [];
  let node: unknown = document.contents;
  for (;;) {
    if (isMap(node)) {
      const pair = node.items.find((item) => contains(item, offset));
      const key = pair === undefined ? undefined : keyText(pair.key);
      if (pair === undefined || key === undefined) return path;
      path.push(key);
      node = pair.value;
    } else if (isSeq(node)) {
      const index = node.items.findIndex((item) => contains(item, offset));
      if (index === -1) return path;
      path.push(index);
      node = node.items[index];
    } else {
      return path;
    }
  }
}

function contains(item: unknown, offset: number): boolean {
  if (isPair(item)) {
    const start = (item.key as Node | null)?.range?.[0];
    const end = (item.value as Node | null)?.range?.[2] ?? (item.key as Node | null)?.range?.[2];
    return start !== undefined && end !== undefined && offset >= start && offset <= end;
  }
  const range = (item as Node | null)?.range;
  return range != null && offset >= range[0] && offset <= range[2];
}

/** The place of `needle` inside a located node (e.g. one `${{ }}` in a long prompt); the node itself if absent. */
export function locateWithin(located: Located, needle: string): Located {
  const index = located.source?.indexOf(needle) ?? -1;
  if (index <= 0) return located;
  const before = located.source!.slice(0, index);
  const newline = before.lastIndexOf('\n');
  const line = located.line + (before.split('\n').length - 1);
  const column = newline === -1 ? located.column + index : index - newline;
  return { ...located, line, column, got: quoteSource(needle, 0, needle.length) };
}
