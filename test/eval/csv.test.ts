import { describe, expect, it } from 'vitest';
import { parseCsv } from '../../src/eval/csv.ts';

const fields = (text: string) => parseCsv(text, 'data.csv').map((record) => record.fields);

describe('parseCsv', () => {
  it.each([
    [
      'plain fields',
      'a,b,c\n1,2,3\n',
      [
        ['a', 'b', 'c'],
        ['1', '2', '3'],
      ],
    ],
    [
      'CRLF records',
      'a,b\r\n1,2\r\n',
      [
        ['a', 'b'],
        ['1', '2'],
      ],
    ],
    [
      'no final line break',
      'a,b\n1,2',
      [
        ['a', 'b'],
        ['1', '2'],
      ],
    ],
    ['empty fields', ',a,\n', [['', 'a', '']]],
    ['a quoted comma', '"x,y",z\n', [['x,y', 'z']]],
    ['a quoted line break', '"line 1\nline 2",z\n', [['line 1\nline 2', 'z']]],
    ['a quoted CRLF', '"a\r\nb",c\r\n', [['a\r\nb', 'c']]],
    ['doubled quotes', '"say ""hi""",z\n', [['say "hi"', 'z']]],
    ['an empty quoted field', '"",x\n', [['', 'x']]],
    ['a Python list literal', `"['It\\'s', ""q""]",1\n`, [[`['It\\'s', "q"]`, '1']]],
  ])('parses %s', (_name, text, expected) => {
    expect(fields(text)).toEqual(expected);
  });

  it('gives each record the line it starts on', () => {
    const records = parseCsv('h1,h2\n"a\nb\nc",1\nx,2\n', 'data.csv');
    expect(records.map((record) => record.line)).toEqual([1, 2, 5]);
  });

  it('names file, line and column of a quote that is never closed', () => {
    expect(() => parseCsv('a,b\n1,"open\nstill open', 'data.csv')).toThrowErrorMatchingInlineSnapshot(
      `[OrchestratorError: data.csv:2:3 the quoted field opened here is never closed.]`,
    );
  });

  it('names the position of text after a closing quote', () => {
    expect(() => parseCsv('"a"b,c\n', 'data.csv')).toThrowErrorMatchingInlineSnapshot(
      `[OrchestratorError: data.csv:1:4 found text after the closing quote of a field.]`,
    );
  });

  it('names the position of a quote inside an unquoted field', () => {
    expect(() => parseCsv('ab"c,d\n', 'data.csv')).toThrowErrorMatchingInlineSnapshot(
      `[OrchestratorError: data.csv:1:3 found a double quote inside an unquoted field.]`,
    );
  });
});
