import { sql } from 'kysely';
import type { Database } from '../storage/index.js';
import { bucketIndexSql, HISTOGRAM_BUCKETS } from './histogram.js';
import { daysOf, recomputeDays } from './recompute-days.js';
import { recomputeGenerationHours } from './recompute-generation.js';
import { type AnyDb, CTA_EVENT_NAMES, existingSources, FUNNEL_WINDOW_MINUTES } from './sources.js';

/**
 * Recomputes whole hours of every hourly rollup (attempts, funnel, and the generation rollups of
 * calls, phases and attempt figures) from the raw rows: deletes the hours' rollup rows and
 * inserts fresh aggregates, so running it twice gives the same result. Hours before
 * `finalizedThrough` are skipped (their raw rows may be gone). Then re-derives the daily rollups
 * of the days holding those hours, plus `alsoDays` (a rebuild passes every rolled-up day).
 * Returns the hours recomputed.
 */
export async function recomputeHours(
  db: AnyDb,
  database: Database,
  hours: Date[],
  finalizedThrough: Date | null,
  alsoDays: number[] = [],
): Promise<number> {
  const floor = finalizedThrough?.getTime() ?? Number.NEGATIVE_INFINITY;
  const times = [...new Set(hours.map((h) => Math.floor(h.getTime() / 3_600_000) * 3_600_000))].filter(
    (t) => t >= floor,
  );
  const list = times.map((t) => new Date(t).toISOString());
  if (list.length > 0) {
    const sources = await existingSources(db, database.schema);
    await recomputeAttempts(db, database.schema, list);
    await recomputeFunnel(db, database.schema, list, sources.includes('trip_creation_client_events'));
    await recomputeGenerationHours(db, database.schema, list);
  }
  await recomputeDays(db, database.schema, daysOf([...times, ...alsoDays]));
  return list.length;
}

async function recomputeAttempts(db: AnyDb, schema: string, hours: string[]): Promise<void> {
  const rollups = sql.table(`${schema}.attempt_rollups_hourly`);
  await sql`DELETE FROM ${rollups} WHERE bucket = ANY(${hours}::timestamptz[])`.execute(db);
  await sql`
    WITH hours AS (SELECT h FROM unnest(${hours}::timestamptz[]) AS h),
    base AS (
      SELECT hours.h AS bucket, a.status, coalesce(a.error_code, '') AS error_code,
        coalesce(a.failure_kind, '') AS failure_kind, coalesce(a.provider, '') AS provider,
        coalesce(a.model, '') AS model, a.prompt_contract_version, coalesce(a.source, '') AS source,
        coalesce(a.flow, '') AS flow, a.user_id IS NOT NULL AS signed_in, a.duration_ms,
        ${sql.raw(bucketIndexSql('a.duration_ms'))} AS idx
      FROM hours JOIN ${sql.table(`${schema}.trip_creation_attempts`)} AS a
        ON a.created_at >= hours.h AND a.created_at < hours.h + interval '1 hour'
    ),
    by_idx AS (
      SELECT bucket, status, error_code, failure_kind, provider, model, prompt_contract_version, source,
        flow, signed_in, idx, count(*) AS n, count(duration_ms) AS c, sum(duration_ms) AS s
      FROM base GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11
    ),
    grouped AS (
      SELECT bucket, status, error_code, failure_kind, provider, model, prompt_contract_version, source,
        flow, signed_in, sum(n)::integer AS attempts, sum(c)::integer AS duration_count,
        coalesce(sum(s), 0)::bigint AS duration_sum_ms,
        coalesce(jsonb_object_agg(idx::text, c) FILTER (WHERE idx IS NOT NULL), '{}'::jsonb) AS m
      FROM by_idx GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9, 10
    )
    INSERT INTO ${rollups} (bucket, status, error_code, failure_kind, provider, model, prompt_contract_version,
      source, flow, signed_in, attempts, duration_count, duration_sum_ms, duration_hist)
    SELECT bucket, status, error_code, failure_kind, provider, model, prompt_contract_version, source,
      flow, signed_in, attempts, duration_count, duration_sum_ms,
      ARRAY(SELECT coalesce((m ->> i::text)::integer, 0)
            FROM generate_series(0, ${sql.lit(HISTOGRAM_BUCKETS - 1)}) AS i ORDER BY i)
    FROM grouped`.execute(db);
}

async function recomputeFunnel(db: AnyDb, schema: string, hours: string[], withClient: boolean) {
  const funnel = sql.table(`${schema}.funnel_rollups_hourly`);
  const attempts = sql.table(`${schema}.trip_creation_attempts`);
  const cta = withClient
    ? sql`SELECT hours.h AS bucket, count(*)::integer AS clicks,
          count(*) FILTER (WHERE EXISTS (
            SELECT 1 FROM ${attempts} AS a WHERE a.anon_session_id = c.anon_session_id
              AND a.created_at >= c.created_at - interval '1 minute'
              AND a.created_at < c.created_at + ${sql.lit(`${FUNNEL_WINDOW_MINUTES} minutes`)}::interval
          ))::integer AS converted
        FROM hours JOIN ${sql.table(`${schema}.trip_creation_client_events`)} AS c
          ON c.created_at >= hours.h AND c.created_at < hours.h + interval '1 hour'
        WHERE c.name = ANY(${CTA_EVENT_NAMES}::text[])
        GROUP BY 1`
    : sql`SELECT NULL::timestamptz AS bucket, 0 AS clicks, 0 AS converted WHERE false`;
  await sql`DELETE FROM ${funnel} WHERE bucket = ANY(${hours}::timestamptz[])`.execute(db);
  await sql`
    WITH hours AS (SELECT h FROM unnest(${hours}::timestamptz[]) AS h),
    att AS (
      SELECT hours.h AS bucket, count(*)::integer AS attempts,
        count(*) FILTER (WHERE a.status = 'success')::integer AS succeeded
      FROM hours JOIN ${attempts} AS a ON a.created_at >= hours.h AND a.created_at < hours.h + interval '1 hour'
      GROUP BY 1
    ),
    ok AS (
      SELECT hours.h AS bucket, count(*)::integer AS successes
      FROM hours JOIN ${sql.table(`${schema}.trip_creation_events`)} AS e
        ON e.created_at >= hours.h AND e.created_at < hours.h + interval '1 hour'
      WHERE e.event_type = 'create_trip_succeeded'
      GROUP BY 1
    ),
    cta AS (${cta})
    INSERT INTO ${funnel} (bucket, cta_clicks, attempts, successes, cta_to_attempt, attempt_to_success,
      client_events_available)
    SELECT hours.h, coalesce(cta.clicks, 0), coalesce(att.attempts, 0), coalesce(ok.successes, 0),
      coalesce(cta.converted, 0), coalesce(att.succeeded, 0), ${withClient}
    FROM hours
      LEFT JOIN att ON att.bucket = hours.h
      LEFT JOIN ok ON ok.bucket = hours.h
      LEFT JOIN cta ON cta.bucket = hours.h
    WHERE att.bucket IS NOT NULL OR ok.bucket IS NOT NULL OR cta.bucket IS NOT NULL`.execute(db);
}
