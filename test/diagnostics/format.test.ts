import { describe, expect, it } from 'vitest';
import { formatDiagnostic, formatDiagnostics, sortDiagnostics } from '../../src/diagnostics/index.ts';
import type { Diagnostic } from '../../src/errors.ts';

const phase: Diagnostic = {
  file: 'workflows/review.yaml',
  line: 6,
  column: 12,
  code: 'CONFIG_INVALID',
  path: 'tasks.fix.phase',
  message: 'expected one of "scout" | "plan" | "build", got "biuld"',
  hint: 'did you mean "build"?',
};

describe('formatDiagnostic', () => {
  it('prints the style-guide shape', () => {
    expect(formatDiagnostic(phase)).toMatchInlineSnapshot(`
      "workflows/review.yaml:6:12 error CONFIG_INVALID at tasks.fix.phase
        expected one of "scout" | "plan" | "build", got "biuld"
        hint: did you mean "build"?"
    `);
  });

  it('leaves out an unknown position, an empty path and a missing hint', () => {
    const missing: Diagnostic = {
      file: 'gone.yaml',
      line: undefined,
      column: undefined,
      code: 'CONFIG_NOT_FOUND',
      path: '',
      message: 'file not found: gone.yaml',
    };
    expect(formatDiagnostic(missing)).toMatchInlineSnapshot(`
      "gone.yaml error CONFIG_NOT_FOUND
        file not found: gone.yaml"
    `);
    expect(formatDiagnostic({ ...missing, file: undefined, line: 3 })).toMatchInlineSnapshot(`
      "<input>:3 error CONFIG_NOT_FOUND
        file not found: gone.yaml"
    `);
  });

  it('indents every line of a multi-line message', () => {
    expect(formatDiagnostic({ ...phase, message: 'first\nsecond', hint: undefined })).toMatchInlineSnapshot(`
      "workflows/review.yaml:6:12 error CONFIG_INVALID at tasks.fix.phase
        first
        second"
    `);
  });
});

describe('printable output', () => {
  it('escapes control characters so a message cannot drive the terminal', () => {
    const text = formatDiagnostic({ ...phase, message: 'got "\u001b[2Jgone\u0007"', hint: undefined });
    expect(text).toContain('got "\\u001b[2Jgone\\u0007"');
    expect([...text].some((char) => char.charCodeAt(0) < 0x09 || char === '\u001b')).toBe(false);
    expect(
      formatDiagnostic({ ...phase, message: 'pair \ud83d\ude00 lone \ud83d', hint: undefined }),
    ).toContain('pair \ud83d\ude00 lone \\ud83d');
  });
});

describe('formatDiagnostics', () => {
  it('sorts by file and position and drops exact duplicates', () => {
    const at = (file: string, line: number, column: number): Diagnostic => ({ ...phase, file, line, column });
    const sorted = sortDiagnostics([
      at('b.yaml', 1, 1),
      at('a.yaml', 9, 1),
      at('a.yaml', 2, 5),
      at('a.yaml', 2, 3),
      at('a.yaml', 2, 3),
    ]);
    expect(sorted.map((d) => `${d.file}:${d.line}:${d.column}`)).toEqual([
      'a.yaml:2:3',
      'a.yaml:2:5',
      'a.yaml:9:1',
      'b.yaml:1:1',
    ]);
    expect(formatDiagnostics([at('a.yaml', 2, 1), at('a.yaml', 1, 1)]).split('\n\n')).toHaveLength(2);
  });
});
