import { describe, expect, it } from 'vitest';
import { isUuidV4, randomUuidV4 } from './index.js';

describe('randomUuidV4', () => {
  it('uses crypto.randomUUID when present', () => {
    expect(randomUuidV4({ randomUUID: () => '2f1c7a52-9b7e-4c41-8f0e-0c3b8d1a6e55' })).toBe(
      '2f1c7a52-9b7e-4c41-8f0e-0c3b8d1a6e55',
    );
  });

  it('builds a v4 from getRandomValues when randomUUID is missing', () => {
    const zeros = randomUuidV4({ getRandomValues: (a) => a.fill(0) });
    expect(zeros).toBe('00000000-0000-4000-8000-000000000000');
    const ones = randomUuidV4({ getRandomValues: (a) => a.fill(255) });
    expect(ones).toBe('ffffffff-ffff-4fff-bfff-ffffffffffff');
    expect(isUuidV4(randomUuidV4({ getRandomValues: (a) => crypto.getRandomValues(a) }))).toBe(true);
  });

  it('still returns a v4 without any crypto', () => {
    expect(isUuidV4(randomUuidV4({}))).toBe(true);
  });

  it('defaults to the global crypto', () => {
    const ids = new Set(Array.from({ length: 50 }, () => randomUuidV4()));
    expect(ids.size).toBe(50);
    for (const id of ids) expect(isUuidV4(id)).toBe(true);
  });
});

describe('isUuidV4', () => {
  it('accepts only lower-case version-4 UUIDs', () => {
    expect(isUuidV4('2f1c7a52-9b7e-4c41-8f0e-0c3b8d1a6e55')).toBe(true);
    expect(isUuidV4('2F1C7A52-9B7E-4C41-8F0E-0C3B8D1A6E55')).toBe(false);
    expect(isUuidV4('2f1c7a52-9b7e-1c41-8f0e-0c3b8d1a6e55')).toBe(false);
    expect(isUuidV4('2f1c7a52-9b7e-4c41-cf0e-0c3b8d1a6e55')).toBe(false);
    expect(isUuidV4('2f1c7a52-9b7e-4c41-8f0e-0c3b8d1a6e55 ')).toBe(false);
    expect(isUuidV4('<script>')).toBe(false);
    expect(isUuidV4(null)).toBe(false);
  });
});
