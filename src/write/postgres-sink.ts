import { type Kysely, sql } from 'kysely';
import { BENCHMARK_SOURCE, type TelemetryEvent } from '../domain/index.js';
import type { Database } from '../storage/index.js';
import { SUBJECT_LOCK } from '../storage/subject-locks.js';
import { attemptPatches, patchColumns } from './attempt-patches.js';
import { eventColumns, uniqueEvents } from './event-rows.js';
import { eventKey, type Sink, type SinkResult, TransientSinkError } from './sink.js';
import { isTransientDatabaseError } from './transient.js';

// biome-ignore lint/suspicious/noExplicitAny: raw SQL inside a transaction needs no table typing
type Trx = Kysely<any>;

const REQUEST_LOCK_CLASS = 727_100;

/**
 * Writes event batches into Postgres or PGlite in one transaction: per schema, one statement
 * locks the batch's request ids (advisory transaction locks, in a fixed order), one upserts the
 * attempt rows, one inserts the new event rows. Redeliveries in any order, from any number of
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
      return await database.db.transaction().execute(async (trx) => {
        // Short keyed statements: compiling them with JIT costs more than it saves (large batches
        // cross the JIT cost threshold and paid ~100 ms each for nothing).
        await sql`SET LOCAL jit = off`.execute(trx);
        const links = `${database.schema}.identity_links`;
        const a = await writeSchema(trx, database.schema, product, links);
        const b = await writeSchema(trx, database.adminSchema, admin, links);
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
  await sql`
    SELECT pg_advisory_xact_lock(${REQUEST_LOCK_CLASS}, hashtext(r))
    FROM (SELECT DISTINCT r FROM unnest(${requestIds}::text[]) AS r ORDER BY r) AS ordered`.execute(trx);
}

/**
 * Takes the SHARED subject locks of a batch (see storage/subject-locks.ts), after its request
 * locks: its user ids, its anonymous ids, and those of the attempts its anonymous-less events
 * finish. A link or deletion of one of them (EXCLUSIVE) then runs wholly before or after it.
 */
async function lockSubjects(trx: Trx, attempts: ReturnType<typeof sql.table>, events: TelemetryEvent[]) {
  const users = [...new Set(events.flatMap((e) => (e.userId ? [e.userId] : [])))];
  const anons = [...new Set(events.flatMap((e) => (e.anonSessionId ? [e.anonSessionId] : [])))];
  const unknown = [...new Set(events.filter((e) => !e.anonSessionId).map((e) => e.requestId))];
  if (users.length + anons.length + unknown.length === 0) return;
  await sql`
    SELECT pg_advisory_xact_lock_shared(k.cls, hashtext(k.id))
    FROM (SELECT DISTINCT cls, id FROM (
      SELECT ${SUBJECT_LOCK.user}::integer AS cls, u AS id FROM unnest(${users}::text[]) AS u
      UNION ALL SELECT ${SUBJECT_LOCK.anon}::integer, a FROM unnest(${anons}::text[]) AS a
      UNION ALL SELECT ${SUBJECT_LOCK.anon}::integer, x.anon_session_id FROM ${attempts} AS x
        WHERE x.request_id = ANY(${unknown}::text[]) AND x.anon_session_id IS NOT NULL
    ) AS s ORDER BY cls, id) AS k`.execute(trx);
}

