/** Default buckets of database latency, in seconds (1 ms … 10 s). */
export const LATENCY_BUCKETS = [
  0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10,
] as const;

/**
 * A cumulative histogram of durations in seconds, as Prometheus exposes it (`_bucket{le}`,
 * `_sum`, `_count`). Fixed memory: one counter per bucket.
 *
 * @example
 * const h = new Histogram(); h.observe(0.004); h.snapshot().counts; // per-bucket, not cumulative
 */
export class Histogram {
  private readonly counts: number[];
  private sum = 0;
  private count = 0;

  constructor(readonly buckets: readonly number[] = LATENCY_BUCKETS) {
    this.counts = buckets.map(() => 0);
  }

  /** Records one duration in seconds. */
  observe(seconds: number): void {
    const index = this.buckets.findIndex((le) => seconds <= le);
    if (index >= 0) this.counts[index]!++;
    this.sum += seconds;
    this.count++;
  }

  /** A copy of the state: counts per bucket (not cumulative), the sum and the total count. */
  snapshot(): { buckets: readonly number[]; counts: number[]; sum: number; count: number } {
    return { buckets: this.buckets, counts: [...this.counts], sum: this.sum, count: this.count };
  }
}
