import { type Kysely, type Selectable, sql } from 'kysely';
import type { AttemptPhasesTable, Database, ProviderCallsTable } from '../storage/index.js';
import { type AttemptRow, attemptColumns, isoRow } from './attempt-columns.js';
import type { AttemptSummary } from './attempts-query.js';

/** One event of the attempt (`trip_creation_events`), without its payload. */
export interface AttemptEventView {
  event_type: string;
  at: string;
  /** Milliseconds after the attempt started (negative when recorded before it). */
  offset_ms: number;
  trip_id: string | null;
}

/** The columns of a provider call the attempt view shows: numbers and labels, never text. */
const CALL_COLUMNS = [
  'call_index',
  'provider',
  'model',
  'response_model',
  'status',
  'error_code',
  'failure_kind',
  'http_status',
  'duration_ms',
  'ttft_ms',
  'input_tokens',
  'output_tokens',
  'cached_input_tokens',
  'reasoning_tokens',
  'finish_reason',
  'retry_reason',
  'cost_usd',
  'price_version',
  'source',
] as const;

/**
 * One provider call of the attempt: its row's columns as declared in `ProviderCallsTable`
 * (`cost_usd` null when unpriced, never 0 for that), with its start and offset.
 */
export type AttemptCallView = Pick<Selectable<ProviderCallsTable>, (typeof CALL_COLUMNS)[number]> & {
  started_at: string;
  offset_ms: number;
};

/** One named phase of the attempt. */
export type AttemptPhaseView = Pick<Selectable<AttemptPhasesTable>, 'phase' | 'duration_ms' | 'source'> & {
  started_at: string;
  offset_ms: number;
};

/** An attempt up close: its row and totals, and its events, calls and phases on one time axis. */
export interface AttemptDetail {
  attempt: AttemptSummary;
  events: AttemptEventView[];
  calls: AttemptCallView[];
  phases: AttemptPhaseView[];
}

const offset = (at: Date | string, start: Date) => new Date(at).getTime() - start.getTime();

/**
 * The attempt `requestId` with its events, calls and phases, each with its offset from the
 * attempt's start; undefined when no raw row holds it (never written, deleted, or dropped by
 * retention). Calls and phases of an attempt whose row is gone are not shown either.
 *
 * @example
 * const detail = await getAttempt(database, 'req_0192…');
 */
export async function getAttempt(database: Database, requestId: string): Promise<AttemptDetail | undefined> {
  const db = database.db as Kysely<unknown>;
  const table = (name: string) => sql.table(`${database.schema}.${name}`);
  const found = await sql<AttemptRow<AttemptSummary>>`
    SELECT ${attemptColumns()} FROM ${table('trip_creation_attempts')} AS a
    WHERE a.request_id = ${requestId} ORDER BY a.created_at LIMIT 1`.execute(db);
  const row = found.rows[0];
  if (!row) return undefined;
  const start = new Date(row.created_at);
  const [events, calls, phases] = await Promise.all([
    sql<{ event_type: string; created_at: Date; trip_id: string | null }>`
      SELECT event_type, created_at, trip_id FROM ${table('trip_creation_events')}
      WHERE request_id = ${requestId} ORDER BY created_at, event_type`.execute(db),
    sql<Omit<AttemptCallView, 'started_at' | 'offset_ms'> & { created_at: Date }>`
      SELECT created_at, ${sql.raw(CALL_COLUMNS.join(', '))}
      FROM ${table('trip_creation_provider_calls')}
      WHERE request_id = ${requestId} ORDER BY call_index`.execute(db),
    sql<Omit<AttemptPhaseView, 'started_at' | 'offset_ms'> & { created_at: Date }>`
      SELECT phase, created_at, duration_ms, source FROM ${table('trip_creation_attempt_phases')}
      WHERE request_id = ${requestId} ORDER BY created_at, phase`.execute(db),
  ]);
  return {
    attempt: isoRow<AttemptSummary>(row),
    events: events.rows.map((e) => ({
      event_type: e.event_type,
      at: new Date(e.created_at).toISOString(),
      offset_ms: offset(e.created_at, start),
      trip_id: e.trip_id,
    })),
    calls: calls.rows.map(({ created_at, ...call }) => ({
      ...call,
      started_at: new Date(created_at).toISOString(),
      offset_ms: offset(created_at, start),
    })),
    phases: phases.rows.map(({ created_at, ...phase }) => ({
      ...phase,
      started_at: new Date(created_at).toISOString(),
      offset_ms: offset(created_at, start),
    })),
  };
}
