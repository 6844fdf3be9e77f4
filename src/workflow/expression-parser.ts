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

/** Parses one expression (the text between `${{` and `}}`); throws WORKFLOW_EXPRESSION_INVALID. */
export function parseExpressionSource(source: string): ExpressionNode {
  if (source.trim() === '')
    throw syntaxError(source, 1, 'empty expression', 'write a value or a path, e.g. inputs.goal');
  const tokens = tokenize(source);
  let position = 0;
  let depth = 0;
  const peek = (): Token => tokens[position]!;
  const isOperator = (value: Operator): boolean => {
    const token = peek();
    return token.kind === 'operator' && token.value === value;
  };
  const unexpected = (token: Token) =>
    syntaxError(
      source,
      token.at,
      token.kind === 'end' ? 'unexpected end of expression' : `unexpected ${describeToken(token)}`,
    );
  const expect = (value: Operator): void => {
    if (!isOperator(value)) throw unexpected(peek());
    position++;
  };

  const binary = (level: number): ExpressionNode => {
    const operators = levels[level];
    if (operators === undefined) return unary();
    let left = binary(level + 1);
    for (;;) {
      const token = peek();
      if (token.kind !== 'operator' || !(operators as readonly string[]).includes(token.value)) return left;
      position++;
      left = { kind: 'binary', operator: token.value as BinaryOperator, left, right: binary(level + 1) };
    }
  };
  const unary = (): ExpressionNode => {
    if (++depth > maxDepth) throw syntaxError(source, peek().at, `nested more than ${maxDepth} levels deep`);
    try {
      if (isOperator('!')) {
        position++;
        return { kind: 'not', operand: unary() };
      }
      return postfix(primary());
    } finally {
      depth--;
    }
  };
  const postfix = (start: ExpressionNode): ExpressionNode => {
    let node = start;
    for (;;) {
      if (isOperator('.')) {
        position++;
        const token = peek();
        if (
          token.kind !== 'name' &&
          !(token.kind === 'number' && Number.isInteger(token.value) && token.value >= 0)
        ) {
          throw syntaxError(source, token.at, 'expected a name after "."');
        }
        position++;
        node = { kind: 'member', object: node, property: String(token.value) };
      } else if (isOperator('[')) {
        position++;
        const index = binary(0);
        expect(']');
        node = { kind: 'index', object: node, index };
      } else {
        return node;
      }
    }
  };
  const primary = (): ExpressionNode => {
    const token = peek();
    position++;
    if (token.kind === 'number' || token.kind === 'string') return { kind: 'literal', value: token.value };
    if (token.kind === 'operator' && token.value === '(') {
      const inner = binary(0);
      expect(')');
      return inner;
    }
    if (token.kind === 'operator' && token.value === '[') return { kind: 'list', items: args(']') };
    if (token.kind !== 'name') throw unexpected(token);
    if (token.value === 'true' || token.value === 'false')
      return { kind: 'literal', value: token.value === 'true' };
    if (token.value === 'null') return { kind: 'literal', value: null };
    if (!isOperator('(')) return { kind: 'name', name: token.value, at: token.at };
    position++;
    return call(token.value, token.at, args(')'));
  };
  const args = (close: ')' | ']'): ExpressionNode[] => {
    const list: ExpressionNode[] = [];
    if (isOperator(close)) {
      position++;
      return list;
    }
    for (;;) {
      list.push(binary(0));
      if (isOperator(close)) {
        position++;
        return list;
      }
      expect(',');
    }
  };
  const call = (name: string, at: number, list: ExpressionNode[]): ExpressionNode => {
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
  };

  const node = binary(0);
  if (peek().kind !== 'end') throw unexpected(peek());
  return node;
}

function describeToken(token: Token): string {
  if (token.kind === 'string') return `text ${JSON.stringify(token.value)}`;
  if (token.kind === 'end') return 'end';
  return JSON.stringify(String(token.value));
}
