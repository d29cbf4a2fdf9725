import { type Kysely, sql } from 'kysely';
import { BENCHMARK_SOURCE, type TelemetryEvent } from '../domain/index.js';
import type { Database, WriteTransaction } from '../storage/index.js';
import { SUBJECT_LOCK, subjectLockKey } from '../storage/subject-locks.js';
import { attemptPatches } from './attempt-patches.js';
import {
  existingRequestIds,
  linkedUsers,
  updateExistingAttempts,
  type WriteTables,
} from './attempt-statements.js';
import { uniqueEvents } from './event-rows.js';
import { insertEventsOfExisting } from './event-statements.js';
import { ATTEMPT_COLUMNS, EVENT_COLUMNS, insertRows, newAttemptRow, newEventRow } from './new-rows.js';
import { eventKey, type Sink, type SinkResult, TransientSinkError } from './sink.js';
import { isTransientDatabaseError } from './transient.js';

// biome-ignore lint/suspicious/noExplicitAny: raw SQL inside a transaction needs no table typing
type Trx = Kysely<any>;

const REQUEST_LOCK_CLASS = 727_100;

/**
 * Writes event batches into Postgres or PGlite in one transaction: per schema, the batch's
 * request ids are locked (advisory transaction locks, in a fixed order) and probed; attempts
 * and events of new requests are plain inserts, those of known requests are merged into their
 * row and their events inserted unless already stored. Redeliveries in any order, from any number of
 * processes, yield one attempt row and at most one event per type. A row that carries only an
 * anonymous id already linked to a user (`identity_links`) gets that user id as it is written.
 */
export class PostgresSink implements Sink {
  readonly reportsInserted = true;
  constructor(private readonly database: Database | Promise<Database>) {}

  async write(events: TelemetryEvent[]): Promise<SinkResult> {
    let database: Database;
    try {
      database = await this.database;
    } catch (error) {
      throw new TransientSinkError(`database unavailable: ${(error as Error).message}`, 'DB_OPEN');
    }
    const product = events.filter((e) => e.source !== BENCHMARK_SOURCE);
    const admin = events.filter((e) => e.source === BENCHMARK_SOURCE);
    try {
      return await database.writeTransaction(async (tx) => {
        // Short keyed statements: compiling them with JIT costs more than it saves (large batches
        // cross the JIT cost threshold and paid ~100 ms each for nothing).
        // Every statement here is keyed by request id: turn sequential scans off too, so a young
        // table's statistics never make the planner scan a partition for a few hundred keys.
        await tx.query(sql`SELECT set_config('jit', 'off', true), set_config('enable_seqscan', 'off', true)`);
        const links = `${database.schema}.identity_links`;
        const a = await writeSchema(tx, database.schema, product, links);
        const b = await writeSchema(tx, database.adminSchema, admin, links);
        const inserted = new Set([...(a.inserted ?? []), ...(b.inserted ?? [])]);
        return { written: a.written + b.written, duplicates: a.duplicates + b.duplicates, inserted };
      });
    } catch (error) {
      if (isTransientDatabaseError(error)) {
        throw new TransientSinkError(
          (error as Error).message,
          String((error as { code?: string }).code ?? 'TRANSIENT'),
        );
      }
      throw error;
    }
  }
}

/**
 * Takes the per-request advisory transaction locks every writer of attempt rows takes (the
 * sink, the abandoned-attempt reconciler), in a fixed order so writers never deadlock.
 */
export async function lockRequestIds(trx: Trx, requestIds: string[]): Promise<void> {
  await requestLocks(requestIds).execute(trx);
}

const requestLocks = (requestIds: string[]) => sql`
  SELECT pg_advisory_xact_lock(${REQUEST_LOCK_CLASS}, hashtext(r))
  FROM (SELECT DISTINCT r FROM unnest(${requestIds}::text[]) AS r ORDER BY r) AS ordered`;

