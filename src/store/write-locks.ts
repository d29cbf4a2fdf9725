import { type Kysely, sql } from 'kysely';
import type { WriteTransaction } from '../storage/index.js';
import { LOCK_KEYS, SUBJECT_LOCK, subjectLockKey } from '../storage/index.js';
import type { WriteTables } from './attempt-statements.js';
import { idList } from './column-sql.js';

// biome-ignore lint/suspicious/noExplicitAny: raw SQL inside a transaction needs no table typing
type Trx = Kysely<any>;

const REQUEST_LOCK_CLASS = LOCK_KEYS.classes.request;

/**
 * The per-request advisory transaction locks of `requestIds`, taken in a fixed order: that of
 * the lock keys themselves (integers sort far cheaper than text under a collation, and two ids
 * sharing a hash share their lock). One row comes back, not one per lock: an empty row per lock
 * costs this process more than the lock costs the database.
 */
export const requestLocks = (requestIds: string[]) => sql`
  SELECT count(pg_advisory_xact_lock(${REQUEST_LOCK_CLASS}, k)) AS locked
  FROM (SELECT DISTINCT hashtext(r) AS k FROM unnest(${idList(requestIds)}) AS r ORDER BY k) AS ordered`;

/**
 * Takes the per-request advisory transaction locks every writer of attempt rows takes (the
 * sink, the abandoned-attempt reconciler), in a fixed order so writers never deadlock.
 */
export async function lockRequestIds(trx: Trx, requestIds: string[]): Promise<void> {
  await requestLocks(requestIds).execute(trx);
}

/** What the subject locks read of a record: events, calls and phases all carry these. */
export interface SubjectRef {
  requestId: string;
  userId?: string | undefined;
  anonSessionId?: string | undefined;
}

/** What the probe found stored of a batch's requests. */
export interface Stored {
  /** Requests with an attempt row. */
  attempts: Set<string>;
  /** Requests with at least one provider call or phase. */
  anatomy: Set<string>;
}

/**
 * One statement, run after the request locks: takes the SHARED subject locks of a batch (see
 * storage/subject-locks.ts: its user ids, its anonymous ids, and those of the attempts its
 * anonymous-less events finish, found by one `LIMIT 1` probe per request id like the probe below:
 * `request_id = ANY(…) AND anon_session_id IS NOT NULL` let the planner, without statistics, scan
 * every partition's anonymous-id index), so a link or deletion of one of them (EXCLUSIVE) runs wholly
 * before or after the batch; and returns which of the batch's requests already have an attempt
 * row, and which a call or a phase (one `LIMIT 1` index probe per id and table, which no
 * statistics can turn into a scan). Under the request locks that answer holds until the
 * transaction ends.
 *
 * The anatomy probes run only when the schema holds any call or phase at all (one `LIMIT 1` read
 * per table and batch, a one-time filter of each probe): a database without anatomy pays
 * nothing per request for them.
 */
export async function lockSubjectsAndProbe(
  tx: WriteTransaction,
  t: WriteTables,
  events: readonly SubjectRef[],
  requestIds: string[],
): Promise<Stored> {
  const userSet = new Set<string>();
  const anonSet = new Set<string>();
  const unknownSet = new Set<string>();
  for (const e of events) {
    if (e.userId) userSet.add(e.userId);
    if (e.anonSessionId) anonSet.add(e.anonSessionId);
    else unknownSet.add(e.requestId);
  }
  const [users, anons, unknown] = [[...userSet], [...anonSet], [...unknownSet]];
  const stored = sql`stored AS MATERIALIZED (SELECT (EXISTS (SELECT 1 FROM ${t.calls})
    OR EXISTS (SELECT 1 FROM ${t.phases})) AS present)`;
  const probe = sql`
    SELECT r AS request_id, fa.x IS NOT NULL AS attempt, fc.x IS NOT NULL AS anatomy
    FROM unnest(${idList(requestIds)}) AS r CROSS JOIN stored
    LEFT JOIN LATERAL (SELECT 1 AS x FROM ${t.attempts} AS a WHERE a.request_id = r LIMIT 1) AS fa ON true
    LEFT JOIN LATERAL (
      SELECT 1 AS x FROM ${t.calls} AS c WHERE c.request_id = r AND stored.present
      UNION ALL SELECT 1 FROM ${t.phases} AS p WHERE p.request_id = r AND stored.present
      LIMIT 1) AS fc ON true
    WHERE fa.x IS NOT NULL OR fc.x IS NOT NULL`;
  type Row = { request_id: string; attempt: boolean; anatomy: boolean };
  const rows = await tx.query(
    users.length + anons.length + unknown.length === 0
      ? sql<Row>`WITH ${stored} ${probe}`
      : sql<Row>`
        WITH locked AS MATERIALIZED (
          SELECT count(pg_advisory_xact_lock_shared(k.cls, k.key)) AS n
          FROM (SELECT DISTINCT cls, ${subjectLockKey(sql.ref('id'))} AS key FROM (
            SELECT ${SUBJECT_LOCK.user}::integer AS cls, u AS id FROM unnest(${idList(users)}) AS u
            UNION ALL SELECT ${SUBJECT_LOCK.anon}::integer, a FROM unnest(${idList(anons)}) AS a
            UNION ALL SELECT ${SUBJECT_LOCK.anon}::integer, f.anon_session_id FROM unnest(${idList(unknown)}) AS u
              CROSS JOIN LATERAL (SELECT x.anon_session_id FROM ${t.attempts} AS x
                WHERE x.request_id = u AND x.anon_session_id IS NOT NULL LIMIT 1) AS f
          ) AS s ORDER BY cls, key) AS k
        ), ${stored}
        SELECT p.request_id, p.attempt, p.anatomy FROM locked CROSS JOIN (${probe}) AS p`,
  );
  const found: Stored = { attempts: new Set(), anatomy: new Set() };
  for (const row of rows) {
    if (row.attempt) found.attempts.add(row.request_id);
    if (row.anatomy) found.anatomy.add(row.request_id);
  }
  return found;
}
