import { sql } from 'kysely';
import { CTA_EVENT_NAMES, FUNNEL_WINDOW_MINUTES } from '../rollups/index.js';
import type { Database } from '../storage/index.js';
import { filterSql, hasFilter, productTable, tableExists } from './filter-sql.js';
import { type MetricsQuery, ratio } from './metrics-query.js';
import { PURGED_BY_RETENTION, rawRowsPurged, type Unavailable } from './purged-range.js';
import { readCoverage } from './range-plan.js';

/** One step of the funnel; `conversion` is from the previous step. */
export interface FunnelStep {
  name: 'cta_click' | 'attempted' | 'succeeded';
  count: number | null;
  conversion: number | null;
}

/** CTA click → attempted → succeeded, joined by anonymous session within a window. */
export interface Funnel {
  windowMinutes: number;
  /** `false` while the client events table does not exist: the funnel starts at attempts. */
  clientEventsAvailable: boolean;
  steps: FunnelStep[];
  /** Clicks that led to a successful attempt within the window, per click. */
  overallConversion: number | null;
  /** From the click to the end of its first successful attempt, seconds. */
  timeToConvertSeconds: { p50: number | null; p95: number | null };
  /** Part of the range answered from hourly rollups (raw rows purged): step counts estimated. */
  estimated: boolean;
  /** Figures that are `null` because they cannot be known, with the reason; `{}` otherwise. */
  unavailable: Unavailable;
}

/** An attempt up to one minute before its click still counts (browser and server clocks differ). */
const SKEW = "interval '1 minute'";

async function clickFunnel(database: Database, query: MetricsQuery, windowMinutes: number) {
  const attempts = productTable(database.schema, 'trip_creation_attempts');
  const window = sql`${`${windowMinutes} minutes`}::interval`;
  const match = sql`a.anon_session_id = k.anon_session_id AND a.created_at >= k.created_at - ${sql.raw(SKEW)}
    AND a.created_at < k.created_at + ${window}${filterSql(query, 'a')}`;
  const { rows } = await sql<{
    clicks: number;
    attempted: number;
    succeeded: number;
    p50: number | null;
    p95: number | null;
  }>`
    WITH m AS (
      SELECT k.created_at AS clicked_at,
        EXISTS (SELECT 1 FROM ${attempts} AS a WHERE ${match}) AS attempted,
        (SELECT min(a.created_at + coalesce(a.duration_ms, 0) * interval '1 millisecond') FROM ${attempts} AS a
          WHERE ${match} AND a.status = 'success') AS succeeded_at
      FROM ${productTable(database.schema, 'trip_creation_client_events')} AS k
      WHERE k.name = ANY(${CTA_EVENT_NAMES}::text[])
        AND k.created_at >= ${query.from.toISOString()}::timestamptz AND k.created_at < ${query.to.toISOString()}::timestamptz
    )
    SELECT count(*)::integer AS clicks, count(*) FILTER (WHERE attempted)::integer AS attempted,
      count(succeeded_at)::integer AS succeeded,
      percentile_cont(0.5) WITHIN GROUP (ORDER BY greatest(0, extract(epoch FROM succeeded_at - clicked_at)))
        FILTER (WHERE succeeded_at IS NOT NULL) AS p50,
      percentile_cont(0.95) WITHIN GROUP (ORDER BY greatest(0, extract(epoch FROM succeeded_at - clicked_at)))
        FILTER (WHERE succeeded_at IS NOT NULL) AS p95
    FROM m`.execute(database.db);
  return rows[0]!;
}

async function attemptCounts(database: Database, query: MetricsQuery) {
  const { rows } = await sql<{ attempts: number; succeeded: number }>`
    SELECT count(*)::integer AS attempts, count(*) FILTER (WHERE a.status = 'success')::integer AS succeeded
    FROM ${productTable(database.schema, 'trip_creation_attempts')} AS a
    WHERE a.created_at >= ${query.from.toISOString()}::timestamptz AND a.created_at < ${query.to.toISOString()}::timestamptz${filterSql(query, 'a')}`.execute(
    database.db,
  );
  return rows[0]!;
}

async function rolledUpFunnel(database: Database, from: Date, to: Date) {
  const { rows } = await sql<{ clicks: number; converted: number; attempts: number; succeeded: number }>`
    SELECT coalesce(sum(cta_clicks), 0)::integer AS clicks, coalesce(sum(cta_to_attempt), 0)::integer AS converted,
      coalesce(sum(attempts), 0)::integer AS attempts, coalesce(sum(attempt_to_success), 0)::integer AS succeeded
    FROM ${productTable(database.schema, 'funnel_rollups_hourly')}
    WHERE bucket >= ${from.toISOString()}::timestamptz AND bucket < ${to.toISOString()}::timestamptz`.execute(
    database.db,
  );
  return rows[0]!;
}

