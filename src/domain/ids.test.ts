import { parse, stringify, validate, version } from 'uuid';
import { describe, expect, it } from 'vitest';
import { isUuid, newId } from './ids.js';

describe('newId', () => {
  it('returns distinct, time-ordered UUIDv7s across pool refills', () => {
    const ids = Array.from({ length: 1_000 }, () => newId()); // 16 000 bytes: several refills
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) {
      expect(isUuid(id)).toBe(true);
      expect(id[14]).toBe('7');
    }
    const stamps = ids.map((id) => id.slice(0, 13));
    expect([...stamps].sort()).toEqual(stamps);
  });

  it('formats exactly as uuid does (its parse and stringify round-trip every id)', () => {
    for (let i = 0; i < 2_000; i++) {
      const id = newId();
      expect(validate(id)).toBe(true);
      expect(version(id)).toBe(7);
      expect(stringify(parse(id))).toBe(id);
    }
  });

  it('never goes backwards, also within one millisecond (a counter follows the time)', () => {
    const ids = Array.from({ length: 20_000 }, () => newId());
    expect([...ids].sort()).toEqual(ids);
    const perMs = new Map<string, number>();
    for (const id of ids) perMs.set(id.slice(0, 13), (perMs.get(id.slice(0, 13)) ?? 0) + 1);
    expect(Math.max(...perMs.values())).toBeGreaterThan(1); // some millisecond made several ids
  });
});
