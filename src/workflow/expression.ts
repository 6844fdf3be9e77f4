// Compiles parsed expressions to closures, cached by source text: templates render on the hot path.
import { OrchestratorError } from '../errors.ts';
import { describeValue, expressionFunctions } from './expression-functions.ts';
import { type ExpressionNode, parseExpressionSource } from './expression-parser.ts';
import { isTruthy, looseEquals } from './expression-values.ts';

export type { ExpressionNode } from './expression-parser.ts';

type Evaluate = (scope: Readonly<Record<string, unknown>>) => unknown;

/** A parsed, ready-to-run expression. */
export type CompiledExpression = {
  source: string;
  node: ExpressionNode;
  /** Runs the expression; throws EXPRESSION_FAILED naming the expression. */
  evaluate: Evaluate;
};

const cacheLimit = 5000;
const cache = new Map<string, CompiledExpression>();

/**
 * Parses an expression (the text inside `${{ }}`) once and caches it by source.
 * @throws OrchestratorError WORKFLOW_EXPRESSION_INVALID when it cannot be parsed.
 */
export function parseExpression(source: string): CompiledExpression {
  const cached = cache.get(source);
  if (cached !== undefined) return cached;
  const node = parseExpressionSource(source.trim());
  const run = compile(node);
  const evaluate: Evaluate = (scope) => {
    try {
      return run(scope);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      throw new OrchestratorError('EXPRESSION_FAILED', `expression "${source.trim()}" failed: ${reason}`);
    }
  };
  const compiled = { source, node, evaluate };
  if (cache.size >= cacheLimit) cache.clear();
  cache.set(source, compiled);
  return compiled;
}

function fail(message: string): never {
  throw new OrchestratorError('EXPRESSION_FAILED', message);
}

function property(object: unknown, key: unknown): unknown {
  if (Array.isArray(object)) {
    if (typeof key === 'number' || (typeof key === 'string' && /^[0-9]+$/.test(key)))
      return object[Number(key)];
    return undefined;
  }
  if (typeof object !== 'object' || object === null) return undefined;
  const name = typeof key === 'string' ? key : typeof key === 'number' ? String(key) : undefined;
  // Own properties only: `constructor` or `__proto__` never reach the prototype.
  return name !== undefined && Object.hasOwn(object, name)
    ? (object as Record<string, unknown>)[name]
    : undefined;
}

function compare(operator: '<' | '<=' | '>' | '>=', left: unknown, right: unknown): boolean {
  const bothNumbers = typeof left === 'number' && typeof right === 'number';
  const bothText = typeof left === 'string' && typeof right === 'string';
  if (!bothNumbers && !bothText)
    fail(`cannot compare ${describeValue(left)} with ${describeValue(right)} using ${operator}`);
  const a = left as number | string;
  const b = right as number | string;
  switch (operator) {
    case '<':
      return a < b;
    case '<=':
      return a <= b;
    case '>':
      return a > b;
    case '>=':
      return a >= b;
  }
}

function compile(node: ExpressionNode): Evaluate {
  switch (node.kind) {
    case 'literal': {
      const value = node.value;
      return () => value;
    }
    case 'name': {
      const name = node.name;
      return (scope) => (Object.hasOwn(scope, name) ? scope[name] : fail(`unknown name "${name}"`));
    }
    case 'member': {
      const object = compile(node.object);
      const key = node.property;
      return (scope) => property(object(scope), key);
    }
    case 'index': {
      const object = compile(node.object);
      const index = compile(node.index);
      return (scope) => property(object(scope), index(scope));
    }
    case 'not': {
      const operand = compile(node.operand);
      return (scope) => !isTruthy(operand(scope));
    }
    case 'call': {
      const fn = expressionFunctions[node.name]!;
      const args = node.args.map(compile);
      return (scope) => fn.call(args.map((arg) => arg(scope)));
    }
    case 'list': {
      const items = node.items.map(compile);
      return (scope) => items.map((item) => item(scope));
    }
    case 'binary':
      return compileBinary(node.operator, compile(node.left), compile(node.right));
  }
}

function compileBinary(
  operator: Extract<ExpressionNode, { kind: 'binary' }>['operator'],
  left: Evaluate,
  right: Evaluate,
): Evaluate {
  switch (operator) {
    case '&&':
      return (scope) => {
        const value = left(scope);
        return isTruthy(value) ? right(scope) : value;
      };
    case '||':
      return (scope) => {
        const value = left(scope);
        return isTruthy(value) ? value : right(scope);
      };
    case '==':
      return (scope) => looseEquals(left(scope), right(scope));
    case '!=':
      return (scope) => !looseEquals(left(scope), right(scope));
    default:
      return (scope) => compare(operator, left(scope), right(scope));
  }
}

/** Every static path an expression reads, as segments from its root: `tasks.plan.output` -> ['tasks', 'plan', 'output']. */
export function expressionPaths(node: ExpressionNode): string[][] {
  const paths: string[][] = [];
  const visit = (current: ExpressionNode): void => {
    const path = staticPath(current);
    if (path !== undefined) {
      paths.push(path);
      // Dynamic indexes inside the chain (`a[b.c].d`) read paths of their own.
      for (let link = current; link.kind === 'member' || link.kind === 'index'; link = link.object) {
        if (link.kind === 'index') visit(link.index);
      }
      return;
    }
    switch (current.kind) {
      case 'member':
        visit(current.object);
        return;
      case 'index':
        visit(current.object);
        visit(current.index);
        return;
      case 'not':
        visit(current.operand);
        return;
      case 'binary':
        visit(current.left);
        visit(current.right);
        return;
      case 'call':
        current.args.forEach(visit);
        return;
      case 'list':
        current.items.forEach(visit);
        return;
      default:
        return;
    }
  };
  visit(node);
  return paths;
}

/** The longest static prefix of a name/member/index chain; dynamic indexes end it. */
function staticPath(node: ExpressionNode): string[] | undefined {
  if (node.kind === 'name') return [node.name];
  if (node.kind === 'member') {
    const base = staticPath(node.object);
    return base === undefined ? undefined : [...base, node.property];
  }
  if (node.kind === 'index') {
    const base = staticPath(node.object);
    if (base === undefined) return undefined;
    const key =
      node.index.kind === 'literal' && node.index.value !== null ? String(node.index.value) : undefined;
    return key === undefined ? [...base, '*'] : [...base, key];
  }
  return undefined;
}
