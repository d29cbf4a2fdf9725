import type { Database } from '../storage/index.js';
import { collectAttempts } from './collect-attempts.js';
import { type MetricsQuery, ratio, roundMs } from './metrics-query.js';
import { planRange, readCoverage } from './range-plan.js';

/** Bucket width of a time series (UTC). */
export type Bucket = 'hour' | 'day';

/** One point of the series; empty buckets are present with 0 attempts. */
export interface TimeseriesPoint {
  /** Start of the bucket, ISO 8601 UTC. */
  t: string;
  attempts: number;
  failed: number;
  successRate: number | null;
  p95Ms: number | null;
}

/** A time series over a range. */
export interface Timeseries {
  bucket: Bucket;
  points: TimeseriesPoint[];
  exact: boolean;
}

const WIDTH: Record<Bucket, number> = { hour: 3_600_000, day: 86_400_000 };

/** The bucket a range gets when none is asked for: hours up to 3 days, days beyond. */
export function defaultBucket(from: Date, to: Date): Bucket {
  return to.getTime() - from.getTime() <= 3 * WIDTH.day ? 'hour' : 'day';
}

/**
 * Attempts, success rate and p95 duration per hour or day (UTC buckets) of `[from, to)`.
 *
 * @example
 * const { points } = await getTimeseries(database, { from, to }, 'hour');
 */
export async function getTimeseries(
  database: Database,
  query: MetricsQuery,
  bucket: Bucket,
): Promise<Timeseries> {
  const plan = planRange(query.from, query.to, await readCoverage(database));
  const { groups, exact } = await collectAttempts(database, {
    grouping: bucket,
    filter: query,
    plan,
    percentiles: true,
  });
  const byStart = new Map(groups.map((g) => [g.key[0], g]));
  const width = WIDTH[bucket];
  const points: TimeseriesPoint[] = [];
  for (let t = Math.floor(query.from.getTime() / width) * width; t < query.to.getTime(); t += width) {
    const t0 = new Date(t).toISOString().replace('.000Z', 'Z');
    const g = byStart.get(t0);
    points.push({
      t: t0,
      attempts: g?.attempts ?? 0,
      failed: g?.failed ?? 0,
      successRate: g ? ratio(g.succeeded, g.succeeded + g.failed) : null,
      p95Ms: roundMs(g?.percentiles?.p95),
    });
  }
  return { bucket, points, exact };
}
