import { describe, expect, it } from 'vitest';
import { OrchestratorError } from '../../src/errors.ts';
import { expressionPaths, parseExpression } from '../../src/workflow/expression.ts';

const scope = {
  inputs: { goal: 'ship it', count: 3, flags: ['a', 'b'], empty: '', nothing: null },
  tasks: {
    'scout-code': { output: 'a.ts\nb.ts', status: 'succeeded' },
    plan: { output: { steps: ['one', 'two'], ok: true }, status: 'succeeded' },
    json: { output: '{"files":["x"]}', status: 'succeeded' },
  },
  run: { id: 'run-1', workflowId: 'demo' },
  item: { name: 'lib', size: 10 },
};

function evaluate(source: string): unknown {
  return parseExpression(source).evaluate(scope);
}

describe('expressions', () => {
  it.each([
    ['inputs.goal', 'ship it'],
    ['tasks.scout-code.output', 'a.ts\nb.ts'],
    ["tasks['scout-code'].status", 'succeeded'],
    ['tasks.plan.output.steps[1]', 'two'],
    ['tasks.plan.output.steps.0', 'one'],
    ['inputs.missing', undefined],
    ['inputs.missing.deeper', undefined],
    ['item.name', 'lib'],
    ['run.id', 'run-1'],
    ['42', 42],
    ['-1.5', -1.5],
    ['2e3', 2000],
    ["'it''s'", "it's"],
    ['"say \\"hi\\""', 'say "hi"'],
    ['true', true],
    ['null', null],
    ['inputs.count == 3', true],
    ["inputs.count == '3'", false],
    ['inputs.count != 3', false],
    ['inputs.nothing == null', true],
    ['inputs.missing == null', true],
    ['inputs.flags == fromJson(\'["a","b"]\')', true],
    ['inputs.count > 2 && inputs.count <= 3', true],
    ["'abc' < 'abd'", true],
    ['inputs.count >= 4 || inputs.goal', 'ship it'],
    ['inputs.empty || "fallback"', 'fallback'],
    ['!inputs.empty', true],
    ['!(inputs.count > 2)', false],
    ['!!tasks.plan.output.ok', true],
    ['length(tasks.plan.output.steps) > 0', true],
    ['length(inputs.goal)', 7],
    ['length(inputs.nothing)', 0],
    ['length(tasks.plan.output)', 2],
    ["contains(inputs.flags, 'b')", true],
    ["contains(tasks.scout-code.output, 'b.ts')", true],
    ["contains(inputs.nothing, 'x')", false],
    ["startsWith(inputs.goal, 'ship')", true],
    ["endsWith(inputs.goal, 'it')", true],
    ["default(inputs.missing, 'x')", 'x'],
    ["default(inputs.empty, 'x')", 'x'],
    ["default(inputs.goal, 'x')", 'ship it'],
    ['join(inputs.flags)', 'a, b'],
    ["join(tasks.plan.output.steps, ' + ')", 'one + two'],
    ['json(tasks.plan.output)', '{"steps":["one","two"],"ok":true}'],
    ['fromJson(tasks.json.output).files[0]', 'x'],
    ["upper(lower('MiXeD'))", 'MIXED'],
    ["trim('  x  ')", 'x'],
    ["contains(['a', 'b'], item.name)", false],
    ['[1, inputs.count, []]', [1, 3, []]],
    ['length([])', 0],
    ['tasks.constructor', undefined],
    ['inputs.__proto__', undefined],
  ])('%s evaluates to %j', (source, expected) => {
    expect(evaluate(source)).toEqual(expected);
  });

  it.each([
    ['', 'empty expression at column 1 of ""'],
    ['inputs.goal = 1', 'unexpected "=" at column 13 of "inputs.goal = 1"'],
    ['a & b', 'unexpected "&" at column 3 of "a & b"'],
    ['a +', 'unexpected "+" at column 3 of "a +"'],
    ['inputs.count - 3', 'unexpected "-" at column 14 of "inputs.count - 3"'],
    ["'open", 'a string is never closed at column 1 of "\'open"'],
    ['lenght(x)', 'unknown function lenght() at column 1 of "lenght(x)"'],
    ['eval(x)', 'unknown function eval() at column 1 of "eval(x)"'],
    ['length(a, b)', 'length() takes 1 argument, got 2 at column 1 of "length(a, b)"'],
    ['default(a)', 'default() takes 2 arguments, got 1 at column 1 of "default(a)"'],
    ['(a', 'unexpected end of expression at column 3 of "(a"'],
    ['a b', 'unexpected "b" at column 3 of "a b"'],
    ['a.', 'expected a name after "." at column 3 of "a."'],
    ['a[1', 'unexpected end of expression at column 4 of "a[1"'],
    ['tasks.x.output)', 'unexpected ")" at column 15 of "tasks.x.output)"'],
    [`${'('.repeat(100)}1${')'.repeat(100)}`, 'nested more than 64 levels deep'],
  ])('rejects %j', (source, message) => {
    let caught: unknown;
    try {
      parseExpression(source);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(OrchestratorError);
    expect((caught as OrchestratorError).code).toBe('WORKFLOW_EXPRESSION_INVALID');
    expect((caught as OrchestratorError).message.startsWith(message)).toBe(true);
  });

  it('hints at the fix for common mistakes', () => {
    const hint = (source: string) => {
      try {
        parseExpression(source);
      } catch (error) {
        return (error as OrchestratorError).hint;
      }
      return undefined;
    };
    expect(hint('a = b')).toBe('compare with ==');
    expect(hint('a | b')).toBe('combine conditions with ||');
    expect(hint('a - 1')).toBe('expressions have no arithmetic');
    expect(hint('lenght(x)')).toBe('did you mean "length"?');
    expect(hint('nope(x)')).toMatchInlineSnapshot(
      `"known functions: length, contains, startsWith, endsWith, default, join, json, fromJson, lower, upper, trim"`,
    );
  });

  it.each([
    [
      'inputs.goal < 3',
      'expression "inputs.goal < 3" failed: cannot compare string "ship it" with number 3 using <',
    ],
    [
      'length(inputs.count)',
      'expression "length(inputs.count)" failed: length() expects text, a list or a mapping, got number 3',
    ],
    [
      'fromJson(inputs.goal)',
      'expression "fromJson(inputs.goal)" failed: fromJson() got text that is not JSON: string "ship it"',
    ],
    [
      'join(inputs.goal)',
      'expression "join(inputs.goal)" failed: join() expects a list, got string "ship it"',
    ],
    ['secrets.token', 'expression "secrets.token" failed: unknown name "secrets"'],
  ])('fails at run time with EXPRESSION_FAILED for %j', (source, message) => {
    expect(() => evaluate(source)).toThrow(message);
    try {
      evaluate(source);
    } catch (error) {
      expect((error as OrchestratorError).code).toBe('EXPRESSION_FAILED');
    }
  });

  it('caches the parsed expression by source', () => {
    expect(parseExpression('inputs.goal')).toBe(parseExpression('inputs.goal'));
  });

  it('lists the static paths an expression reads', () => {
    const node = parseExpression(
      "length(tasks.plan.output) > 0 && tasks['scout-code'].output[inputs.index].name || tasks[inputs.x]",
    ).node;
    expect(expressionPaths(node)).toEqual([
      ['tasks', 'plan', 'output'],
      ['tasks', 'scout-code', 'output', '*', 'name'],
      ['inputs', 'index'],
      ['tasks', '*'],
      ['inputs', 'x'],
    ]);
  });
});
