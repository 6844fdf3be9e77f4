import { describe, expect, it } from 'vitest';
import { checkVerdict } from '../../src/learning/feedback.ts';

describe('checkVerdict', () => {
  it.each([
    [{ quality: 1.5 }, 'Quality 1.5 is out of range; expected 0 to 1.'],
    [{}, 'A verdict needs --success, --fail or --quality <0-1>.'],
  ])('refuses %j with a message saying what is expected', (verdict, message) => {
    expect(() => checkVerdict(verdict)).toThrow(message);
  });

  it('accepts a success or a quality in range', () => {
    expect(() => checkVerdict({ success: true })).not.toThrow();
    expect(() => checkVerdict({ quality: 0 })).not.toThrow();
  });
});
