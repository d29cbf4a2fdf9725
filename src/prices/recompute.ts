import { sql } from 'kysely';
import { type RollupResult, recomputeRollups } from '../rollups/index.js';
import type { Database } from '../storage/index.js';
import { costSql, priceJoin } from './cost-sql.js';

/** What `tripmeter prices recompute` changed. */
export interface RecomputeResult {
  /** Calls whose cost or price version changed. */
  calls: number;
  /** Attempts whose totals changed. */
  attempts: number;
  /** The ranged rollups recompute that followed (hours from the earliest repriced attempt on). */
  rollups: RollupResult & { hoursSkippedFinal: number };
}

/**
 * Reprices the stored calls that started on or after `from` (both schemas) with the current price
 * table, brings their attempts' totals in line, then recomputes the rollups of that range only:
 * from `from` (or the start of the earliest attempt repriced, which may begin before its call)
 * to now. Hours before it are not rewritten, and final hours (raw rows possibly purged) keep
 * what they summed. Run it after a price change; idempotent. Calls and attempts are updated in
 * one transaction per schema.
 */
export async function recomputeCosts(
  database: Database,
  options: { from: Date; now: Date },
): Promise<RecomputeResult> {
  const prices = `${database.schema}.model_prices`;
  let calls = 0;
  let attempts = 0;
  let earliest = options.from;
  for (const schema of [database.schema, database.adminSchema]) {
    const callsTable = sql.table(`${schema}.trip_creation_provider_calls`);
    const attemptsTable = sql.table(`${schema}.trip_creation_attempts`);
    await database.db.transaction().execute(async (trx) => {
      const changed = await sql<{ request_id: string }>`
        UPDATE ${callsTable} AS t SET cost_usd = n.cost_usd, price_version = n.price_version
        FROM (
          SELECT c.id, c.created_at, ${costSql('c')} AS cost_usd, price.version AS price_version
          FROM ${callsTable} AS c ${priceJoin(prices, 'c')}
          WHERE c.created_at >= ${options.from}
        ) AS n
        WHERE t.id = n.id AND t.created_at = n.created_at AND t.created_at >= ${options.from}
          AND (t.cost_usd IS DISTINCT FROM n.cost_usd OR t.price_version IS DISTINCT FROM n.price_version)
        RETURNING t.request_id`.execute(trx);
      calls += changed.rows.length;
      const ids = [...new Set(changed.rows.map((row) => row.request_id))];
      if (ids.length === 0) return;
      const updated = await sql<{ created_at: Date }>`
        UPDATE ${attemptsTable} AS a SET cost_usd = s.cost_usd, unpriced_calls = s.unpriced_calls
        FROM (
          SELECT c.request_id, sum(c.cost_usd) AS cost_usd,
            count(*) FILTER (WHERE c.cost_usd IS NULL)::integer AS unpriced_calls
          FROM ${callsTable} AS c WHERE c.request_id = ANY(${ids}::text[]) GROUP BY c.request_id
        ) AS s
        WHERE a.request_id = s.request_id AND a.request_id = ANY(${ids}::text[])
          AND (a.cost_usd IS DISTINCT FROM s.cost_usd OR a.unpriced_calls IS DISTINCT FROM s.unpriced_calls)
        RETURNING a.created_at`.execute(trx);
      attempts += updated.rows.length;
      for (const row of updated.rows)
        if (new Date(row.created_at) < earliest) earliest = new Date(row.created_at);
    });
  }
  const rollups = await recomputeRollups(database, { from: earliest, now: options.now });
  return { calls, attempts, rollups };
}
