import { sql } from 'kysely';
import type { Database } from '../storage/index.js';
import { filterSql, productTable } from './filter-sql.js';
import type { MetricsFilter } from './metrics-query.js';

/** `GET /v1/metrics/stuck`: attempts pending now for longer than twice the generation timeout. */
export interface Stuck {
  now: string;
  generationTimeoutMs: number;
  /** 2 × generationTimeoutMs: the origin's SLO says no attempt pends longer. */
  thresholdMs: number;
  stuck: number;
  /** Start of the oldest stuck attempt, ISO 8601 (null when none). */
  oldestStartedAt: string | null;
  oldestAgeMs: number | null;
  byModel: { provider: string; model: string; stuck: number }[];
  /** `true` when no attempt is stuck. */
  sloMet: boolean;
}

/**
 * Attempts still `pending` whose start is more than 2 × `generationTimeoutMs` before `now`
 * (raw rows: pending attempts are recent; the reconcile job later closes them as abandoned).
 * The dimension filters apply; the range does not (it is a figure of now).
 *
 * @example
 * const { stuck, sloMet } = await getStuck(database, {}, new Date(), 120_000);
 */
export async function getStuck(
  database: Database,
  filter: MetricsFilter,
  now: Date,
  generationTimeoutMs: number,
): Promise<Stuck> {
  const thresholdMs = 2 * generationTimeoutMs;
  const cutoff = new Date(now.getTime() - thresholdMs).toISOString();
  const { rows } = await sql<{ provider: string; model: string; n: number; oldest: Date }>`
    SELECT coalesce(a.provider, '') AS provider, coalesce(a.model, '') AS model, count(*)::integer AS n,
      min(a.created_at) AS oldest
    FROM ${productTable(database.schema, 'trip_creation_attempts')} AS a
    WHERE a.status = 'pending' AND a.created_at < ${cutoff}::timestamptz${filterSql(filter, 'a')}
    GROUP BY 1, 2 ORDER BY 3 DESC, 1, 2`.execute(database.db);
  const stuck = rows.reduce((n, r) => n + r.n, 0);
  const oldest = rows.reduce<number | null>((m, r) => {
    const t = new Date(r.oldest).getTime();
    return m === null || t < m ? t : m;
  }, null);
  return {
    now: now.toISOString(),
    generationTimeoutMs,
    thresholdMs,
    stuck,
    oldestStartedAt: oldest === null ? null : new Date(oldest).toISOString(),
    oldestAgeMs: oldest === null ? null : now.getTime() - oldest,
    byModel: rows.map((r) => ({ provider: r.provider, model: r.model, stuck: r.n })),
    sloMet: stuck === 0,
  };
}