/** Why filtered step counts are unknown once raw rows of the range are gone. */
const UNFILTERABLE = `${PURGED_BY_RETENTION}; the funnel rollups hold no provider, model, version, source or flow`;

/**
 * The funnel of `[from, to)`: CTA clicks of both flows (`create_trip__cta--generate`,
 * `create_trip_wizard__cta--generate`), those followed by an
 * attempt of the same anonymous session within `windowMinutes` (from one minute before the
 * click), and those followed by a successful attempt; per-step and overall conversion; time
 * to convert. Provider/model filters apply to the attempts. Hours whose raw rows were purged
 * come from the funnel rollups (successes per click estimated from the attempt success rate);
 * what those cannot hold is `null` and listed in `unavailable`: the time to convert, and with a
 * filter the attempted and succeeded steps.
 *
 * @example
 * const funnel = await getFunnel(database, { from, to });
 * funnel.overallConversion; // 0.41
 */
export async function getFunnel(
  database: Database,
  query: MetricsQuery,
  windowMinutes = FUNNEL_WINDOW_MINUTES,
): Promise<Funnel> {
  const available = await tableExists(database.db, database.schema, 'trip_creation_client_events');
  const coverage = await readCoverage(database);
  const { finalizedThrough } = coverage;
  const purgedUntil =
    finalizedThrough && query.from < finalizedThrough
      ? new Date(Math.min(finalizedThrough.getTime(), query.to.getTime()))
      : undefined;
  const rawQuery = purgedUntil ? { ...query, from: purgedUntil } : query;
  const old = purgedUntil ? await rolledUpFunnel(database, query.from, purgedUntil) : undefined;
  // The funnel rollups are not split by provider, model, version, source or flow: with a filter, the
  // purged hours' attempts cannot be counted (unless the attempt rollups say there were none).
  const unfilterable = hasFilter(query) && (await rawRowsPurged(database, query, coverage));
  const oldSucceeded = old ? Math.round(old.converted * (ratio(old.succeeded, old.attempts) ?? 0)) : 0;
  if (!available) {
    const raw = await attemptCounts(database, rawQuery);
    const attempted = unfilterable ? null : raw.attempts + (old?.attempts ?? 0);
    const succeeded = unfilterable ? null : raw.succeeded + (old?.succeeded ?? 0);
    return {
      windowMinutes,
      clientEventsAvailable: false,
      steps: [
        { name: 'cta_click', count: null, conversion: null },
        { name: 'attempted', count: attempted, conversion: null },
        { name: 'succeeded', count: succeeded, conversion: ratioOf(succeeded, attempted) },
      ],
      overallConversion: null,
      timeToConvertSeconds: { p50: null, p95: null },
      estimated: old !== undefined,
      unavailable: unfilterable ? { 'steps.attempted': UNFILTERABLE, 'steps.succeeded': UNFILTERABLE } : {},
    };
  }
  const raw = await clickFunnel(database, rawQuery, windowMinutes);
  const clicks = raw.clicks + (old?.clicks ?? 0);
  const attempted = unfilterable ? null : raw.attempted + (old?.converted ?? 0);
  const succeeded = unfilterable ? null : raw.succeeded + oldSucceeded;
  // Conversion times need the click and attempt rows: purged clicks leave them unknown.
  const timesLost = old !== undefined && old.clicks > 0;
  const unavailable: Unavailable = {};
  if (unfilterable)
    for (const figure of ['steps.attempted', 'steps.succeeded', 'overallConversion'])
      unavailable[figure] = UNFILTERABLE;
  if (timesLost) unavailable.timeToConvertSeconds = PURGED_BY_RETENTION;
  const seconds = (value: number | null) =>
    value === null || timesLost ? null : Math.round(Number(value) * 10) / 10;
  return {
    windowMinutes,
    clientEventsAvailable: true,
    steps: [
      { name: 'cta_click', count: clicks, conversion: null },
      { name: 'attempted', count: attempted, conversion: ratioOf(attempted, clicks) },
      { name: 'succeeded', count: succeeded, conversion: ratioOf(succeeded, attempted) },
    ],
    overallConversion: ratioOf(succeeded, clicks),
    timeToConvertSeconds: { p50: seconds(raw.p50), p95: seconds(raw.p95) },
    estimated: old !== undefined && old.clicks > 0,
    unavailable,
  };
}

/** {@link ratio} of figures that may be unknown. */
const ratioOf = (numerator: number | null, denominator: number | null) =>
  numerator === null || denominator === null ? null : ratio(numerator, denominator);
