import { describe, expect, it } from 'vitest';
import { MAX_PROP_KEYS, MAX_STRING_LENGTH, sanitizeProps } from './index.js';
import { createStats } from './stats.js';

describe('sanitizeProps', () => {
  it('keeps strings, finite numbers, booleans and null', () => {
    const stats = createStats();
    const props = { a: 'x', b: 1.5, c: false, d: null };
    expect(sanitizeProps(props, stats)).toEqual(props);
    expect(stats.dropped).toBe(0);
  });

  it('drops and counts other values, skipping undefined silently', () => {
    const stats = createStats();
    const out = sanitizeProps(
      {
        ok: 1,
        nested: { a: 1 },
        list: [1],
        nan: Number.NaN,
        inf: Number.POSITIVE_INFINITY,
        big: 10n,
        fn: () => 1,
        long: 'x'.repeat(MAX_STRING_LENGTH + 1),
        edge: 'y'.repeat(MAX_STRING_LENGTH),
        skipped: undefined,
      },
      stats,
    );
    expect(Object.keys(out)).toEqual(['ok', 'edge']);
    expect(stats.dropped).toBe(7);
  });

  it('keeps at most 50 keys', () => {
    const stats = createStats();
    const props = Object.fromEntries(Array.from({ length: 60 }, (_, i) => [`k${i}`, i]));
    const out = sanitizeProps(props, stats);
    expect(Object.keys(out)).toHaveLength(MAX_PROP_KEYS);
    expect(out.k49).toBe(49);
    expect(out.k50).toBeUndefined();
    expect(stats.dropped).toBe(10);
    expect(Object.keys(sanitizeProps(props, createStats(), 3))).toEqual(['k0', 'k1', 'k2']);
  });

  it('never throws on non-object payloads', () => {
    const stats = createStats();
    expect(sanitizeProps(null, stats)).toEqual({});
    expect(sanitizeProps('str', stats)).toEqual({});
    expect(sanitizeProps(undefined, stats)).toEqual({});
    expect(stats.dropped).toBe(2);
  });
});
