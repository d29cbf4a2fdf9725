/** Optional dimension filters shared by every metric (exact matches). */
export interface MetricsFilter {
  provider?: string | undefined;
  model?: string | undefined;
  promptContractVersion?: string | undefined;
  source?: string | undefined;
  /** The app's create-trip flow (`classic`, `wizard`, …). */
  flow?: string | undefined;
}

/**
 * What every metric query takes: a half-open time range `[from, to)` and optional filters.
 *
 * @example
 * const query: MetricsQuery = { from: new Date('2026-11-18T00:00:00Z'), to: new Date('2026-11-25T00:00:00Z'), provider: 'openai' };
 */
export interface MetricsQuery extends MetricsFilter {
  from: Date;
  to: Date;
}

/** `numerator / denominator`, or `null` when there is nothing to divide. */
export function ratio(numerator: number, denominator: number): number | null {
  return denominator > 0 ? numerator / denominator : null;
}

/** Rounds a duration in ms to whole ms (histogram values are geometric bucket middles). */
export function roundMs(value: number | null | undefined): number | null {
  return value === null || value === undefined || !Number.isFinite(value) ? null : Math.round(value);
}
