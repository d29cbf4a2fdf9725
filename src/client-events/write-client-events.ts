import { sql } from 'kysely';
import type { Database } from '../storage/index.js';
import { LOCK_KEYS, SUBJECT_LOCK, subjectLockKey } from '../storage/index.js';
import { CLIENT_EVENT_MAX_AGE_MS, CLIENT_EVENT_MAX_SKEW_MS } from './limits.js';
import type { ClientEventRow } from './parse-batch.js';

/** What {@link writeClientEvents} did: rows written, and events dropped as already stored. */
export interface ClientEventsWriteResult {
  accepted: number;
  duplicates: number;
}

/** Advisory lock class serialising writes of one anonymous session, so dedupe has no race. */
const SESSION_WRITE_LOCK = LOCK_KEYS.classes.clientSession;

/**
 * Writes checked client events to `<schema>.trip_creation_client_events` in one transaction with
 * one `INSERT … SELECT FROM unnest(…)`. Idempotent: an event whose client `id` is already stored
 * (looked up within the ingest window) is a duplicate, and so is an event without an id whose
 * (anon_session_id, name, occurred_at) is stored; copies inside the batch count once. A row gets
 * the user id of its anonymous session's `identity_links` link (outcome `linked`), if any.
 *
 * Locks: the anonymous ids' subject locks SHARED (a concurrent link or deletion runs wholly
 * before or after this write, see storage/subject-locks.ts), then one lock per anonymous id
 * EXCLUSIVE, so two deliveries of the same batch cannot both pass the duplicate check.
 *
 * @example
 * const { accepted, duplicates } = await writeClientEvents(database, parsed.events, new Date());
 */
export async function writeClientEvents(
  database: Database,
  events: readonly ClientEventRow[],
  now: Date,
): Promise<ClientEventsWriteResult> {
  const unique = uniqueEvents(events);
  if (unique.length === 0) return { accepted: 0, duplicates: events.length };
  const table = sql.table(`${database.schema}.trip_creation_client_events`);
  const links = sql.table(`${database.schema}.identity_links`);
  const anons = [...new Set(unique.map((e) => e.anonSessionId))].sort();
  const windowStart = new Date(now.getTime() - CLIENT_EVENT_MAX_AGE_MS - CLIENT_EVENT_MAX_SKEW_MS);
  const inserted = await database.db.transaction().execute(async (trx) => {
    await sql`SELECT pg_advisory_xact_lock_shared(${SUBJECT_LOCK.anon}::integer, k.key)
      FROM (SELECT DISTINCT ${subjectLockKey(sql.ref('a'))} AS key FROM unnest(${anons}::text[]) AS a ORDER BY 1) AS k`.execute(
      trx,
    );
    await sql`SELECT pg_advisory_xact_lock(${SESSION_WRITE_LOCK}::integer, hashtext(a))
      FROM unnest(${anons}::text[]) AS a ORDER BY a`.execute(trx);
    const { rows } = await sql<{ one: number }>`
      WITH i AS (
        SELECT * FROM unnest(${unique.map((e) => e.id)}::uuid[], ${unique.map((e) => e.clientId)}::boolean[],
          ${unique.map((e) => e.createdAt.toISOString())}::timestamptz[], ${unique.map((e) => e.anonSessionId)}::text[],
          ${unique.map((e) => e.name)}::text[], ${unique.map((e) => JSON.stringify(e.props))}::text[])
          AS t(id, client_id, created_at, anon_session_id, name, props)
      )
      INSERT INTO ${table} (id, created_at, anon_session_id, user_id, name, props)
      SELECT i.id, i.created_at, i.anon_session_id, l.user_id, i.name, i.props::jsonb
      FROM i LEFT JOIN ${links} AS l ON l.anon_session_id = i.anon_session_id AND l.outcome = 'linked'
      WHERE NOT (i.client_id AND EXISTS (
          SELECT 1 FROM ${table} AS x
          WHERE x.id = i.id AND x.created_at >= ${windowStart.toISOString()}::timestamptz))
        AND NOT (NOT i.client_id AND EXISTS (
          SELECT 1 FROM ${table} AS x
          WHERE x.anon_session_id = i.anon_session_id AND x.created_at = i.created_at AND x.name = i.name))
      ON CONFLICT DO NOTHING
      RETURNING 1 AS one`.execute(trx);
    return rows.length;
  });
  return { accepted: inserted, duplicates: events.length - inserted };
}

/** The batch without repeated events (same client id, or same session, name and time). */
function uniqueEvents(events: readonly ClientEventRow[]): ClientEventRow[] {
  const seen = new Set<string>();
  return events.filter((e) => {
    const key = e.clientId ? `id:${e.id}` : `at:${e.anonSessionId}|${e.name}|${e.createdAt.toISOString()}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
