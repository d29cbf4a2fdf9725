/**
 * Fixed log-scale duration histogram. Bucket 0 holds 0 ms; bucket i ≥ 1 holds durations in
 * [GROWTH^(i-1), GROWTH^i) ms. With GROWTH = 1.08 the geometric middle of a bucket is within
 * √1.08 − 1 ≈ 3.9 % of any value in it, so a percentile read from the histogram is within ±5 %
 * of the exact one. 282 buckets cover every `integer` duration (up to 2^31 ms ≈ 24.8 days).
 * The same formula runs in SQL (see {@link bucketIndexSql}), so rollups built by the database
 * and by code agree.
 */
export const HISTOGRAM_GROWTH = 1.08;

/** Number of buckets in every stored histogram. */
export const HISTOGRAM_BUCKETS = 282;

/** A histogram: `HISTOGRAM_BUCKETS` counts. */
export type Histogram = number[];

const LN_GROWTH = Math.log(HISTOGRAM_GROWTH);

/** An all-zero histogram. */
export function emptyHistogram(): Histogram {
  return new Array<number>(HISTOGRAM_BUCKETS).fill(0);
}

/**
 * The bucket of a duration in ms (negative and non-finite values count as 0).
 *
 * @example
 * bucketIndex(0); // 0
 * bucketIndex(1000); // 90
 */
export function bucketIndex(durationMs: number): number {
  if (!(durationMs >= 1)) return 0;
  return Math.min(HISTOGRAM_BUCKETS - 1, 1 + Math.floor(Math.log(durationMs) / LN_GROWTH));
}

/** The SQL expression of {@link bucketIndex} over an integer column (NULL stays NULL). */
export function bucketIndexSql(column: string): string {
  return `CASE WHEN ${column} IS NULL THEN NULL WHEN ${column} < 1 THEN 0 ELSE least(${HISTOGRAM_BUCKETS - 1}, 1 + floor(ln(${column}::float8) / ln(${HISTOGRAM_GROWTH}))::integer) END`;
}

/**
 * The SQL aggregate that sums an `integer[]` histogram column bucket by bucket over the rows of a
 * group, as a `float8[]` of {@link HISTOGRAM_BUCKETS} counts.
 *
 * @example
 * sql`SELECT ${sql.raw(histogramSumSql('r.duration_hist'))} FROM … GROUP BY …`;
 */
export function histogramSumSql(column: string): string {
  const cells = Array.from({ length: HISTOGRAM_BUCKETS }, (_, i) => `coalesce(sum(${column}[${i + 1}]), 0)`);
  return `ARRAY[${cells.join(', ')}]::float8[]`;
}

/** The representative value of a bucket: the geometric middle of its bounds (0 for bucket 0). */
export function bucketValue(index: number): number {
  if (index <= 0) return 0;
  return HISTOGRAM_GROWTH ** (index - 0.5);
}

/** Builds a histogram from durations in ms. */
export function histogramOf(durations: Iterable<number>): Histogram {
  const hist = emptyHistogram();
  for (const d of durations) hist[bucketIndex(d)]! += 1;
  return hist;
}

/** Adds histograms bucket by bucket (shorter ones count as zero-padded). */
export function mergeHistograms(histograms: Iterable<readonly number[]>): Histogram {
  const merged = emptyHistogram();
  for (const hist of histograms) {
    for (let i = 0; i < Math.min(hist.length, HISTOGRAM_BUCKETS); i++) merged[i]! += hist[i] ?? 0;
  }
  return merged;
}

/**
 * The `p`-quantile (0 < p ≤ 1, nearest rank) read from a histogram, or `undefined` when it is
 * empty. Within ±5 % of the exact nearest-rank percentile of the durations it counts.
 *
 * @example
 * percentileOf(histogramOf([100, 200, 300]), 0.5); // ≈ 200
 */
export function percentileOf(hist: readonly number[], p: number): number | undefined {
  const total = hist.reduce((a, b) => a + b, 0);
  if (total === 0) return undefined;
  const rank = Math.max(1, Math.ceil(Math.min(1, Math.max(0, p)) * total));
  let seen = 0;
  for (let i = 0; i < hist.length; i++) {
    seen += hist[i] ?? 0;
    if (seen >= rank) return bucketValue(i);
  }
  return bucketValue(hist.length - 1);
}
