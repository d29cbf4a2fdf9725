/** z for a two-sided 95% interval (the 97.5th percentile of the standard normal). */
export const Z_95 = 1.959963984540054;

/** A proportion's confidence interval, both bounds in [0, 1]. */
export interface Interval {
  lower: number;
  upper: number;
}

/**
 * The Wilson score interval of `successes` out of `trials` (default 95%). Unlike the normal
 * approximation it stays inside [0, 1] and behaves at small counts, which is what a low-traffic
 * flow has at night. With no trials it is the whole range [0, 1] (nothing is known).
 *
 * @example
 * wilsonInterval(81, 263); // { lower: 0.2553, upper: 0.3662 } (Newcombe 1998)
 */
export function wilsonInterval(successes: number, trials: number, z = Z_95): Interval {
  if (trials <= 0) return { lower: 0, upper: 1 };
  const p = Math.min(1, Math.max(0, successes / trials));
  const z2 = z * z;
  const denominator = 1 + z2 / trials;
  const centre = (p + z2 / (2 * trials)) / denominator;
  const half = (z * Math.sqrt((p * (1 - p)) / trials + z2 / (4 * trials * trials))) / denominator;
  return {
    lower: p === 0 ? 0 : Math.max(0, centre - half),
    upper: p === 1 ? 1 : Math.min(1, centre + half),
  };
}
