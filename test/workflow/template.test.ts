import { describe, expect, it } from 'vitest';
import { OrchestratorError } from '../../src/errors.ts';
import type { TemplateScope } from '../../src/workflow/model.ts';
import {
  checkTemplate,
  hasTemplate,
  renderTemplate,
  templateReferences,
} from '../../src/workflow/template.ts';

const scope: TemplateScope = {
  inputs: { repo: '.', goal: 'ship', limit: 3, tags: ['x', 'y'] },
  tasks: {
    plan: { output: { steps: ['one'] }, status: 'succeeded' },
    'scout-code': { output: 'a.ts', status: 'succeeded' },
  },
  run: { id: 'run-1', workflowId: 'demo' },
  file: 'src/a.ts',
};

describe('renderTemplate', () => {
  it.each([
    ['${{ inputs.limit }}', 3],
    ['${{inputs.tags}}', ['x', 'y']],
    ['${{ tasks.plan.output }}', { steps: ['one'] }],
    ['${{ inputs.missing }}', null],
    ['limit: ${{ inputs.limit }}', 'limit: 3'],
    ['steps: ${{ tasks.plan.output.steps }}', 'steps: ["one"]'],
    ['[${{ inputs.missing }}]', '[]'],
    ['${{ inputs.goal }}-${{ file }}', 'ship-src/a.ts'],
    ["${{ contains('}}', '}') }}", true],
    ['${{ inputs.goal }}\n', 'ship\n'],
    ['no template', 'no template'],
    ['${ not a template }', '${ not a template }'],
  ])('renders %j as %j', (template, expected) => {
    expect(renderTemplate(template, scope)).toEqual(expected);
  });

  it('walks lists and mappings deeply', () => {
    const input = {
      command: 'git ls-files',
      cwd: '${{ inputs.repo }}',
      env: { GOAL: 'goal: ${{ inputs.goal }}' },
      list: [1, '${{ inputs.limit }}'],
    };
    expect(renderTemplate(input, scope)).toEqual({
      command: 'git ls-files',
      cwd: '.',
      env: { GOAL: 'goal: ship' },
      list: [1, 3],
    });
    expect(input.cwd).toBe('${{ inputs.repo }}');
  });

  it('returns values without templates unchanged, the very same object', () => {
    const input = { command: 'ls', nested: { list: [1, 2, { a: 'b' }] } };
    expect(renderTemplate(input, scope)).toBe(input);
    expect(renderTemplate(7, scope)).toBe(7);
    expect(renderTemplate(null, scope)).toBe(null);
    expect(hasTemplate(input)).toBe(false);
    expect(hasTemplate({ a: [{ b: 'x ${{ y }}' }] })).toBe(true);
  });

  it('fails with EXPRESSION_FAILED naming the expression', () => {
    const failure = (() => {
      try {
        renderTemplate({ when: '${{ inputs.goal > 1 }}' }, scope);
      } catch (error) {
        return error as OrchestratorError;
      }
      throw new Error('expected a failure');
    })();
    expect(failure).toBeInstanceOf(OrchestratorError);
    expect(failure.code).toBe('EXPRESSION_FAILED');
    expect(failure.message).toMatchInlineSnapshot(
      `"expression "inputs.goal > 1" failed: cannot compare string "ship" with number 1 using >"`,
    );
  });

  it('turns a template that cannot be parsed into EXPRESSION_FAILED at run time', () => {
    expect(() => renderTemplate('${{ inputs.goal', scope)).toThrow(
      expect.objectContaining({ code: 'EXPRESSION_FAILED' }),
    );
  });
});

describe('checkTemplate', () => {
  it('reports every template that cannot be parsed, with its path', () => {
    const problems = checkTemplate({
      a: '${{ ok }}',
      b: ['x', '${{ 1 = 2 }}'],
      c: { d: 'open ${{ inputs.x' },
    });
    expect(problems).toMatchInlineSnapshot(`
      [
        {
          "hint": "compare with ==",
          "message": "unexpected "=" at column 3 of "1 = 2"",
          "path": [
            "b",
            1,
          ],
        },
        {
          "hint": "close the expression with }}",
          "message": ""\${{" is never closed by "}}" in "open \${{ inputs.x"",
          "path": [
            "c",
            "d",
          ],
        },
      ]
    `);
  });

  it('finds nothing wrong in plain values', () => {
    expect(checkTemplate({ a: 1, b: ['x'], c: null })).toEqual([]);
  });
});

describe('templateReferences', () => {
  it('lists the task ids read through tasks.<id>', () => {
    const value = {
      prompt: 'Files: ${{ tasks.scout-code.output }} Plan: ${{ json(tasks.plan.output) }}',
      when: "${{ tasks['review'].status == 'succeeded' && inputs.goal }}",
      again: '${{ tasks.plan.status }}',
    };
    expect(templateReferences(value)).toEqual(['scout-code', 'plan', 'review']);
  });
});
