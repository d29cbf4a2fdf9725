import { sql } from 'kysely';
import { DEFAULT_PROMPT_CONTRACT_VERSION, type TelemetryEvent } from '../domain/index.js';
import type { WriteTransaction } from '../storage/index.js';
import type { WriteTables } from './attempt-statements.js';
import { EVENT_ROW, eventRow, OWN_VALUES } from './event-rows.js';

/** An inserted event's idempotency key parts, as the statements return them. */
export interface InsertedEvent {
  event_type: string;
  request_id: string;
}

/**
 * Inserts the events of requests that already had an attempt row: identifiers missing on an
 * event come from that row, and a `LIMIT 1` probe per event (index on request_id, event_type)
 * skips the ones already stored.
 */
export async function insertEventsOfExisting(
  tx: WriteTransaction,
  t: WriteTables,
  events: TelemetryEvent[],
): Promise<InsertedEvent[]> {
  if (events.length === 0) return [];
  return tx.query(sql<InsertedEvent>`
    INSERT INTO ${t.events} (${EVENT_ROW.columnList()})
    SELECT ${EVENT_ROW.selectList('i', {
      user_id: sql`coalesce(i.user_id, a.user_id, l.user_id)`,
      anon_session_id: sql`coalesce(i.anon_session_id, a.anon_session_id)`,
      prompt_contract_version: sql`coalesce(i.prompt_contract_version, a.prompt_contract_version, ${DEFAULT_PROMPT_CONTRACT_VERSION}::text)`,
    })}
    FROM ${EVENT_ROW.unnest(
      events.map((e) => eventRow(e, OWN_VALUES)),
      'i',
    )}
    LEFT JOIN LATERAL (
      SELECT x.user_id, x.anon_session_id, x.prompt_contract_version FROM ${t.attempts} AS x
      WHERE x.request_id = i.request_id LIMIT 1
    ) AS a ON true
    LEFT JOIN ${t.links} AS l
      ON l.anon_session_id = coalesce(i.anon_session_id, a.anon_session_id) AND l.outcome = 'linked'
    LEFT JOIN LATERAL (
      SELECT 1 AS found FROM ${t.events} AS ev
      WHERE ev.request_id = i.request_id AND ev.event_type = i.event_type LIMIT 1
    ) AS dup ON true
    WHERE dup.found IS NULL
    RETURNING event_type, request_id`);
}
