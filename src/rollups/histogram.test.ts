import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  bucketIndex,
  emptyHistogram,
  HISTOGRAM_BUCKETS,
  histogramOf,
  mergeHistograms,
  percentileOf,
} from './histogram.js';

/** Exact nearest-rank percentile. */
function exact(sorted: number[], p: number): number {
  return sorted[Math.max(1, Math.ceil(p * sorted.length)) - 1]!;
}

/** A log-normal sample in whole ms (durations are stored as integers), from a seeded PRNG. */
function logNormal(seed: number, n: number, mu: number, sigma: number): number[] {
  let state = seed >>> 0 || 1;
  const uniform = () => {
    state = (Math.imul(state, 1_664_525) + 1_013_904_223) >>> 0;
    return (state + 0.5) / 2 ** 32;
  };
  return Array.from({ length: n }, () => {
    const z = Math.sqrt(-2 * Math.log(uniform())) * Math.cos(2 * Math.PI * uniform());
    return Math.max(1, Math.round(Math.exp(mu + sigma * z)));
  });
}

describe('duration histogram', () => {
  it('has fixed buckets covering every integer duration', () => {
    expect(bucketIndex(0)).toBe(0);
    expect(bucketIndex(-5)).toBe(0);
    expect(bucketIndex(1)).toBe(1);
    expect(bucketIndex(2 ** 31 - 1)).toBeLessThan(HISTOGRAM_BUCKETS);
    expect(emptyHistogram()).toHaveLength(HISTOGRAM_BUCKETS);
  });

  it('reads p50/p95/p99 within ±5% of the exact percentiles of log-normal samples', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 2 ** 31 - 1 }),
        fc.integer({ min: 50, max: 5_000 }),
        fc.double({ min: 4, max: 11, noNaN: true }), // median 55 ms … 60 s
        fc.double({ min: 0.1, max: 1.5, noNaN: true }),
        (seed, n, mu, sigma) => {
          const sample = logNormal(seed, n, mu, sigma);
          const sorted = [...sample].sort((a, b) => a - b);
          const hist = histogramOf(sample);
          for (const p of [0.5, 0.95, 0.99]) {
            const want = exact(sorted, p);
            const got = percentileOf(hist, p)!;
            expect(Math.abs(got - want) / want).toBeLessThanOrEqual(0.05);
          }
        },
      ),
      { numRuns: 200 },
    );
  });

  it('merging histograms equals the histogram of the union', () => {
    const a = logNormal(1, 1000, 8, 0.6);
    const b = logNormal(2, 700, 9, 0.9);
    expect(mergeHistograms([histogramOf(a), histogramOf(b)])).toEqual(histogramOf([...a, ...b]));
    expect(mergeHistograms([[1, 2], [3]]).slice(0, 3)).toEqual([4, 2, 0]);
  });

  it('says nothing about an empty histogram', () => {
    expect(percentileOf(emptyHistogram(), 0.5)).toBeUndefined();
  });
});
