import { afterEach, describe, expect, it, vi } from 'vitest';
import { formatDiagnostics, parseYaml } from '../../src/diagnostics/index.ts';

function problems(text: string): string {
  return formatDiagnostics(parseYaml(text, 'wf.yaml').diagnostics);
}

describe('parseYaml', () => {
  afterEach(() => vi.restoreAllMocks());

  it('parses plain data and locates values and keys, 1-based', () => {
    const text = 'id: demo\ntasks:\n  - id: fix\n    phase: biuld\n';
    const parsed = parseYaml(text, 'wf.yaml');
    expect(parsed.diagnostics).toEqual([]);
    expect(parsed.value).toEqual({ id: 'demo', tasks: [{ id: 'fix', phase: 'biuld' }] });
    expect(parsed.locate(['tasks', 0, 'phase'])).toEqual({
      line: 4,
      column: 12,
      got: 'biuld',
      exact: true,
      source: 'biuld',
    });
    expect(parsed.locate(['tasks', 0, 'phase'], 'key')).toEqual({
      line: 4,
      column: 5,
      got: 'phase',
      exact: true,
      source: 'phase',
    });
    expect(parsed.locate(['tasks', 0, 'agent'])).toEqual({ line: 3, column: 5, got: '', exact: false });
  });

  it('quotes multi-line values by their first line', () => {
    const parsed = parseYaml('prompt: |\n  line one\n  line two\n', 'wf.yaml');
    expect(parsed.locate(['prompt'])?.got).toBe('|…');
  });

  it('points an empty value at its key', () => {
    const parsed = parseYaml('a:\nb: 1\n', 'wf.yaml');
    expect(parsed.locate(['a'])).toEqual({ line: 1, column: 1, got: '', exact: false });
  });

  it('explains a ${{ }} written unquoted inside a flow mapping', () => {
    expect(
      problems('tasks:\n  - id: scout\n    input: { cwd: ${{ inputs.repo }} }\n'),
    ).toMatchInlineSnapshot(`
      "wf.yaml:3:19 error YAML_SYNTAX at tasks.scout.input.cwd
        \${{ inputs.repo }} inside a flow collection (\`{ ... }\` or \`[ ... ]\`) is read by YAML as nested mappings, not as text
        hint: quote the value: cwd: "\${{ inputs.repo }}", or write the collection in block style"
    `);
  });

  it('accepts ${{ }} as a plain block value', () => {
    expect(parseYaml('cwd: ${{ inputs.repo }}\n', 'wf.yaml').value).toEqual({ cwd: '${{ inputs.repo }}' });
  });

  it.each([
    ['a: b: c\n'],
    ['a:\n  b: 1\n c: 2\n'],
    ['\tfoo: 1\n'],
    ['a: 1\na: 2\n'],
    ['a: "open\n'],
    ['a: 1\n---\nb: 2\n'],
    ['prompt: one\nprompt: two\n'],
    ['"my key": 1\n"my key": 2\n'],
    ['a: *missing\n'],
    ['a: [1, 2\n'],
  ])('explains the syntax error in %j', (text) => {
    expect(problems(text)).toMatchSnapshot();
  });

  it('rejects an alias bomb without expanding it', () => {
    const levels = ['a: &a [x, x, x, x, x, x, x, x, x]'];
    for (let level = 1; level < 9; level++) {
      const previous = String.fromCharCode(96 + level);
      const name = String.fromCharCode(97 + level);
      levels.push(`${name}: &${name} [${Array(9).fill(`*${previous}`).join(', ')}]`);
    }
    const parsed = parseYaml(`${levels.join('\n')}\n`, 'bomb.yaml');
    expect(parsed.value).toBeUndefined();
    expect(formatDiagnostics(parsed.diagnostics)).toMatchInlineSnapshot(`
      "bomb.yaml:2:8 error YAML_ALIAS_LIMIT at b[0]
        aliases expand to more than 1000 nodes; the file looks like an alias bomb
        hint: repeat the values instead of nesting aliases of aliases"
    `);
  });

  it('allows a few ordinary aliases', () => {
    const parsed = parseYaml('base: &base { retries: 1 }\nx: *base\ny: *base\n', 'wf.yaml');
    expect(parsed.diagnostics).toEqual([]);
    expect(parsed.value).toEqual({ base: { retries: 1 }, x: { retries: 1 }, y: { retries: 1 } });
  });

  it('rejects nesting deeper than the limit', () => {
    const parsed = parseYaml(`a: ${'['.repeat(100)}${']'.repeat(100)}\n`, 'deep.yaml', { maxDepth: 64 });
    expect(parsed.value).toBeUndefined();
    expect(formatDiagnostics(parsed.diagnostics)).toMatchInlineSnapshot(`
      "deep.yaml:1:67 error CONFIG_INVALID at a[0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0…][0][0][0][0][0][0][0][0][0][0][0][0][0]
        mappings and lists are nested more than 64 levels deep
        hint: flatten the structure"
    `);
  });

  it('rejects a __proto__ key', () => {
    expect(problems('inputs:\n  __proto__: { polluted: true }\n')).toMatchInlineSnapshot(`
      "wf.yaml:2:3 error CONFIG_INVALID at inputs.__proto__
        the key "__proto__" is not allowed"
    `);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('reads YAML 1.1 dates and sets as plain text and mappings', () => {
    const parsed = parseYaml('%YAML 1.1\n---\nday: 2001-12-14\n', 'wf.yaml');
    expect(parsed.value).toEqual({ day: '2001-12-14' });
  });

  it('captures warnings and writes nothing to stderr', () => {
    const stderr = vi.spyOn(process.stderr, 'write');
    const warn = vi.spyOn(console, 'warn');
    const emit = vi.spyOn(process, 'emitWarning');
    const parsed = parseYaml('a: !!weird 1\nb: !custom x\n', 'wf.yaml');
    expect(parsed.diagnostics).toEqual([]);
    expect(parsed.warnings.map((warning) => warning.line)).toEqual([1, 2]);
    expect(stderr).not.toHaveBeenCalled();
    expect(warn).not.toHaveBeenCalled();
    expect(emit).not.toHaveBeenCalled();
  });

  it('reads an empty file as null', () => {
    const parsed = parseYaml('', 'empty.yaml');
    expect(parsed.value).toBeNull();
    expect(parsed.diagnostics).toEqual([]);
  });
});
