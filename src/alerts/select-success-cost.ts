import { type Kysely, sql } from 'kysely';
import type { CostTotals, TimeRange } from './data-source.js';

/**
 * The cost of the successful attempts started in `range` whose every call was priced (an
 * attempt with an unpriced call would pull the mean down, so it is left out), from the
 * attempt's own totals (no join).
 */
export async function selectSuccessCost(
  db: Kysely<unknown>,
  schema: string,
  range: TimeRange,
): Promise<CostTotals> {
  const { rows } = await sql<CostTotals>`
    SELECT count(*)::int AS priced, coalesce(sum(cost_usd), 0)::float8 AS "costUsd"
    FROM ${sql.table(`${schema}.trip_creation_attempts`)}
    WHERE status = 'success' AND cost_usd IS NOT NULL AND coalesce(unpriced_calls, 0) = 0
      AND created_at >= ${range.from.toISOString()}::timestamptz
      AND created_at < ${range.to.toISOString()}::timestamptz`.execute(db);
  return { priced: rows[0]?.priced ?? 0, costUsd: rows[0]?.costUsd ?? 0 };
}
