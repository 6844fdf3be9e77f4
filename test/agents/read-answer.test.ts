import { describe, expect, it } from 'vitest';
import { maxAnswerChars, readAnswer } from '../../src/agents/index.ts';
import type { Json } from '../../src/events/vocabulary.ts';

describe('readAnswer', () => {
  it.each([
    ['a string as is, normalised', '  The  Answer\n is\tParis ', undefined, 'the answer is paris'],
    ['the first capture group', 'Reasoning... ANSWER: Paris.', 'ANSWER: (\\w+)', 'paris'],
    ['the whole match without a group', 'pick B then C', '[A-D]', 'b'],
    ['the first of several groups', 'x=1 y=2', 'x=(\\d) y=(\\d)', '1'],
    ['null when nothing matches', 'no idea', 'ANSWER: (\\w+)', null],
    ['null when the group did not take part', 'ANSWER:', 'ANSWER:( \\w+)?', null],
    ['null for an empty output', '   ', undefined, null],
    ['JSON of anything else', { city: 'Paris' }, undefined, '{"city":"paris"}'],
    ['a pattern over the JSON text', { city: 'Paris', score: 3 }, '"city":"(\\w+)"', 'paris'],
    ['null output as JSON', null, undefined, 'null'],
  ] as const)('reads %s', (_, output, pattern, answer) => {
    expect(readAnswer(output as Json, pattern)).toBe(answer);
  });

  it('cuts a long answer to 200 characters', () => {
    const answer = readAnswer('x'.repeat(500));
    expect(maxAnswerChars).toBe(200);
    expect(answer).toBe('x'.repeat(200));
  });

  it('reads a global RegExp from the start every time', () => {
    const pattern = /answer: (\w+)/g;
    expect(readAnswer('answer: yes', pattern)).toBe('yes');
    expect(readAnswer('answer: yes', pattern)).toBe('yes');
  });
});
