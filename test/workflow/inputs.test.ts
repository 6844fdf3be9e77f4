import { describe, expect, it } from 'vitest';
import { formatDiagnostics } from '../../src/diagnostics/index.ts';
import { ConfigError } from '../../src/errors.ts';
import { coerceInput, parseWorkflow, resolveWorkflowInputs } from '../../src/workflow/index.ts';

const workflow = parseWorkflow(
  'version: 1\nid: demo\ninputs:\n  goal: { type: string, required: true }\n  repo: { default: "." }\n  limit: { type: number, default: 5 }\n  dry: { type: boolean }\n  files: { type: array }\n  options: { type: object, required: true, default: {} }\ntasks:\n  - id: a\n    agent: llm\n',
  { file: 'workflows/demo.yaml' },
);

function failure(given: Record<string, string>): string {
  try {
    resolveWorkflowInputs(workflow, given);
  } catch (error) {
    if (error instanceof ConfigError) return formatDiagnostics(error.diagnostics);
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('resolveWorkflowInputs', () => {
  it('converts command-line strings to the declared types and fills defaults', () => {
    expect(
      resolveWorkflowInputs(workflow, { goal: 'ship', limit: '12', dry: 'yes', files: '["a","b"]' }),
    ).toEqual({
      goal: 'ship',
      repo: '.',
      limit: 12,
      dry: true,
      files: ['a', 'b'],
      options: {},
    });
  });

  it('takes typed values from the API as they are', () => {
    expect(resolveWorkflowInputs(workflow, { goal: 'x', limit: 3, options: { a: 1 } })).toMatchObject({
      limit: 3,
      options: { a: 1 },
    });
  });

  it('lists every missing required input at once', () => {
    const bare = parseWorkflow(
      'version: 1\nid: demo\ninputs:\n  goal: { required: true }\n  repo: { required: true }\ntasks:\n  - id: a\n    agent: llm\n',
      { file: 'w.yaml' },
    );
    try {
      resolveWorkflowInputs(bare, {});
      expect.unreachable();
    } catch (error) {
      expect(formatDiagnostics((error as ConfigError).diagnostics)).toMatchInlineSnapshot(`
        "w.yaml error WORKFLOW_INPUT_MISSING at inputs.goal
          workflow "demo" needs inputs "goal", "repo"
          hint: pass --input goal=... --input repo=..."
      `);
    }
  });

  it('rejects unknown names with a suggestion and values of the wrong type', () => {
    expect(
      failure({ goal: 'x', gaol: 'y', limit: 'many', dry: 'maybe', files: '{"a":1}' }),
    ).toMatchInlineSnapshot(`
      "workflows/demo.yaml error WORKFLOW_INPUT_INVALID at inputs.dry
        input "dry" expects true or false, got "maybe"

      workflows/demo.yaml error WORKFLOW_INPUT_INVALID at inputs.files
        input "files" expects a list, got "{\\"a\\":1}"
        hint: give it as JSON, e.g. --input files='["a","b"]'

      workflows/demo.yaml error WORKFLOW_INPUT_INVALID at inputs.gaol
        input "gaol" is not declared by workflow "demo"; declared: "goal", "repo", "limit", "dry", "files", "options"
        hint: did you mean "goal"?

      workflows/demo.yaml error WORKFLOW_INPUT_INVALID at inputs.limit
        input "limit" expects a number, got "many""
    `);
  });
});

describe('coerceInput', () => {
  it.each([
    ['number', '3.5', 3.5],
    ['number', '-2', -2],
    ['number', '', undefined],
    ['number', 'Infinity', undefined],
    ['boolean', 'TRUE', true],
    ['boolean', '0', false],
    ['boolean', 'on', undefined],
    ['array', '[1]', [1]],
    ['array', '{}', undefined],
    ['object', '{"a":1}', { a: 1 }],
    ['object', 'nope', undefined],
    ['string', '42', '42'],
  ] as const)('%s from %j is %j', (type, text, value) => {
    expect(coerceInput(type, text)).toEqual(value);
  });
});
