import { type RawBuilder, sql } from 'kysely';
import { DEFAULT_PROMPT_CONTRACT_VERSION, type TelemetryEvent } from '../domain/index.js';
import type { CopyRow, WriteTransaction } from '../storage/index.js';
import { ATTEMPT_ROW, type AttemptPatch } from './attempt-row.js';
import type { WriteTables } from './attempt-statements.js';
import { idList } from './column-sql.js';
import { EVENT_ROW, eventRow } from './event-rows.js';

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
      ATTEMPT_ROW.names,
      mapRows(patches, (p) => newAttemptRow(p, links)),
    );
    await tx.copy(
      t.eventsName,
      EVENT_ROW.names,
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
      INSERT INTO ${t.attempts} (${ATTEMPT_ROW.columnList()})
      SELECT ${ATTEMPT_ROW.selectList('i', { user_id: sql`coalesce(i.user_id, ${linkOf(sql`i.anon_session_id`)})` })}
      FROM ${ATTEMPT_ROW.unnest(attemptRows, 'i')}
    )
    INSERT INTO ${t.events} (${EVENT_ROW.columnList()})
    SELECT ${EVENT_ROW.selectList('e', {
      user_id: sql`coalesce(e.user_id, ${linkOf(sql`e.attempt_anon`)}, ${linkOf(sql`e.anon_session_id`)})`,
    })}
    FROM ${EVENT_ROW.unnest(eventRows, 'e', { attempt_anon: sql`${attemptAnon}::text[]` })}`);
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

/** Users of already linked anonymous ids, by anonymous id. */
export type LinkedUsers = ReadonlyMap<string, string>;

/** The user an attempt row of a new request gets: its own, else its anonymous id's link. */
const attemptUser = (patch: AttemptPatch, links: LinkedUsers) =>
  patch.user_id ?? (patch.anon_session_id === null ? null : (links.get(patch.anon_session_id) ?? null));

/**
 * The attempt row of a request seen for the first time, in {@link ATTEMPT_ROW} order: the patch
 * as it is, with its anonymous id's user and the default contract version where it has none.
 */
export const newAttemptRow = ATTEMPT_ROW.encoder<AttemptPatch, LinkedUsers>({
  user_id: attemptUser,
  prompt_contract_version: (patch) => patch.prompt_contract_version ?? DEFAULT_PROMPT_CONTRACT_VERSION,
});

/**
 * An event row of a request seen for the first time, in {@link EVENT_ROW} order:
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
