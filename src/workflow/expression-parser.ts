// Recursive-descent parser for the expression language:
//   or := and ('||' and)*        and := equality ('&&' equality)*
//   equality := comparison (('==' | '!=') comparison)*
//   comparison := unary (('<' | '<=' | '>' | '>=') unary)*
//   unary := '!' unary | postfix      postfix := primary ('.' name | '[' or ']')*
//   primary := number | string | true | false | null | name | name '(' args ')' | '[' args ']' | '(' or ')'
import { didYouMeanHint } from '../diagnostics/index.ts';
import { expressionFunctions } from './expression-functions.ts';
import { type Operator, syntaxError, type Token, tokenize } from './expression-lexer.ts';

export type BinaryOperator = '==' | '!=' | '<' | '<=' | '>' | '>=' | '&&' | '||';

/** The parsed form of one expression. */
export type ExpressionNode =
  | { kind: 'literal'; value: string | number | boolean | null }
  | { kind: 'name'; name: string; at: number }
  | { kind: 'member'; object: ExpressionNode; property: string }
  | { kind: 'index'; object: ExpressionNode; index: ExpressionNode }
  | { kind: 'not'; operand: ExpressionNode }
  | { kind: 'binary'; operator: BinaryOperator; left: ExpressionNode; right: ExpressionNode }
  | { kind: 'call'; name: string; args: readonly ExpressionNode[] }
  | { kind: 'list'; items: readonly ExpressionNode[] };

const maxDepth = 64;
const levels: readonly (readonly BinaryOperator[])[] = [['||'], ['&&'], ['==', '!='], ['<', '<=', '>', '>=']];

/** Where the parser is in the tokens of one expression, and how deep its unary operands nest. */
type Parser = { source: string; tokens: readonly Token[]; position: number; depth: number };

/** Parses one expression (the text between `${{` and `}}`); throws WORKFLOW_EXPRESSION_INVALID. */
export function parseExpressionSource(source: string): ExpressionNode {
  if (source.trim() === '')
    throw syntaxError(source, 1, 'empty expression', 'write a value or a path, e.g. inputs.goal');
  const parser: Parser = { source, tokens: tokenize(source), position: 0, depth: 0 };
  const node = parseBinary(parser, 0);
  if (peek(parser).kind !== 'end') throw unexpected(parser, peek(parser));
  return node;
}

/** `or`, `and`, `equality` and `comparison`: the operators of `levels[level]`, left-associative. */
function parseBinary(parser: Parser, level: number): ExpressionNode {
  const operators = levels[level];
  if (operators === undefined) return parseUnary(parser);
  let left = parseBinary(parser, level + 1);
  for (;;) {
    const token = peek(parser);
    if (token.kind !== 'operator' || !(operators as readonly string[]).includes(token.value)) return left;
    parser.position++;
    left = {
      kind: 'binary',
      operator: token.value as BinaryOperator,
      left,
      right: parseBinary(parser, level + 1),
    };
  }
}

function parseUnary(parser: Parser): ExpressionNode {
  if (++parser.depth > maxDepth)
    throw syntaxError(parser.source, peek(parser).at, `nested more than ${maxDepth} levels deep`);
  try {
    if (isOperator(parser, '!')) {
      parser.position++;
      return { kind: 'not', operand: parseUnary(parser) };
    }
    return parsePostfix(parser, parsePrimary(parser));
  } finally {
    parser.depth--;
  }
}

/** `.name`, `.0` and `[index]` after an operand, as many as follow. */
function parsePostfix(parser: Parser, start: ExpressionNode): ExpressionNode {
  let node = start;
  for (;;) {
    if (isOperator(parser, '.')) {
      parser.position++;
      const token = peek(parser);
      if (
        token.kind !== 'name' &&
        !(token.kind === 'number' && Number.isInteger(token.value) && token.value >= 0)
      ) {
        throw syntaxError(parser.source, token.at, 'expected a name after "."');
      }
      parser.position++;
      node = { kind: 'member', object: node, property: String(token.value) };
    } else if (isOperator(parser, '[')) {
      parser.position++;
      const index = parseBinary(parser, 0);
      expect(parser, ']');
      node = { kind: 'index', object: node, index };
    } else {
      return node;
    }
  }
}

function parsePrimary(parser: Parser): ExpressionNode {
  const token = peek(parser);
  parser.position++;
  if (token.kind === 'number' || token.kind === 'string') return { kind: 'literal', value: token.value };
  if (token.kind === 'operator' && token.value === '(') {
    const inner = parseBinary(parser, 0);
    expect(parser, ')');
    return inner;
  }
  if (token.kind === 'operator' && token.value === '[')
    return { kind: 'list', items: parseArgs(parser, ']') };
  if (token.kind !== 'name') throw unexpected(parser, token);
  if (token.value === 'true' || token.value === 'false')
    return { kind: 'literal', value: token.value === 'true' };
  if (token.value === 'null') return { kind: 'literal', value: null };
  if (!isOperator(parser, '(')) return { kind: 'name', name: token.value, at: token.at };
  parser.position++;
  return checkedCall(parser.source, token.value, token.at, parseArgs(parser, ')'));
}

/** A comma-separated list up to `close`, which it consumes; the opening bracket is already read. */
function parseArgs(parser: Parser, close: ')' | ']'): ExpressionNode[] {
  const list: ExpressionNode[] = [];
  if (isOperator(parser, close)) {
    parser.position++;
    return list;
  }
  for (;;) {
    list.push(parseBinary(parser, 0));
    if (isOperator(parser, close)) {
      parser.position++;
      return list;
    }
    expect(parser, ',');
  }
}

/** A call of a known function with as many arguments as it takes. */
function checkedCall(source: string, name: string, at: number, list: ExpressionNode[]): ExpressionNode {
  const fn = expressionFunctions[name];
  if (fn === undefined || !Object.hasOwn(expressionFunctions, name)) {
    const known = Object.keys(expressionFunctions);
    throw syntaxError(
      source,
      at,
      `unknown function ${name}()`,
      didYouMeanHint(name, known) ?? `known functions: ${known.join(', ')}`,
    );
  }
  if (list.length < fn.min || list.length > fn.max) {
    const wanted = fn.min === fn.max ? `${fn.min}` : `${fn.min} to ${fn.max}`;
    throw syntaxError(
      source,
      at,
      `${name}() takes ${wanted} argument${fn.max === 1 ? '' : 's'}, got ${list.length}`,
    );
  }
  return { kind: 'call', name, args: list };
}

function peek(parser: Parser): Token {
  return parser.tokens[parser.position]!;
}

function isOperator(parser: Parser, value: Operator): boolean {
  const token = peek(parser);
  return token.kind === 'operator' && token.value === value;
}

function expect(parser: Parser, value: Operator): void {
  if (!isOperator(parser, value)) throw unexpected(parser, peek(parser));
  parser.position++;
}

function unexpected(parser: Parser, token: Token) {
  return syntaxError(
    parser.source,
    token.at,
    token.kind === 'end' ? 'unexpected end of expression' : `unexpected ${describeToken(token)}`,
  );
}

function describeToken(token: Token): string {
  if (token.kind === 'string') return `text ${JSON.stringify(token.value)}`;
  if (token.kind === 'end') return 'end';
  return JSON.stringify(String(token.value));
}
