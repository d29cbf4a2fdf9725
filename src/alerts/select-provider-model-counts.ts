import { type Kysely, sql } from 'kysely';
import type { ProviderModelCounts, TimeRange } from './data-source.js';

/** Finished and failed attempts per provider/model pair started in `range`. */
export async function selectProviderModelCounts(
  db: Kysely<unknown>,
  schema: string,
  range: TimeRange,
): Promise<ProviderModelCounts[]> {
  const { rows } = await sql<ProviderModelCounts>`
    SELECT provider, model,
      count(*)::int AS finished,
      (count(*) FILTER (WHERE status = 'failed'))::int AS failed
    FROM ${sql.table(`${schema}.trip_creation_attempts`)}
    WHERE created_at >= ${range.from.toISOString()}::timestamptz
      AND created_at < ${range.to.toISOString()}::timestamptz
      AND status <> 'pending'
    GROUP BY provider, model
    ORDER BY provider NULLS FIRST, model NULLS FIRST`.execute(db);
  return rows;
}
