import { describe, expect, it } from 'vitest';
import { TokenBuckets } from './token-buckets.js';

describe('TokenBuckets', () => {
  it('allows the burst, then refuses with the seconds until the next token, then refills', () => {
    let now = 0;
    const buckets = new TokenBuckets({ perSecond: 2, burst: 3, now: () => now });
    expect([1, 2, 3].map(() => buckets.take('a').ok)).toEqual([true, true, true]);
    expect(buckets.take('a')).toEqual({ ok: false, retryAfterSeconds: 1 });
    expect(buckets.take('b').ok).toBe(true); // buckets are separate
    now += 500;
    expect(buckets.take('a').ok).toBe(true);
    expect(buckets.take('a').ok).toBe(false);
  });

  it('keeps at most maxBuckets buckets, dropping idle ones first', () => {
    let now = 0;
    const buckets = new TokenBuckets({ perSecond: 1, burst: 2, maxBuckets: 100, now: () => now });
    for (let i = 0; i < 10_000; i++) {
      now += 1;
      buckets.take(`addr-${i}`);
    }
    expect(buckets.size).toBeLessThanOrEqual(100);
  });

  it('does not limit with perSecond 0', () => {
    const buckets = new TokenBuckets({ perSecond: 0, burst: 1 });
    expect(Array.from({ length: 100 }, () => buckets.take('a').ok).every(Boolean)).toBe(true);
    expect(buckets.size).toBe(0);
  });
});
