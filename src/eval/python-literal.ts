/**
 * Decodes the Python list-of-strings literal RouterBench stores prompts and responses in
 * (`['first', "second"]`) into its strings. Text that is not such a literal comes back as one string.
 */
export function decodePythonStrings(literal: string): string[] {
  const text = literal.trim();
  if (!text.startsWith('[') || !text.endsWith(']')) return [literal];
  const strings: string[] = [];
  let index = 1;
  while (index < text.length - 1) {
    const char = text[index];
    if (char === ' ' || char === ',' || char === '\n') {
      index += 1;
      continue;
    }
    if (char !== "'" && char !== '"') return [literal];
    const parsed = readString(text, index, char);
    if (parsed === undefined) return [literal];
    strings.push(parsed.value);
    index = parsed.end;
  }
  return strings;
}

const simpleEscapes: Readonly<Record<string, string>> = {
  n: '\n',
  t: '\t',
  r: '\r',
  '\\': '\\',
  "'": "'",
  '"': '"',
  '0': '\0',
  a: '\u0007',
  b: '\b',
  f: '\f',
  v: '\v',
};

function readString(text: string, start: number, quote: string): { value: string; end: number } | undefined {
  let value = '';
  let index = start + 1;
  while (index < text.length) {
    const char = text[index] as string;
    if (char === quote) return { value, end: index + 1 };
    if (char !== '\\') {
      value += char;
      index += 1;
      continue;
    }
    const next = text[index + 1] ?? '';
    const simple = simpleEscapes[next];
    if (simple !== undefined) {
      value += simple;
      index += 2;
    } else if (next === 'x' || next === 'u' || next === 'U') {
      const width = next === 'x' ? 2 : next === 'u' ? 4 : 8;
      const code = Number.parseInt(text.slice(index + 2, index + 2 + width), 16);
      if (Number.isNaN(code)) return undefined;
      value += String.fromCodePoint(code);
      index += 2 + width;
    } else {
      // Python keeps an unknown escape as written.
      value += `\\${next}`;
      index += 2;
    }
  }
  return undefined;
}
