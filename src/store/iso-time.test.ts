import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isoTime } from './iso-time.js';

describe('isoTime', () => {
  it('is toISOString, for any time (day boundaries, leap days, other centuries)', () => {
    const anyTime = fc.oneof(
      fc.integer({ min: -8.64e15, max: 8.64e15 }),
      fc.integer({ min: 0, max: 4e12 }),
      // Around midnights, where the cached day part changes.
      fc
        .tuple(fc.integer({ min: 0, max: 50_000 }), fc.integer({ min: -3, max: 3 }))
        .map(([d, ms]) => d * 86_400_000 + ms),
    );
    fc.assert(
      fc.property(fc.array(anyTime, { minLength: 1, maxLength: 20 }), (times) => {
        for (const ms of times) expect(isoTime(new Date(ms))).toBe(new Date(ms).toISOString());
      }),
      { numRuns: 500 },
    );
  });

  it('formats the edges of its fast range and leaves the rest to toISOString', () => {
    for (const text of ['1970-01-01T00:00:00.000Z', '2024-02-29T23:59:59.999Z', '9999-12-31T23:59:59.999Z']) {
      expect(isoTime(new Date(text))).toBe(text);
    }
    expect(isoTime(new Date('+010000-01-01T00:00:00.000Z'))).toBe('+010000-01-01T00:00:00.000Z');
    expect(isoTime(new Date('1969-12-31T23:59:59.999Z'))).toBe('1969-12-31T23:59:59.999Z');
    expect(() => isoTime(new Date(Number.NaN))).toThrow(RangeError);
  });
});
