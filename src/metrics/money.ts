import { usdText } from '../domain/index.js';
import { percentileOf } from '../rollups/index.js';

/** Pico-USD as a JS number of USD (for display; the exact figure is `usdText`). */
export function usd(pico: bigint): number {
  return Number(usdText(pico));
}

/** `pico / count` in USD, or `null` when `count` is 0. */
export function usdPer(pico: bigint, count: bigint | number): number | null {
  const n = BigInt(count);
  return n > 0n ? usd(pico / n) : null;
}

/**
 * A quantile of a cost histogram (its buckets count micro-USD, see migration 0013) in USD,
 * within ±5 % like every rollup percentile; `null` when empty.
 */
export function costQuantile(hist: readonly number[] | undefined, p: number): number | null {
  const micro = hist ? percentileOf(hist, p) : undefined;
  return micro === undefined ? null : Math.round(micro) / 1_000_000;
}

/** A bigint count as a number (counts and token sums stay far below 2^53). */
export const num = (value: bigint | undefined): number => Number(value ?? 0n);
