import { type Kysely, sql } from 'kysely';
import type { ErrorCodeCounts, TimeRange } from './data-source.js';

/** Failed attempts per error code started in `range` (uses the (status, created_at) index). */
export async function selectErrorCodeCounts(
  db: Kysely<unknown>,
  schema: string,
  range: TimeRange,
): Promise<ErrorCodeCounts[]> {
  const { rows } = await sql<ErrorCodeCounts>`
    SELECT error_code AS "errorCode", count(*)::int AS failed
    FROM ${sql.table(`${schema}.trip_creation_attempts`)}
    WHERE status = 'failed'
      AND created_at >= ${range.from.toISOString()}::timestamptz
      AND created_at < ${range.to.toISOString()}::timestamptz
      AND error_code IS NOT NULL
    GROUP BY error_code
    ORDER BY error_code`.execute(db);
  return rows;
}
