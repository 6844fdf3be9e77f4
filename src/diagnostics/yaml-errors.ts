import type { YAMLError, ErrorCode as YamlErrorCode } from 'yaml';

/** A YAML problem explained in plain words. */
export type Explained = { message: string; hint?: string };

function decapitalize(message: string): string {
  const trimmed = message.trim().replace(/\.$/, '');
  return trimmed.charAt(0).toLowerCase() + trimmed.slice(1);
}

const explanations: Partial<Record<YamlErrorCode, (got: string) => Explained>> = {
  BAD_INDENT: () => ({
    message: 'the indentation does not match the lines around it',
    hint: 'indent with spaces so that the keys of one mapping line up',
  }),
  TAB_AS_INDENT: () => ({ message: 'tabs are not allowed for indentation', hint: 'indent with spaces' }),
  BLOCK_AS_IMPLICIT_KEY: () => ({
    message: 'a nested mapping cannot start on the same line as its key (as in `a: b: c`)',
    hint: 'put the nested mapping on its own line, or quote the value if it contains ": "',
  }),
  DUPLICATE_KEY: (got) => ({
    message: `key ${JSON.stringify(got)} appears more than once in this mapping`,
    hint: 'remove or rename one of them',
  }),
  MULTIPLE_DOCS: () => ({
    message: 'the file holds more than one YAML document (a second `---`)',
    hint: 'keep one document per file',
  }),
  BAD_ALIAS: () => ({
    message: 'an alias (`*name`) refers to an anchor (`&name`) that is not defined before it',
  }),
  MULTILINE_IMPLICIT_KEY: () => ({
    message: 'a key must fit on one line',
    hint: 'a plain value may have been broken across lines; quote it',
  }),
  BLOCK_IN_FLOW: () => ({
    message: 'block-style content inside a flow collection (`{ ... }` or `[ ... ]`)',
    hint: 'write the collection in block style, one entry per line',
  }),
};

/** A plain explanation of one error reported by the `yaml` package. */
export function explainYamlError(error: Pick<YAMLError, 'code' | 'message'>, got: string): Explained {
  if (error.code === 'MISSING_CHAR' && /quote/.test(error.message)) {
    return { message: 'a quoted value is never closed', hint: 'add the closing quote' };
  }
  const explain = explanations[error.code];
  return explain === undefined ? { message: decapitalize(error.message) } : explain(got);
}

/** Where a `${{ ... }}` starts on a line, outside quotes, at or before `column` (1-based); else undefined. */
export function templateStart(line: string, column: number): number | undefined {
  let quote: string | undefined;
  for (let index = 0; index < line.length && index < column; index++) {
    const char = line[index];
    if (quote !== undefined) {
      if (char === quote) quote = undefined;
    } else if (char === '"' || char === "'") {
      quote = char;
    } else if (char === '#' && (index === 0 || line[index - 1] === ' ')) {
      return undefined;
    } else if (line.startsWith('${{', index)) {
      return index + 1;
    }
  }
  return undefined;
}

/** The `${{ ... }}` text starting at a 1-based column. */
export function templateText(line: string, column: number): string {
  const start = column - 1;
  const end = line.indexOf('}}', start);
  return end === -1 ? line.slice(start).trimEnd() : line.slice(start, end + 2);
}

/** The explanation of a `${{ }}` written unquoted inside a flow collection. */
export function explainTemplateInFlow(template: string, key: string | undefined): Explained {
  const quoted = JSON.stringify(template);
  return {
    message:
      `${template} inside a flow collection (\`{ ... }\` or \`[ ... ]\`) is read by YAML as nested ` +
      'mappings, not as text',
    hint:
      key === undefined
        ? `quote the value: ${quoted}, or write the collection in block style`
        : `quote the value: ${key}: ${quoted}, or write the collection in block style`,
  };
}
