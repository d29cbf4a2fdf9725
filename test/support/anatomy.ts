import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import type { Database } from '../../src/storage/index.js';

/**
 * Hand-made generation anatomy (0011) for tests of readers: rows inserted straight into the raw
 * tables, since the writer of calls and phases is built elsewhere. One attempt with its events,
 * provider calls and phases; every time is an offset in ms from the attempt's start.
 */
export interface AnatomyAttempt {
  at: Date;
  requestId?: string;
  status?: 'pending' | 'success' | 'failed';
  errorCode?: string | null;
  failureKind?: string | null;
  durationMs?: number | null;
  tripId?: string | null;
  userId?: string | null;
  anonSessionId?: string | null;
  provider?: string;
  model?: string;
  version?: string;
  flow?: string | null;
  source?: string;
  /** Stored on the attempt as given (the writer keeps them current); derived from calls when absent. */
  costUsd?: number | null;
  calls?: AnatomyCall[];
  phases?: { phase: string; offsetMs: number; durationMs: number }[];
  /** Events by type and offset; default: attempted at 0 and the outcome at `durationMs`. */
  events?: {
    type: 'create_trip_attempted' | 'create_trip_succeeded' | 'create_trip_failed';
    offsetMs: number;
  }[];
}

/** One provider call of a hand-made attempt. */
export interface AnatomyCall {
  offsetMs: number;
  provider?: string;
  model?: string;
  responseModel?: string | null;
  status?: 'success' | 'failed';
  errorCode?: string | null;
  failureKind?: string | null;
  durationMs?: number;
  ttftMs?: number | null;
  inputTokens?: number;
  outputTokens?: number;
  retryReason?: string | null;
  /** Null: unpriced. */
  costUsd?: number | null;
}

const table = (database: Database, name: string) => sql.table(`${database.schema}.${name}`);
const iso = (at: Date, offsetMs = 0) => new Date(at.getTime() + offsetMs).toISOString();

/** Inserts the attempts with their events, calls and phases; returns their request ids. */
export async function seedAnatomy(database: Database, attempts: AnatomyAttempt[]): Promise<string[]> {
  const ids: string[] = [];
  for (const a of attempts) {
    const requestId = a.requestId ?? `req-${randomUUID()}`;
    ids.push(requestId);
    const status = a.status ?? 'success';
    const calls = a.calls ?? [];
    const priced = calls.filter((c) => c.costUsd !== null);
    const cost =
      a.costUsd !== undefined
        ? a.costUsd
        : priced.length > 0
          ? priced.reduce((n, c) => n + (c.costUsd ?? 0.001), 0)
          : null;
    const durationMs = a.durationMs === undefined ? (status === 'pending' ? null : 1000) : a.durationMs;
    await sql`
      INSERT INTO ${table(database, 'trip_creation_attempts')}
        (id, created_at, request_id, status, error_code, failure_kind, duration_ms, trip_id, user_id,
         anon_session_id, provider, model, prompt_contract_version, flow, source, call_count,
         input_tokens, output_tokens, cost_usd, unpriced_calls)
      VALUES (${randomUUID()}::uuid, ${iso(a.at)}::timestamptz, ${requestId}, ${status},
        ${a.errorCode ?? (status === 'failed' ? 'OPENAI_REQUEST_TIMEOUT' : null)},
        ${a.failureKind ?? (status === 'failed' ? 'timeout' : null)}, ${durationMs},
        ${a.tripId ?? null}, ${a.userId ?? null}::uuid, ${a.anonSessionId ?? null},
        ${a.provider ?? 'openai'}, ${a.model ?? 'gpt-5.4'}, ${a.version ?? 'classic_v1'}, ${a.flow ?? null},
        ${a.source ?? 'app'}, ${calls.length || null},
        ${calls.length ? calls.reduce((n, c) => n + (c.inputTokens ?? 1000), 0) : null},
        ${calls.length ? calls.reduce((n, c) => n + (c.outputTokens ?? 500), 0) : null},
        ${cost}, ${calls.length ? calls.length - priced.length : null})`.execute(database.db);
    const events = a.events ?? [
      { type: 'create_trip_attempted' as const, offsetMs: 0 },
      ...(status === 'pending'
        ? []
        : [
            {
              type:
                status === 'success' ? ('create_trip_succeeded' as const) : ('create_trip_failed' as const),
              offsetMs: durationMs ?? 0,
            },
          ]),
    ];
    for (const e of events)
      await sql`
        INSERT INTO ${table(database, 'trip_creation_events')}
          (id, created_at, event_type, trip_id, user_id, anon_session_id, request_id, prompt_contract_version, payload_json)
        VALUES (${randomUUID()}::uuid, ${iso(a.at, e.offsetMs)}::timestamptz, ${e.type},
          ${e.type === 'create_trip_succeeded' ? (a.tripId ?? null) : null}, ${a.userId ?? null}::uuid,
          ${a.anonSessionId ?? null}, ${requestId}, ${a.version ?? 'classic_v1'},
          ${JSON.stringify({ source: a.source ?? 'app' })}::jsonb)`.execute(database.db);
    for (const [index, c] of calls.entries())
      await sql`
        INSERT INTO ${table(database, 'trip_creation_provider_calls')}
          (id, created_at, request_id, call_index, user_id, anon_session_id, provider, model, response_model,
           status, error_code, failure_kind, duration_ms, ttft_ms, input_tokens, output_tokens, retry_reason,
           cost_usd, price_version, prompt_contract_version, flow, source)
        VALUES (${randomUUID()}::uuid, ${iso(a.at, c.offsetMs)}::timestamptz, ${requestId}, ${index},
          ${a.userId ?? null}::uuid, ${a.anonSessionId ?? null}, ${c.provider ?? a.provider ?? 'openai'},
          ${c.model ?? a.model ?? 'gpt-5.4'}, ${c.responseModel ?? null}, ${c.status ?? 'success'},
          ${c.errorCode ?? null}, ${c.failureKind ?? null}, ${c.durationMs ?? 800}, ${c.ttftMs ?? null},
          ${c.inputTokens ?? 1000}, ${c.outputTokens ?? 500}, ${c.retryReason ?? null},
          ${c.costUsd === undefined ? 0.001 : c.costUsd}, ${c.costUsd === null ? null : 'test-prices'},
          ${a.version ?? 'classic_v1'}, ${a.flow ?? null}, ${a.source ?? 'app'})`.execute(database.db);
    for (const p of a.phases ?? [])
      await sql`
        INSERT INTO ${table(database, 'trip_creation_attempt_phases')}
          (id, created_at, request_id, phase, duration_ms, user_id, anon_session_id, source)
        VALUES (${randomUUID()}::uuid, ${iso(a.at, p.offsetMs)}::timestamptz, ${requestId}, ${p.phase},
          ${p.durationMs}, ${a.userId ?? null}::uuid, ${a.anonSessionId ?? null}, ${a.source ?? 'app'})`.execute(
        database.db,
      );
  }
  return ids;
}
