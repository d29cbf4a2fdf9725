import { describe, expect, it } from 'vitest';
import { LOCK_KEYS } from './lock-keys.js';

describe('LOCK_KEYS', () => {
  it('gives every purpose its own key, across both lock forms', () => {
    const all = [...Object.values(LOCK_KEYS.single), ...Object.values(LOCK_KEYS.classes)];
    expect(new Set(all).size).toBe(all.length);
  });

  it('keeps class keys within int4, as the two-key form takes them', () => {
    for (const key of Object.values(LOCK_KEYS.classes)) expect(key).toBeLessThan(2 ** 31);
  });
});