/**
 * Takes the SHARED subject locks of a batch (see storage/subject-locks.ts), after its request
 * locks: its user ids, its anonymous ids, and those of the attempts its anonymous-less events
 * finish. A link or deletion of one of them (EXCLUSIVE) then runs wholly before or after it.
 */
async function lockSubjects(
  tx: WriteTransaction,
  attempts: ReturnType<typeof sql.table>,
  events: TelemetryEvent[],
) {
  const users = [...new Set(events.flatMap((e) => (e.userId ? [e.userId] : [])))];
  const anons = [...new Set(events.flatMap((e) => (e.anonSessionId ? [e.anonSessionId] : [])))];
  const unknown = [...new Set(events.filter((e) => !e.anonSessionId).map((e) => e.requestId))];
  if (users.length + anons.length + unknown.length === 0) return;
  await tx.query(sql`
    SELECT pg_advisory_xact_lock_shared(k.cls, k.key)
    FROM (SELECT DISTINCT cls, ${subjectLockKey(sql.ref('id'))} AS key FROM (
      SELECT ${SUBJECT_LOCK.user}::integer AS cls, u AS id FROM unnest(${users}::text[]) AS u
      UNION ALL SELECT ${SUBJECT_LOCK.anon}::integer, a FROM unnest(${anons}::text[]) AS a
      UNION ALL SELECT ${SUBJECT_LOCK.anon}::integer, x.anon_session_id FROM ${attempts} AS x
        WHERE x.request_id = ANY(${unknown}::text[]) AND x.anon_session_id IS NOT NULL
    ) AS s ORDER BY cls, key) AS k`);
}

async function writeSchema(
  tx: WriteTransaction,
  schema: string,
  events: TelemetryEvent[],
  linksTable: string,
): Promise<SinkResult> {
  if (events.length === 0) return { written: 0, duplicates: 0 };
  const t: WriteTables = {
    attempts: sql.table(`${schema}.trip_creation_attempts`),
    events: sql.table(`${schema}.trip_creation_events`),
    links: sql.table(linksTable),
    attemptsName: `${schema}.trip_creation_attempts`,
    eventsName: `${schema}.trip_creation_events`,
  };
  const unique = uniqueEvents(events);
  const requestIds = [...new Set(unique.map((e) => e.requestId))];

  await tx.query(requestLocks(requestIds));
  await lockSubjects(tx, t.attempts, unique);
  // Under the request locks, which attempts exist is settled until this transaction ends. New
  // requests (the common case) become finished rows in JS and are bulk-inserted (COPY on
  // PostgreSQL); only known ones are merged into their row and probed for stored events.
  const existing = await existingRequestIds(tx, t, requestIds);
  const patches = attemptPatches(unique);
  const fresh = patches.filter((p) => !existing.has(p.request_id));
  const freshEvents = unique.filter((e) => !existing.has(e.requestId));
  if (fresh.length > 0) {
    const anons = new Set<string>();
    for (const p of fresh) if (p.anon_session_id !== null) anons.add(p.anon_session_id);
    for (const e of freshEvents) if (e.anonSessionId) anons.add(e.anonSessionId);
    const links = await linkedUsers(tx, t, [...anons]);
    const byRequest = new Map(fresh.map((p) => [p.request_id, p]));
    await insertRows(
      tx,
      t.attemptsName,
      ATTEMPT_COLUMNS,
      fresh.map((p) => newAttemptRow(p, links)),
    );
    await insertRows(
      tx,
      t.eventsName,
      EVENT_COLUMNS,
      freshEvents.map((e) => newEventRow(e, byRequest.get(e.requestId)!, links)),
    );
  }
  await updateExistingAttempts(
    tx,
    t,
    patches.filter((p) => existing.has(p.request_id)),
  );
  const known = await insertEventsOfExisting(
    tx,
    t,
    unique.filter((e) => existing.has(e.requestId)),
  );

  const keys = new Set(freshEvents.map(eventKey));
  for (const row of known) keys.add(eventKey({ type: row.event_type, requestId: row.request_id }));
  return { written: keys.size, duplicates: events.length - keys.size, inserted: keys };
}
