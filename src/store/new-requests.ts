import { type RawBuilder, sql } from 'kysely';
import { DEFAULT_PROMPT_CONTRACT_VERSION, type TelemetryEvent } from '../domain/index.js';
import type { PriceBook } from '../prices/index.js';
import type { CopyRow, WriteTransaction } from '../storage/index.js';
import { ATTEMPT_ROW, type AttemptPatch } from './attempt-row.js';
import type { WriteTables } from './attempt-statements.js';
import { type BulkRows, bulkInsert, bulkRows, COPY_MIN_ROWS } from './bulk-insert.js';
import { EVENT_ROW, eventRow } from './event-rows.js';
import { ATTEMPT_TOTALS } from './generation-rows.js';
import { attemptUser, fromNewAttempt, type LinkedUsers, linkedUsers, linksOf } from './linked-users.js';
import { type NewAnatomy, newAnatomyRows, priceCalls, totalsCells } from './new-anatomy.js';

/** An attempt row with its totals: the bulk path's, when the batch holds the attempt's calls. */
const ATTEMPT_WITH_TOTALS = ATTEMPT_ROW.extend(ATTEMPT_TOTALS.columns);

/**
 * Writes the attempt rows and events of requests seen for the first time (the caller probed,
 * under their request locks); `byRequest` holds at least their patches, by request id. With
 * `anatomy` (calls and phases of such requests with nothing of them stored), those too, priced
 * with `prices()` and their attempts' totals computed here: every row final in JavaScript, after
 * one read of the links of their anonymous ids, bulk-written (COPY on PostgreSQL from
 * {@link COPY_MIN_ROWS} rows, else one `unnest` statement). Large batches without anatomy on
 * PostgreSQL likewise. Otherwise (short batches, or PGlite, without anatomy) one statement does
 * all three: the links, the attempts and the events, each table from one `unnest` of one array
 * per column.
 */
export async function insertNewRequests(
  tx: WriteTransaction,
  t: WriteTables,
  patches: AttemptPatch[],
  events: TelemetryEvent[],
  byRequest: ReadonlyMap<string, AttemptPatch>,
  anatomy?: NewAnatomy & { prices: () => Promise<PriceBook> },
): Promise<void> {
  if (patches.length === 0) return;
  const anons = new Set<string>();
  for (const p of patches) if (p.anon_session_id !== null) anons.add(p.anon_session_id);
  for (const e of events) if (e.anonSessionId) anons.add(e.anonSessionId);
  const withAnatomy = anatomy !== undefined && anatomy.calls.length + anatomy.phases.length > 0;
  if (withAnatomy) {
    for (const c of anatomy.calls) if (c.anonSessionId) anons.add(c.anonSessionId);
    for (const p of anatomy.phases) if (p.anonSessionId) anons.add(p.anonSessionId);
  }
  if (withAnatomy || (tx.copy && patches.length + events.length >= COPY_MIN_ROWS)) {
    const links = await linkedUsers(tx, t, [...anons]);
    const eventRows = bulkRows(t.eventsName, EVENT_ROW, events, (e) =>
      newEventRow(e, byRequest.get(e.requestId)!, links),
    );
    if (!withAnatomy) {
      // Rows are built as COPY encodes them, so none outlives its line (less for the GC to move).
      await bulkInsert(tx, [
        bulkRows(t.attemptsName, ATTEMPT_ROW, patches, (p) => newAttemptRow(p, links)),
        eventRows,
      ]);
      return;
    }
    const { costs, totals } =
      anatomy.calls.length > 0
        ? priceCalls(anatomy.calls, await anatomy.prices())
        : { costs: [], totals: new Map() };
    const attemptRows: BulkRows = bulkRows(t.attemptsName, ATTEMPT_WITH_TOTALS, patches, (p) => [
      ...newAttemptRow(p, links),
      ...totalsCells(totals.get(p.request_id)),
    ]);
    await bulkInsert(tx, [attemptRows, eventRows, ...newAnatomyRows(t, anatomy, costs, byRequest, links)]);
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
export const newEventRow = (event: TelemetryEvent, patch: AttemptPatch, links: LinkedUsers): CopyRow =>
  eventRow(event, fromNewAttempt(patch, links, event.anonSessionId));
