import { describe, expect, it } from 'vitest';
import { createScrubber } from '../../src/providers/scrubber.ts';

const key = 'sk-canary-Zx9/+abc=def&ghi';

describe('createScrubber', () => {
  it.each([
    ['as written', key],
    ['URL-encoded', encodeURIComponent(key)],
    ['in base64', Buffer.from(key).toString('base64')],
    ['in base64url', Buffer.from(key).toString('base64url')],
    ['in HTTP basic auth', Buffer.from(`user:${key}`).toString('base64')],
    ['in base64 after one byte', Buffer.from(`x${key}`).toString('base64')],
  ])('removes a key %s', (_how, form) => {
    const scrubber = createScrubber([key]);
    const text = `before ${form} after`;
    const scrubbed = scrubber.scrub(text);
    expect(scrubbed).toContain('[REDACTED]');
    expect(scrubbed).not.toContain(form);
    for (const known of scrubber.forms()) expect(scrubbed).not.toContain(known);
  });

  it.each([
    [
      'a key query parameter',
      'GET https://example.test/v1/models?key=AIzaUnknownValue1&alt=sse',
      'GET https://example.test/v1/models?key=[REDACTED]&alt=sse',
    ],
    ['an api_key parameter', 'https://h.test/x?api_key=abcdefgh123', 'https://h.test/x?api_key=[REDACTED]'],
    ['a bearer token', 'Authorization: Bearer abcdefghijklmnop', 'Authorization: Bearer [REDACTED]'],
    [
      'a basic auth header',
      '{"authorization":"Basic dXNlcjpwYXNzd29yZA=="}',
      '{"authorization":"Basic [REDACTED]"}',
    ],
    ['a bearer token in prose', 'sent with Bearer sk_live_abcdefghijklmnop', 'sent with Bearer [REDACTED]'],
    [
      'URL credentials',
      'http://user:hunter2hunter2@localhost:11434/v1',
      'http://user:[REDACTED]@localhost:11434/v1',
    ],
  ])('removes unknown credentials in %s', (_what, text, expected) => {
    expect(createScrubber().scrub(text)).toBe(expected);
  });

  it('scrubs every string of a structured value without changing the original', () => {
    const scrubber = createScrubber([key]);
    const original = {
      url: `https://x.test/?k=${encodeURIComponent(key)}`,
      nested: [{ header: key }],
      count: 3,
    };
    const copy = scrubber.scrubValue(original);
    expect(JSON.stringify(copy)).not.toContain(encodeURIComponent(key));
    expect(copy.nested[0]?.header).toBe('[REDACTED]');
    expect(copy.count).toBe(3);
    expect(original.nested[0]?.header).toBe(key);
  });

  it('leaves ordinary prose and outputs alone', () => {
    const prose = 'A basic implementation: the Bearer of bad news keeps the authorization flow simple.';
    expect(createScrubber(['sk-some-long-key-123']).scrub(prose)).toBe(prose);
  });

  it('ignores values too short to be keys', () => {
    expect(createScrubber(['abc']).scrub('abc abc')).toBe('abc abc');
  });
});
