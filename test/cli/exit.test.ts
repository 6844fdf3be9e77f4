import { describe, expect, it } from 'vitest';
import { reportError } from '../../src/cli/exit.ts';
import { collectKeyValue, oneOf, wholeNumber } from '../../src/cli/options.ts';
import { ConfigError, OrchestratorError } from '../../src/errors.ts';

function report(error: unknown) {
  let written = '';
  const code = reportError(error, (text) => (written += text));
  return { code, written };
}

describe('reportError', () => {
  it('prints diagnostics of a ConfigError and maps it to exit 2', () => {
    const error = new ConfigError([
      {
        file: 'flow.yaml',
        line: 3,
        column: 5,
        code: 'CONFIG_INVALID',
        path: 'tasks.a.phase',
        message: 'expected one of "a", got "b"',
      },
    ]);
    expect(report(error)).toMatchInlineSnapshot(`
      {
        "code": 2,
        "written": "flow.yaml:3:5 error CONFIG_INVALID at tasks.a.phase
        expected one of "a", got "b"
      ",
      }
    `);
  });

  it.each([
    ['WORKFLOW_INPUT_MISSING', 2],
    ['AGENTS_MODULE_INVALID', 2],
    ['RUN_NOT_FOUND', 2],
    ['BUDGET_EXCEEDED', 1],
    ['INTERNAL', 1],
  ] as const)('maps %s to exit %i, with its hint', (code, exit) => {
    const { code: exitCode, written } = report(
      new OrchestratorError(code, 'what happened', { hint: 'what to do' }),
    );
    expect(exitCode).toBe(exit);
    expect(written).toBe(`error ${code}: what happened\n  hint: what to do\n`);
  });

  it('prints anything else as a plain error, exit 1', () => {
    expect(report(new Error('disk full'))).toEqual({ code: 1, written: 'error: disk full\n' });
  });
});

describe('option parsers', () => {
  it('collects key=value pairs, keeping "=" inside values', () => {
    expect(collectKeyValue('goal=a=b', { repo: '.' })).toEqual({ repo: '.', goal: 'a=b' });
    expect(() => collectKeyValue('=x')).toThrow('expected key=value, got "=x".');
  });

  it('accepts whole numbers from a minimum and words from a list', () => {
    expect(wholeNumber(0)('7')).toBe(7);
    expect(() => wholeNumber(1)('1.5')).toThrow('expected a whole number >= 1, got "1.5".');
    expect(oneOf(['on', 'off'] as const)('on')).toBe('on');
    expect(() => oneOf(['on', 'off'] as const)('no')).toThrow('expected one of "on" | "off", got "no".');
  });
});
