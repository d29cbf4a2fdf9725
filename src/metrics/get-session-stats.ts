import { sql } from 'kysely';
import type { Database } from '../storage/index.js';
import { DatabaseCache } from './database-cache.js';
import { filterSql, productTable } from './filter-sql.js';
import { type MetricsQuery, ratio } from './metrics-query.js';
import { SHORT_RANGE_MS } from './range-plan.js';
import { dayGenerations } from './rollup-day-cache.js';

/**
 * Anonymous-session metrics of a range (raw rows only: rollups hold no identifiers). `null` in
 * every field when retention deleted raw rows of the range (see `Summary.unavailable`).
 */
export interface SessionStats {
  /** Distinct anonymous sessions with at least one attempt in the range. */
  anonSessions: number | null;
  /** Attempts carrying an anonymous session id, per such session. */
  attemptsPerAnonSession: number | null;
  /** Share of those sessions linked to a user at login (an `identity_links` row, outcome `linked`). */
  linkedShare: number | null;
  /**
   * Fraction of sessions read: 1, or 1/16, 1/256 … for large ranges, where whole sessions are
   * sampled by the first hex digits of their (random) id. Ratios stay unbiased; `anonSessions`
   * is scaled back up.
   */
  sampled: number;
}

/** How long a long range's session figures are reused while its days' rollups are unchanged. */
export const SESSION_CACHE_TTL_MS = 60_000;
const cache = new DatabaseCache<{ token: string; at: number; stats: SessionStats }>(1_000);

/**
 * {@link getSessionStats} for ranges the summary answers from rollups (longer than 48 h):
 * reused, per process, while the rollup generations of the range's days are unchanged (a late
 * write shows once the minute job has rolled it up, as in the other figures) and for at most
 * {@link SESSION_CACHE_TTL_MS} (a new link changes no rollup). Shorter ranges are read every time.
 */
export async function getSessionStatsCached(
  database: Database,
  query: MetricsQuery,
  expectedAttempts: number,
): Promise<SessionStats> {
  if (query.to.getTime() - query.from.getTime() <= SHORT_RANGE_MS) {
    return getSessionStats(database, query, expectedAttempts);
  }
  const key = JSON.stringify([database.schema, query, samplePrefixes(expectedAttempts)]);
  const generations = await dayGenerations(database, query.from, query.to);
  const token = [...generations].map(([day, generation]) => `${day}:${generation}`).join(',');
  const hit = cache.get(database, key);
  if (hit && hit.token === token && Date.now() - hit.at < SESSION_CACHE_TTL_MS) return hit.stats;
  const stats = await getSessionStats(database, query, expectedAttempts);
  cache.set(database, key, { token, at: Date.now(), stats });
  return stats;
}

/** Sessions are sampled so that about this many attempts are read at most. */
export const SESSION_SAMPLE_TARGET = 25_000;

/** Hex prefixes sampled for an expected number of attempts: `[]` reads every session. */
export function samplePrefixes(expectedAttempts: number): string[] {
  let digits = 0;
  while (expectedAttempts / 16 ** digits > SESSION_SAMPLE_TARGET && digits < 3) digits++;
  return digits === 0 ? [] : ['0'.repeat(digits)];
}

/**
 * Attempts per anonymous session and the share of sessions later linked to a user, over raw
 * rows of `[from, to)`. Rows purged by retention are not counted: callers check
 * `rawRowsPurged` first, as `getSummary` does, and report the figures unknown.
 *
 * @example
 * const { attemptsPerAnonSession, linkedShare } = await getSessionStats(database, query, 12_000);
 */
export async function getSessionStats(
  database: Database,
  query: MetricsQuery,
  expectedAttempts: number,
): Promise<SessionStats> {
  const prefixes = samplePrefixes(expectedAttempts);
  const prefix = prefixes[0];
  const sample =
    prefix === undefined
      ? sql``
      : sql` AND a.anon_session_id >= ${prefix} AND a.anon_session_id < ${`${prefix.slice(0, -1)}1`}`;
  const { rows } = await sql<{ sessions: number; attempts: number; linked: number }>`
    WITH s AS (
      SELECT a.anon_session_id, count(*) AS n
      FROM ${productTable(database.schema, 'trip_creation_attempts')} AS a
      WHERE a.created_at >= ${query.from.toISOString()}::timestamptz
        AND a.created_at < ${query.to.toISOString()}::timestamptz
        AND a.anon_session_id IS NOT NULL${sample}${filterSql(query, 'a')}
      GROUP BY 1
    )
    SELECT count(*)::integer AS sessions, coalesce(sum(n), 0)::integer AS attempts,
      count(*) FILTER (WHERE EXISTS (SELECT 1 FROM ${productTable(database.schema, 'identity_links')} AS l
        WHERE l.anon_session_id = s.anon_session_id AND l.outcome = 'linked'))::integer AS linked
    FROM s`.execute(database.db);
  const row = rows[0] ?? { sessions: 0, attempts: 0, linked: 0 };
  const sampled = prefix === undefined ? 1 : 16 ** -prefix.length;
  return {
    anonSessions: Math.round(row.sessions / sampled),
    attemptsPerAnonSession: ratio(row.attempts, row.sessions),
    linkedShare: ratio(row.linked, row.sessions),
    sampled,
  };
}
