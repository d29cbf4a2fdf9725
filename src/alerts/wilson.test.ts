import { describe, expect, it } from 'vitest';
import { wilsonInterval } from './wilson.js';

describe('wilsonInterval', () => {
  // Newcombe, "Two-sided confidence intervals for the single proportion" (1998), table I, method 3.
  it.each([
    [81, 263, 0.2553, 0.3662],
    [15, 148, 0.0624, 0.1605],
    [0, 20, 0, 0.1611],
    [1, 29, 0.0061, 0.1718],
  ])('%i/%i matches the published bounds', (k, n, lower, upper) => {
    const interval = wilsonInterval(k, n);
    expect(interval.lower).toBeCloseTo(lower, 4);
    expect(interval.upper).toBeCloseTo(upper, 4);
  });

  it('is symmetric around one half and stays inside [0, 1]', () => {
    const a = wilsonInterval(3, 10);
    const b = wilsonInterval(7, 10);
    expect(a.lower).toBeCloseTo(1 - b.upper, 12);
    expect(wilsonInterval(10, 10).upper).toBe(1);
    expect(wilsonInterval(0, 10).lower).toBe(0);
  });

  it('knows nothing without trials', () => {
    expect(wilsonInterval(0, 0)).toEqual({ lower: 0, upper: 1 });
  });

  it('narrows as trials grow', () => {
    const small = wilsonInterval(2, 10);
    const large = wilsonInterval(200, 1000);
    expect(large.upper - large.lower).toBeLessThan(small.upper - small.lower);
  });
});
