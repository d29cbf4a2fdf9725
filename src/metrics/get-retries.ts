import { sql } from 'kysely';
import type { Database } from '../storage/index.js';
import { filterSql, productTable } from './filter-sql.js';
import { type MetricsQuery, ratio } from './metrics-query.js';
import { PURGED_BY_RETENTION, rawRowsPurged, type Unavailable } from './purged-range.js';
import { readCoverage } from './range-plan.js';

/**
 * Retry behaviour of a range: attempts that follow another attempt of the same session soon
 * after. Raw rows only (it needs the session ids): once retention deleted raw rows of the range,
 * every figure is `null` and listed in `unavailable` with the reason.
 */
export interface Retries {
  windowMinutes: number;
  /** Anonymous sessions with at least one attempt in the range. */
  sessions: number | null;
  /** Sessions with more than one attempt within the window. */
  sessionsWithRetry: number | null;
  /** Attempts made within the window after a previous attempt of the same session. */
  retries: number | null;
  /** Retries whose previous attempt had failed. */
  retriesAfterFailure: number | null;
  /** Of the retries after a failure that finished: the share that succeeded. */
  retrySuccessRate: number | null;
  /** Figures that are `null` because they cannot be known, with the reason; `{}` otherwise. */
  unavailable: Unavailable;
}

const FIGURES = [
  'sessions',
  'sessionsWithRetry',
  'retries',
  'retriesAfterFailure',
  'retrySuccessRate',
] as const;

/** The default retry window: a second attempt within 10 minutes is a retry. */
export const RETRY_WINDOW_MINUTES = 10;

/**
 * Sessions with more than one attempt within `windowMinutes` of each other, and how often a
 * retry after a failure succeeded (raw rows: needs the session ids).
 *
 * @example
 * const { sessionsWithRetry, retrySuccessRate } = await getRetries(database, { from, to });
 */
export async function getRetries(
  database: Database,
  query: MetricsQuery,
  windowMinutes = RETRY_WINDOW_MINUTES,
): Promise<Retries> {
  if (await rawRowsPurged(database, query, await readCoverage(database))) {
    const unknown = Object.fromEntries(FIGURES.map((figure) => [figure, null])) as Record<
      (typeof FIGURES)[number],
      null
    >;
    const unavailable = Object.fromEntries(FIGURES.map((figure) => [figure, PURGED_BY_RETENTION]));
    return { windowMinutes, ...unknown, unavailable };
  }
  const { rows } = await sql<{
    sessions: number;
    with_retry: number;
    retries: number;
    after_failure: number;
    after_failure_ok: number;
    after_failure_done: number;
  }>`
    WITH o AS (
      SELECT a.anon_session_id AS s, a.status,
        lag(a.created_at) OVER w AS prev_at, lag(a.status) OVER w AS prev_status, a.created_at
      FROM ${productTable(database.schema, 'trip_creation_attempts')} AS a
      WHERE a.anon_session_id IS NOT NULL
        AND a.created_at >= ${query.from.toISOString()}::timestamptz AND a.created_at < ${query.to.toISOString()}::timestamptz
        ${filterSql(query, 'a')}
      WINDOW w AS (PARTITION BY a.anon_session_id ORDER BY a.created_at, a.id)
    ),
    r AS (
      SELECT *, prev_at IS NOT NULL AND created_at - prev_at <= ${`${windowMinutes} minutes`}::interval AS is_retry FROM o
    )
    SELECT count(DISTINCT s)::integer AS sessions,
      count(DISTINCT s) FILTER (WHERE is_retry)::integer AS with_retry,
      count(*) FILTER (WHERE is_retry)::integer AS retries,
      count(*) FILTER (WHERE is_retry AND prev_status = 'failed')::integer AS after_failure,
      count(*) FILTER (WHERE is_retry AND prev_status = 'failed' AND status = 'success')::integer AS after_failure_ok,
      count(*) FILTER (WHERE is_retry AND prev_status = 'failed' AND status <> 'pending')::integer AS after_failure_done
    FROM r`.execute(database.db);
  const row = rows[0]!;
  return {
    windowMinutes,
    sessions: row.sessions,
    sessionsWithRetry: row.with_retry,
    retries: row.retries,
    retriesAfterFailure: row.after_failure,
    retrySuccessRate: ratio(row.after_failure_ok, row.after_failure_done),
    unavailable: {},
  };
}
