import { type Kysely, sql } from 'kysely';
import type { RangeTotals, TimeRange } from './data-source.js';
import { ABANDONED_ERROR_CODE } from './data-source.js';

/**
 * Totals of the attempts started in `range`: one scan of the `created_at` index range.
 * `percentile_cont` runs the same on PostgreSQL 15 and PGlite.
 */
export async function selectRangeTotals(
  db: Kysely<unknown>,
  schema: string,
  range: TimeRange,
): Promise<RangeTotals> {
  const { rows } = await sql<RangeTotals>`
    SELECT
      count(*)::int AS started,
      (count(*) FILTER (WHERE status <> 'pending'))::int AS finished,
      (count(*) FILTER (WHERE status = 'failed'))::int AS failed,
      (count(*) FILTER (WHERE status = 'failed'
        AND (error_code = ${ABANDONED_ERROR_CODE} OR failure_kind = 'abandoned')))::int AS abandoned,
      (percentile_cont(0.95) WITHIN GROUP (ORDER BY duration_ms)
        FILTER (WHERE status <> 'pending' AND duration_ms IS NOT NULL))::float8 AS "p95DurationMs"
    FROM ${sql.table(`${schema}.trip_creation_attempts`)}
    WHERE created_at >= ${range.from.toISOString()}::timestamptz
      AND created_at < ${range.to.toISOString()}::timestamptz`.execute(db);
  const row = rows[0];
  return {
    started: row?.started ?? 0,
    finished: row?.finished ?? 0,
    failed: row?.failed ?? 0,
    abandoned: row?.abandoned ?? 0,
    p95DurationMs: row?.p95DurationMs ?? null,
  };
}
