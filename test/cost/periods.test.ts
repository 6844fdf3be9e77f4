import { describe, expect, it } from 'vitest';
import { periodEndMs, periodKey, periodStartMs } from '../../src/cost/periods.ts';

const at = (iso: string) => Date.parse(iso);

describe('budget periods (UTC)', () => {
  it.each([
    [
      'hour',
      '2026-11-22T03:59:59.999Z',
      '2026-11-22T03',
      '2026-11-22T03:00:00.000Z',
      '2026-11-22T04:00:00.000Z',
    ],
    ['day', '2026-11-22T23:59:59.999Z', '2026-11-22', '2026-11-22T00:00:00.000Z', '2026-11-23T00:00:00.000Z'],
    ['month', '2026-12-31T23:00:00.000Z', '2026-12', '2026-12-01T00:00:00.000Z', '2027-01-01T00:00:00.000Z'],
    ['month', '2028-02-10T00:00:00.000Z', '2028-02', '2028-02-01T00:00:00.000Z', '2028-03-01T00:00:00.000Z'],
    ['day', '2028-02-29T12:00:00.000Z', '2028-02-29', '2028-02-29T00:00:00.000Z', '2028-03-01T00:00:00.000Z'],
  ] as const)('%s at %s is %s, from %s to %s', (window, time, key, start, end) => {
    expect(periodKey(window, at(time))).toBe(key);
    expect(new Date(periodStartMs(window, at(time))).toISOString()).toBe(start);
    expect(new Date(periodEndMs(window, at(time))).toISOString()).toBe(end);
  });

  it('starts a new key the moment a window ends: counters are never reset in place', () => {
    const end = periodEndMs('hour', at('2026-11-22T03:30:00Z'));
    expect(periodKey('hour', end - 1)).toBe('2026-11-22T03');
    expect(periodKey('hour', end)).toBe('2026-11-22T04');
  });
});
