import { sql } from 'kysely';
import { histogramSumSql } from './histogram.js';
import { GENERATION_ROLLUP_TABLES, recomputeGenerationDays } from './recompute-generation.js';
import type { AnyDb } from './sources.js';

/** Milliseconds of a UTC day. */
export const DAY_MS = 86_400_000;

const DIMENSIONS = sql.raw(
  'status, error_code, failure_kind, provider, model, prompt_contract_version, source, flow, signed_in',
);

/** The UTC days (midnight, ms) that hold the given instants, each once. */
export function daysOf(instants: Iterable<Date | number>): number[] {
  const days = new Set<number>();
  for (const t of instants) days.add(Math.floor(new Date(t).getTime() / DAY_MS) * DAY_MS);
  return [...days].sort((a, b) => a - b);
}

/**
 * Recomputes the daily attempt (and generation) rollups of whole UTC days from the hourly ones (never from raw
 * rows, so final days whose raw rows are purged come out the same) and stamps each day with the
 * current transaction id in `rollup_day_generations`, the key metric readers cache a day by. Runs
 * in the transaction that changed the hours, so readers never see a day's hours and its daily
 * row disagree for long (a reader that races a recompute only caches under the old generation).
 *
 * @example
 * await recomputeDays(trx, 'trip_tracking', [Date.parse('2026-11-24T00:00:00Z')]);
 */
export async function recomputeDays(db: AnyDb, schema: string, days: number[]): Promise<number> {
  if (days.length === 0) return 0;
  const list = days.map((d) => new Date(d).toISOString());
  const daily = sql.table(`${schema}.attempt_rollups_daily`);
  await sql`DELETE FROM ${daily} WHERE bucket = ANY(${list}::timestamptz[])`.execute(db);
  await sql`
    INSERT INTO ${daily} (bucket, ${DIMENSIONS}, attempts, duration_count, duration_sum_ms, duration_hist)
    SELECT d.day, ${DIMENSIONS}, sum(h.attempts)::integer, sum(h.duration_count)::integer,
      sum(h.duration_sum_ms)::bigint, ${sql.raw(histogramSumSql('h.duration_hist'))}::integer[]
    FROM unnest(${list}::timestamptz[]) AS d(day)
      JOIN ${sql.table(`${schema}.attempt_rollups_hourly`)} AS h
        ON h.bucket >= d.day AND h.bucket < d.day + interval '24 hours'
    GROUP BY d.day, ${DIMENSIONS}`.execute(db);
  await recomputeGenerationDays(db, schema, list);
  await sql`
    INSERT INTO ${sql.table(`${schema}.rollup_day_generations`)} AS g (day, generation)
    SELECT d.day, pg_current_xact_id()::text::bigint FROM unnest(${list}::timestamptz[]) AS d(day)
    ON CONFLICT (day) DO UPDATE SET generation = EXCLUDED.generation`.execute(db);
  return list.length;
}

/** Every day that has hourly or daily rollups (what a rebuild recomputes). */
export async function rolledUpDays(db: AnyDb, schema: string): Promise<number[]> {
  const generation = GENERATION_ROLLUP_TABLES.map(
    (table) =>
      sql`UNION SELECT DISTINCT date_trunc('day', bucket, 'UTC') FROM ${sql.table(`${schema}.${table}`)}`,
  );
  const { rows } = await sql<{ day: Date }>`
    SELECT DISTINCT date_trunc('day', bucket, 'UTC') AS day FROM ${sql.table(`${schema}.attempt_rollups_hourly`)}
    UNION SELECT bucket FROM ${sql.table(`${schema}.attempt_rollups_daily`)}
    ${sql.join(generation, sql` `)}`.execute(db);
  return daysOf(rows.map((row) => new Date(row.day)));
}