async function writeSchema(
  trx: Trx,
  schema: string,
  events: TelemetryEvent[],
  linksTable: string,
): Promise<SinkResult> {
  if (events.length === 0) return { written: 0, duplicates: 0 };
  const attempts = sql.table(`${schema}.trip_creation_attempts`);
  const eventsTable = sql.table(`${schema}.trip_creation_events`);
  const links = sql.table(linksTable);
  const unique = uniqueEvents(events);
  const requestIds = [...new Set(unique.map((e) => e.requestId))];

  await lockRequestIds(trx, requestIds);
  await lockSubjects(trx, attempts, unique);

  const p = patchColumns(attemptPatches(unique));
  await sql`
    WITH i AS (
      SELECT * FROM unnest(
        ${p.request_id}::text[], ${p.id}::uuid[], ${p.created_at}::timestamptz[], ${p.start_known}::boolean[],
        ${p.status}::text[], ${p.finished_at}::timestamptz[], ${p.duration_ms}::integer[], ${p.error_code}::text[],
        ${p.failure_kind}::text[], ${p.trip_id}::text[], ${p.user_id}::uuid[], ${p.anon_session_id}::text[],
        ${p.provider}::text[], ${p.model}::text[], ${p.prompt_contract_version}::text[], ${p.source}::text[],
        ${p.input_snapshot_json}::jsonb[], ${p.effective_defaults_json}::jsonb[], ${p.fingerprint}::text[]
      ) AS t(request_id, id, created_at, start_known, status, finished_at, duration_ms, error_code, failure_kind,
             trip_id, user_id, anon_session_id, provider, model, prompt_contract_version, source,
             input_snapshot_json, effective_defaults_json, fingerprint)
    ),
    updated AS (
      UPDATE ${attempts} AS a SET
        created_at = CASE WHEN i.start_known AND i.created_at < a.created_at THEN i.created_at ELSE a.created_at END,
        status = CASE WHEN a.status = 'pending' AND i.status <> 'pending' THEN i.status ELSE a.status END,
        duration_ms = CASE
          WHEN a.status = 'pending' AND i.status <> 'pending' THEN coalesce(i.duration_ms,
            greatest(0, round(extract(epoch FROM (i.finished_at - a.created_at)) * 1000))::integer)
          WHEN a.status <> 'pending' AND a.duration_ms IS NULL AND i.start_known AND i.created_at < a.created_at
            THEN round(extract(epoch FROM (a.created_at - i.created_at)) * 1000)::integer
          ELSE a.duration_ms END,
        error_code = CASE WHEN a.status = 'pending' AND i.status <> 'pending' THEN i.error_code ELSE a.error_code END,
        failure_kind = CASE WHEN a.status = 'pending' AND i.status <> 'pending' THEN i.failure_kind ELSE a.failure_kind END,
        trip_id = CASE WHEN a.status = 'pending' AND i.status <> 'pending' THEN i.trip_id ELSE a.trip_id END,
        user_id = coalesce(a.user_id, i.user_id, (SELECT l.user_id FROM ${links} AS l
          WHERE l.anon_session_id = coalesce(a.anon_session_id, i.anon_session_id) AND l.outcome = 'linked')),
        anon_session_id = coalesce(a.anon_session_id, i.anon_session_id),
        provider = coalesce(a.provider, i.provider),
        model = coalesce(a.model, i.model),
        prompt_contract_version = CASE WHEN i.start_known AND i.prompt_contract_version IS NOT NULL
          THEN i.prompt_contract_version ELSE a.prompt_contract_version END,
        input_snapshot_json = coalesce(a.input_snapshot_json, i.input_snapshot_json),
        effective_defaults_json = coalesce(a.effective_defaults_json, i.effective_defaults_json),
        fingerprint = coalesce(a.fingerprint, i.fingerprint)
      -- = ANY(array) makes every partition probe its request_id index instead of scanning.
      FROM i WHERE a.request_id = i.request_id AND a.request_id = ANY(${requestIds}::text[])
      RETURNING a.request_id
    )
    INSERT INTO ${attempts} (id, created_at, user_id, anon_session_id, status, error_code, duration_ms, trip_id,
      input_snapshot_json, effective_defaults_json, request_id, provider, model, prompt_contract_version,
      failure_kind, fingerprint, source)
    SELECT i.id, i.created_at, coalesce(i.user_id, l.user_id), i.anon_session_id, i.status, i.error_code,
      i.duration_ms, i.trip_id, i.input_snapshot_json, i.effective_defaults_json, i.request_id, i.provider, i.model,
      coalesce(i.prompt_contract_version, 'classic_v1'), i.failure_kind, i.fingerprint, i.source
    FROM i LEFT JOIN ${links} AS l ON l.anon_session_id = i.anon_session_id AND l.outcome = 'linked'
    WHERE NOT EXISTS (SELECT 1 FROM updated u WHERE u.request_id = i.request_id)`.execute(trx);

  const e = eventColumns(unique);
  const inserted = await sql<{ event_type: string; request_id: string }>`
    WITH i AS (
      SELECT * FROM unnest(
        ${e.id}::uuid[], ${e.created_at}::timestamptz[], ${e.event_type}::text[], ${e.trip_id}::text[],
        ${e.user_id}::uuid[], ${e.anon_session_id}::text[], ${e.request_id}::text[],
        ${e.prompt_contract_version}::text[], ${e.payload_json}::jsonb[]
      ) AS t(id, created_at, event_type, trip_id, user_id, anon_session_id, request_id, prompt_contract_version, payload_json)
    )
    INSERT INTO ${eventsTable} (id, created_at, event_type, trip_id, user_id, anon_session_id, request_id,
      prompt_contract_version, payload_json)
    SELECT i.id, i.created_at, i.event_type, i.trip_id, coalesce(i.user_id, a.user_id, l.user_id),
      coalesce(i.anon_session_id, a.anon_session_id), i.request_id,
      coalesce(i.prompt_contract_version, a.prompt_contract_version, 'classic_v1'), i.payload_json
    FROM i
    LEFT JOIN LATERAL (
      SELECT x.user_id, x.anon_session_id, x.prompt_contract_version FROM ${attempts} AS x
      WHERE x.request_id = i.request_id LIMIT 1
    ) AS a ON true
    LEFT JOIN ${links} AS l
      ON l.anon_session_id = coalesce(i.anon_session_id, a.anon_session_id) AND l.outcome = 'linked'
    -- A LIMIT 1 probe per event (index on request_id, event_type), never a scan of the table.
    LEFT JOIN LATERAL (
      SELECT 1 AS found FROM ${eventsTable} AS ev
      WHERE ev.request_id = i.request_id AND ev.event_type = i.event_type LIMIT 1
    ) AS dup ON true
    WHERE dup.found IS NULL
    RETURNING event_type, request_id`.execute(trx);
  const written = inserted.rows.length;
  const keys = new Set(
    inserted.rows.map((row) => eventKey({ type: row.event_type, requestId: row.request_id })),
  );
  return { written, duplicates: events.length - written, inserted: keys };
}
