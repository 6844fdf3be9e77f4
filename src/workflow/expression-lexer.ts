// Tokens of the expression language inside `${{ }}`. Hand-written: no eval, no Function.
import { OrchestratorError } from '../errors.ts';

export type Token =
  | { kind: 'number'; value: number; at: number }
  | { kind: 'string'; value: string; at: number }
  | { kind: 'name'; value: string; at: number }
  | { kind: 'operator'; value: Operator; at: number }
  | { kind: 'end'; at: number };

export type Operator =
  | '=='
  | '!='
  | '<='
  | '>='
  | '<'
  | '>'
  | '&&'
  | '||'
  | '!'
  | '('
  | ')'
  | '['
  | ']'
  | '.'
  | ',';

const twoCharOperators = new Set(['==', '!=', '<=', '>=', '&&', '||']);
const oneCharOperators = new Set(['<', '>', '!', '(', ')', '[', ']', '.', ',']);
const nameStart = /[A-Za-z_]/;
const nameChar = /[A-Za-z0-9_-]/;
const digit = /[0-9]/;

/** A problem in the text of an expression, with the 1-based column inside it. */
export function syntaxError(
  source: string,
  column: number,
  message: string,
  hint?: string,
): OrchestratorError {
  return new OrchestratorError(
    'WORKFLOW_EXPRESSION_INVALID',
    `${message} at column ${column} of "${source}"`,
    hint === undefined ? {} : { hint },
  );
}

/** Splits an expression into tokens; throws WORKFLOW_EXPRESSION_INVALID on a character it cannot read. */
export function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let index = 0;
  while (index < source.length) {
    const char = source[index]!;
    if (char === ' ' || char === '\t' || char === '\n' || char === '\r') {
      index++;
    } else if (char === "'" || char === '"') {
      index = readString(source, index, tokens);
    } else if (
      digit.test(char) ||
      (char === '-' && digit.test(source[index + 1] ?? '') && !endsOperand(tokens))
    ) {
      index = readNumber(source, index, tokens);
    } else if (nameStart.test(char)) {
      let end = index + 1;
      while (end < source.length && nameChar.test(source[end]!)) end++;
      tokens.push({ kind: 'name', value: source.slice(index, end), at: index + 1 });
      index = end;
    } else if (twoCharOperators.has(source.slice(index, index + 2))) {
      tokens.push({ kind: 'operator', value: source.slice(index, index + 2) as Operator, at: index + 1 });
      index += 2;
    } else if (oneCharOperators.has(char)) {
      tokens.push({ kind: 'operator', value: char as Operator, at: index + 1 });
      index++;
    } else {
      throw syntaxError(source, index + 1, `unexpected ${JSON.stringify(char)}`, hintFor(char));
    }
  }
  tokens.push({ kind: 'end', at: source.length + 1 });
  return tokens;
}

function hintFor(char: string): string | undefined {
  if (char === '=') return 'compare with ==';
  if (char === '&') return 'combine conditions with &&';
  if (char === '|') return 'combine conditions with ||';
  if (char === '+' || char === '-' || char === '*' || char === '/') return 'expressions have no arithmetic';
  return undefined;
}

/** True when the previous token ends a value, so a `-` there would be subtraction (which does not exist). */
function endsOperand(tokens: readonly Token[]): boolean {
  const last = tokens.at(-1);
  if (last === undefined) return false;
  return last.kind !== 'operator' || last.value === ')' || last.value === ']';
}

function readNumber(source: string, start: number, tokens: Token[]): number {
  const match = /^-?[0-9]+(\.[0-9]+)?([eE][-+]?[0-9]+)?/.exec(source.slice(start))!;
  tokens.push({ kind: 'number', value: Number(match[0]), at: start + 1 });
  return start + match[0].length;
}

const escapes: Record<string, string> = { n: '\n', t: '\t', r: '\r', '\\': '\\', "'": "'", '"': '"' };

function readString(source: string, start: number, tokens: Token[]): number {
  const quote = source[start]!;
  let value = '';
  let index = start + 1;
  while (index < source.length) {
    const char = source[index]!;
    if (char === '\\' && index + 1 < source.length) {
      const escaped = source[index + 1]!;
      value += escapes[escaped] ?? escaped;
      index += 2;
    } else if (char === quote && source[index + 1] === quote) {
      value += quote; // doubled quote, as in 'it''s'
      index += 2;
    } else if (char === quote) {
      tokens.push({ kind: 'string', value, at: start + 1 });
      return index + 1;
    } else {
      value += char;
      index++;
    }
  }
  throw syntaxError(source, start + 1, 'a string is never closed', `add the closing ${quote}`);
}
