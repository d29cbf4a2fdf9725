import { type Kysely, sql } from 'kysely';
import type { Database } from '../storage/index.js';
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

/** One provider call of the attempt: numbers and labels only, never prompt or response text. */
export interface AttemptCallView {
  call_index: number;
  started_at: string;
  offset_ms: number;
  provider: string;
  model: string;
  response_model: string | null;
  status: 'success' | 'failed';
  error_code: string | null;
  failure_kind: string | null;
  http_status: number | null;
  duration_ms: number | null;
  ttft_ms: number | null;
  input_tokens: number | null;
  output_tokens: number | null;
  cached_input_tokens: number | null;
  reasoning_tokens: number | null;
  finish_reason: string | null;
  retry_reason: string | null;
  /** Null when the model had no price (unpriced), never 0 for that. */
  cost_usd: number | null;
  price_version: string | null;
  source: string;
}

/** One named phase of the attempt. */
export interface AttemptPhaseView {
  phase: string;
  started_at: string;
  offset_ms: number;
  duration_ms: number;
  source: string;
}

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
      SELECT call_index, created_at, provider, model, response_model, status, error_code, failure_kind,
        http_status, duration_ms, ttft_ms, input_tokens, output_tokens, cached_input_tokens,
        reasoning_tokens, finish_reason, retry_reason, cost_usd::float8 AS cost_usd, price_version, source
      FROM ${table('trip_creation_provider_calls')}
      WHERE request_id = ${requestId} ORDER BY call_index`.execute(db),
    sql<{ phase: string; created_at: Date; duration_ms: number; source: string }>`
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
