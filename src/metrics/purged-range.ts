import { sql } from 'kysely';
import type { Database } from '../storage/index.js';
import { filterSql, productTable } from './filter-sql.js';
import type { MetricsQuery } from './metrics-query.js';
import type { RollupCoverage } from './range-plan.js';

/** Why a figure that needs raw rows is unknown for a range retention has reached. */
export const PURGED_BY_RETENTION = 'raw rows purged by retention';

/**
 * The figures of an answer that cannot be known, by their path in the answer
 * (`sessions.anonSessions`), each with the reason; `{}` when every figure is known. A figure
 * listed here is `null` in the answer: unknown, never a false 0.
 */
export type Unavailable = Record<string, string>;

const HOUR_MS = 3_600_000;

/**
 * Whether retention may have deleted raw rows that `query` (filters included) would count: some
 * hour of the range before `finalized_through` holds attempts in the hourly rollups. Figures read
 * from raw rows only (anonymous sessions, retries, time to convert) are unknown then; rollup
 * figures (counts, rates, percentiles) are not. A range that starts after `finalized_through`,
 * or whose finalized hours held nothing, costs no query or reads one index range.
 *
 * @example
 * if (await rawRowsPurged(database, query, await readCoverage(database))) stats = unknown;
 */
export async function rawRowsPurged(
  database: Database,
  query: MetricsQuery,
  coverage: RollupCoverage,
): Promise<boolean> {
  const finalized = coverage.finalizedThrough;
  if (finalized === null || query.from >= finalized) return false;
  const end = new Date(Math.min(finalized.getTime(), query.to.getTime()));
  // Hour buckets overlapping [from, end): the one holding `from` starts less than an hour before it.
  const { rows } = await sql<{ held: boolean }>`
    SELECT EXISTS (
      SELECT 1 FROM ${productTable(database.schema, 'attempt_rollups_hourly')} AS r
      WHERE r.bucket > ${new Date(query.from.getTime() - HOUR_MS).toISOString()}::timestamptz
        AND r.bucket < ${end.toISOString()}::timestamptz AND r.attempts > 0${filterSql(query, 'r')}
    ) AS held`.execute(database.db);
  return rows[0]?.held === true;
}
