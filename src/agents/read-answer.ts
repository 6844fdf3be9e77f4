// The answer a consensus compares: one short, normalised piece of an output, so that two models
// that say the same thing in different case or spacing agree.
import type { Json } from '../events/vocabulary.ts';

/** Longest answer compared, in characters. */
export const maxAnswerChars = 200;

/**
 * The answer in an output: the output as text (a string as is, anything else as JSON), then the
 * pattern's first capture group if it has one, else its whole match (no match: null), then
 * trimmed, whitespace collapsed, lower-cased and cut to 200 characters. An empty answer is null.
 * @example readAnswer('The answer is: Paris.', 'answer is: (\\w+)') // 'paris'
 */
export function readAnswer(output: Json, pattern?: string | RegExp): string | null {
  const text = typeof output === 'string' ? output : JSON.stringify(output);
  const found = pattern === undefined ? text : matchOf(text, pattern);
  if (found === undefined) return null;
  const answer = found.trim().replace(/\s+/g, ' ').toLowerCase().slice(0, maxAnswerChars);
  return answer === '' ? null : answer;
}

function matchOf(text: string, pattern: string | RegExp): string | undefined {
  // A global or sticky RegExp keeps `lastIndex` between calls: a fresh copy reads from the start.
  const regex =
    typeof pattern === 'string'
      ? new RegExp(pattern)
      : new RegExp(pattern.source, pattern.flags.replace(/[gy]/g, ''));
  const match = regex.exec(text);
  if (match === null) return undefined;
  return match.length > 1 ? match[1] : match[0];
}
