import { OrchestratorError } from '../errors.ts';

/** One parsed CSV record with the 1-based line it starts on, for messages. */
export type CsvRecord = { line: number; fields: string[] };

/**
 * Parses RFC 4180 CSV: fields separated by commas, records by CRLF or LF; a field in double quotes
 * may hold commas, line breaks and doubled quotes (`""`). A blank line at the very end is ignored.
 * Throws EVAL_DATASET_INVALID naming file, line and column for a stray or unterminated quote.
 */
export function parseCsv(text: string, file: string): CsvRecord[] {
  const records: CsvRecord[] = [];
  let fields: string[] = [];
  let field = '';
  let line = 1;
  let recordLine = 1;
  let column = 1;
  let index = 0;
  let quoted = false;
  let quoteLine = 0;
  let quoteColumn = 0;
  let afterQuote = false;
  const length = text.length;
  const endRecord = () => {
    fields.push(field);
    records.push({ line: recordLine, fields });
    fields = [];
    field = '';
    afterQuote = false;
  };
  while (index < length) {
    const char = text.charCodeAt(index);
    if (quoted) {
      const close = text.indexOf('"', index);
      if (close < 0) break;
      const chunk = text.slice(index, close);
      field += chunk;
      ({ line, column } = advance(chunk, line, column));
      if (text.charCodeAt(close + 1) === 34) {
        field += '"';
        index = close + 2;
        column += 2;
        continue;
      }
      quoted = false;
      afterQuote = true;
      index = close + 1;
      column += 1;
      continue;
    }
    if (char === 44) {
      fields.push(field);
      field = '';
      afterQuote = false;
      index += 1;
      column += 1;
    } else if (char === 10 || char === 13) {
      endRecord();
      index += char === 13 && text.charCodeAt(index + 1) === 10 ? 2 : 1;
      line += 1;
      column = 1;
      recordLine = line;
    } else if (char === 34 && field === '' && !afterQuote) {
      quoted = true;
      quoteLine = line;
      quoteColumn = column;
      index += 1;
      column += 1;
    } else {
      if (afterQuote || char === 34) throw strayQuote(file, line, column, char === 34);
      const next = nextSpecial(text, index);
      field += text.slice(index, next);
      column += next - index;
      index = next;
    }
  }
  if (quoted) {
    throw new OrchestratorError(
      'EVAL_DATASET_INVALID',
      `${file}:${quoteLine}:${quoteColumn} the quoted field opened here is never closed.`,
      { hint: 'Close the field with a double quote; a quote inside a quoted field is written "".' },
    );
  }
  if (field !== '' || fields.length > 0) endRecord();
  return records;
}

function nextSpecial(text: string, from: number): number {
  for (let index = from; index < text.length; index += 1) {
    const char = text.charCodeAt(index);
    if (char === 44 || char === 10 || char === 13 || char === 34) return index;
  }
  return text.length;
}

function advance(chunk: string, line: number, column: number): { line: number; column: number } {
  let lines = 0;
  let lastBreak = -1;
  for (let index = 0; index < chunk.length; index += 1) {
    const char = chunk.charCodeAt(index);
    if (char === 10 || (char === 13 && chunk.charCodeAt(index + 1) !== 10)) {
      lines += 1;
      lastBreak = index;
    }
  }
  if (lines === 0) return { line, column: column + chunk.length };
  return { line: line + lines, column: chunk.length - lastBreak };
}

function strayQuote(file: string, line: number, column: number, isQuote: boolean): OrchestratorError {
  const what = isQuote
    ? 'a double quote inside an unquoted field'
    : 'text after the closing quote of a field';
  return new OrchestratorError('EVAL_DATASET_INVALID', `${file}:${line}:${column} found ${what}.`, {
    hint: 'Quote the whole field and double every quote inside it ("").',
  });
}
