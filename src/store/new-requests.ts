import { type RawBuilder, sql } from 'kysely';
import { DEFAULT_PROMPT_CONTRACT_VERSION, type TelemetryEvent } from '../domain/index.js';
import type { CopyRow, WriteTransaction } from '../storage/index.js';
import type { AttemptPatch } from './attempt-patches.js';
import type { WriteTables } from './attempt-statements.js';
import { type Columns, columnList, columnNames, idList, selectList, unnestRows } from './column-sql.js';
import { EVENT_COLUMNS, eventRow } from './event-rows.js';
import { isoTime } from './iso-time.js';

/** Batches of at least this many rows go through COPY where the engine has it; shorter ones through `unnest`. */
const COPY_MIN_ROWS = 256;

/**
 * Writes the attempt rows and events of requests seen for the first time (the caller probed,
 * under their request locks); `byRequest` holds at least their patches, by request id. Large
 * batches on PostgreSQL: the users of linked anonymous ids, then one COPY per table of finished
 * rows. Otherwise one statement does all three: the links, the attempts and the events, each
 * table from one `unnest` of one array per column.
 */
export async function insertNewRequests(
  tx: WriteTransaction,
  t: WriteTables,
  patches: AttemptPatch[],
  events: TelemetryEvent[],
  byRequest: ReadonlyMap<string, AttemptPatch>,
): Promise<void> {
  if (patches.length === 0) return;
  const anons = new Set<string>();
  for (const p of patches) if (p.anon_session_id !== null) anons.add(p.anon_session_id);
  for (const e of events) if (e.anonSessionId) anons.add(e.anonSessionId);
  if (tx.copy && patches.length + events.length >= COPY_MIN_ROWS) {
    const links = await linkedUsers(tx, t, [...anons]);
    // Rows are built as COPY encodes them, so none outlives its line (less for the GC to move).
    await tx.copy(
      t.attemptsName,
      columnNames(ATTEMPT_COLUMNS),
      mapRows(patches, (p) => newAttemptRow(p, links)),
    );
    await tx.copy(
      t.eventsName,
      columnNames(EVENT_COLUMNS),
      mapRows(events, (e) => newEventRow(e, byRequest.get(e.requestId)!, links)),
    );
    return;
  }
  // Rows without the links' users; the statement fills them in, in the same order of precedence.
  const none: LinkedUsers = new Map();
  const attemptRows = patches.map((p) => newAttemptRow(p, none));
  const eventRows = events.map((e) => newEventRow(e, byRequest.get(e.requestId)!, none));
  const attemptAnon = events.map((e) => byRequest.get(e.requestId)!.anon_session_id);
  const linkOf = (anon: RawBuilder<unknown>) =>
    sql`(SELECT l.user_id FROM l WHERE l.anon_session_id = ${anon})`;
  await tx.query(sql`
    WITH l AS MATERIALIZED (${linksOf(t, [...anons])}), a AS (
      INSERT INTO ${t.attempts} (${columnList(ATTEMPT_COLUMNS)})
      SELECT ${selectList(ATTEMPT_COLUMNS, 'i', { user_id: sql`coalesce(i.user_id, ${linkOf(sql`i.anon_session_id`)})` })}
      FROM ${unnestRows(ATTEMPT_COLUMNS, attemptRows, 'i')}
    )
    INSERT INTO ${t.events} (${columnList(EVENT_COLUMNS)})
    SELECT ${selectList(EVENT_COLUMNS, 'e', {
      user_id: sql`coalesce(e.user_id, ${linkOf(sql`e.attempt_anon`)}, ${linkOf(sql`e.anon_session_id`)})`,
    })}
    FROM ${unnestRows(EVENT_COLUMNS, eventRows, 'e', sql`, ${attemptAnon}::text[]`, ', attempt_anon')}`);
}

function* mapRows<T>(items: readonly T[], row: (item: T) => CopyRow): Generator<CopyRow> {
  for (const item of items) yield row(item);
}

/**
 * The users the given anonymous ids are linked to. Read after the subject locks, so a link
 * committed while this batch waited for them is seen.
 */
async function linkedUsers(tx: WriteTransaction, t: WriteTables, anons: string[]): Promise<LinkedUsers> {
  if (anons.length === 0) return new Map();
  const rows = await tx.query(sql<{ anon_session_id: string; user_id: string }>`
    SELECT anon_session_id, user_id::text AS user_id FROM (${linksOf(t, anons)}) AS l`);
  return new Map(rows.map((row) => [row.anon_session_id, row.user_id]));
}

/**
 * `SELECT anon_session_id, user_id` of the linked anonymous ids among `anons`. A join, not
 * `= ANY(…)`: the index probes each id as it comes instead of sorting them all first.
 */
const linksOf = (t: WriteTables, anons: string[]) => sql`
  SELECT l.anon_session_id, l.user_id
  FROM unnest(${idList(anons)}) AS a JOIN ${t.links} AS l ON l.anon_session_id = a AND l.outcome = 'linked'`;

/** The columns of an attempt row, as written. */
export const ATTEMPT_COLUMNS: Columns = [
  ['id', 'uuid'],
  ['created_at', 'timestamptz'],
  ['user_id', 'uuid'],
  ['anon_session_id', 'text'],
  ['status', 'text'],
  ['error_code', 'text'],
  ['duration_ms', 'integer'],
  ['trip_id', 'text'],
  ['input_snapshot_json', 'jsonb'],
  ['effective_defaults_json', 'jsonb'],
  ['request_id', 'text'],
  ['provider', 'text'],
  ['model', 'text'],
  ['prompt_contract_version', 'text'],
  ['failure_kind', 'text'],
  ['fingerprint', 'text'],
  ['source', 'text'],
];

/** Users of already linked anonymous ids, by anonymous id. */
export type LinkedUsers = ReadonlyMap<string, string>;

/** The user an attempt row of a new request gets: its own, else its anonymous id's link. */
const attemptUser = (patch: AttemptPatch, links: LinkedUsers) =>
  patch.user_id ?? (patch.anon_session_id === null ? null : (links.get(patch.anon_session_id) ?? null));

/** The attempt row of a request seen for the first time, in {@link ATTEMPT_COLUMNS} order. */
export function newAttemptRow(patch: AttemptPatch, links: LinkedUsers): CopyRow {
  return [
    patch.id,
    isoTime(patch.created_at),
    attemptUser(patch, links),
    patch.anon_session_id,
    patch.status,
    patch.error_code,
    patch.duration_ms,
    patch.trip_id,
    patch.input_snapshot_json,
    patch.effective_defaults_json,
    patch.request_id,
    patch.provider,
    patch.model,
    patch.prompt_contract_version ?? DEFAULT_PROMPT_CONTRACT_VERSION,
    patch.failure_kind,
    patch.fingerprint,
    patch.source,
  ];
}

/**
 * An event row of a request seen for the first time, in {@link EVENT_COLUMNS} order:
 * identifiers missing on the event come from its attempt row (as written by this batch).
 */
export function newEventRow(event: TelemetryEvent, patch: AttemptPatch, links: LinkedUsers): CopyRow {
  const anon = event.anonSessionId ?? patch.anon_session_id;
  return eventRow(event, {
    userId: attemptUser(patch, links) ?? (anon === null ? null : (links.get(anon) ?? null)),
    anonSessionId: anon,
    promptContractVersion: patch.prompt_contract_version ?? DEFAULT_PROMPT_CONTRACT_VERSION,
  });
}
