import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { picoUsd, usdText } from '../../src/domain/index.js';
import type { Database } from '../../src/storage/index.js';

/**
 * Hand-made generation anatomy (migration 0011) for the tests of the read side (attempts, metrics,
 * rollups, alerts, the dashboard): attempts with their events, provider calls and phases inserted
 * straight into the raw tables, with the totals the writer keeps on the attempt (calls, tokens,
 * cost of the priced calls, unpriced count; NULL when the attempt has no call, as the writer
 * leaves them). The one place the tests make such rows, so they can switch to the real writer in
 * one edit. Every time is an offset in ms from the attempt's start.
 */
export interface AnatomyAttempt {
  at: Date;
  /** Default: `req-<uuid>`. */
  requestId?: string;
  status?: 'pending' | 'success' | 'failed';
  /** Default for a failure: `OPENAI_REQUEST_TIMEOUT` / `timeout`. */
  errorCode?: string | null;
  failureKind?: string | null;
  /** Default: 5 s, NULL while pending. */
  durationMs?: number | null;
  tripId?: string | null;
  userId?: string | null;
  anonSessionId?: string | null;
  /** Default: openai / gpt-5.4, the calls' default too. */
  provider?: string;
  model?: string;
  /** Default: classic_v1. */
  version?: string;
  /** Default: classic. */
  flow?: string | null;
  /** Default: app. */
  source?: string;
  calls?: AnatomyCall[];
  phases?: AnatomyPhase[];
  /** Events by type and offset; default: attempted at 0 and the outcome at `durationMs`. */
  events?: { type: AnatomyEventType; offsetMs: number }[];
}

/** The event types of an attempt. */
export type AnatomyEventType = 'create_trip_attempted' | 'create_trip_succeeded' | 'create_trip_failed';

/** One provider call of a hand-made attempt (defaults: a 2 s success, TTFT 400 ms, 1000 in / 500 out). */
export interface AnatomyCall {
  /** Default: 1 s × the call's index. */
  offsetMs?: number;
  provider?: string;
  model?: string;
  /** Default: the model requested. */
  responseModel?: string | null;
  status?: 'success' | 'failed';
  errorCode?: string | null;
  failureKind?: string | null;
  retryReason?: string | null;
  durationMs?: number | null;
  ttftMs?: number | null;
  inputTokens?: number | null;
  outputTokens?: number | null;
  cachedInputTokens?: number | null;
  reasoningTokens?: number | null;
  /** USD as a decimal string, summed exactly (default `'0.01'`); `null` for an unpriced call. */
  costUsd?: string | null;
}

/** One phase of a hand-made attempt. */
export interface AnatomyPhase {
  phase: string;
  /** Default: 0 (the attempt's start). */
  offsetMs?: number;
  durationMs: number;
}

/**
 * The attempt the issue describes: a Gemini call that timed out (unpriced), a retry on gpt-5.4
 * whose answer did not parse, and a success on gpt-5.4-mini, with its four phases; 9 s end to end.
 * Totals: 3 calls, 3200 tokens in, 1900 out, $0.006, 1 unpriced call.
 */
export function retryChain(at: Date, ids: Partial<AnatomyAttempt> = {}): AnatomyAttempt {
  return {
    at,
    durationMs: 9000,
    provider: 'openai',
    model: 'gpt-5.4-mini',
    ...ids,
    calls: [
      {
        offsetMs: 100,
        provider: 'gemini',
        model: 'gemini-2.5-flash',
        status: 'failed',
        failureKind: 'timeout',
        errorCode: 'GEMINI_TIMEOUT',
        durationMs: 5000,
        ttftMs: null,
        costUsd: null,
      },
      {
        offsetMs: 5200,
        model: 'gpt-5.4',
        status: 'failed',
        failureKind: 'quality',
        errorCode: 'PARSE_FAILED',
        retryReason: 'timeout',
        durationMs: 1500,
        costUsd: '0.004',
      },
      {
        offsetMs: 6800,
        model: 'gpt-5.4-mini',
        retryReason: 'parse_failed',
        durationMs: 1800,
        ttftMs: 400,
        inputTokens: 1200,
        outputTokens: 900,
        costUsd: '0.002',
      },
    ],
    phases: [
      { phase: 'queue_wait', offsetMs: -250, durationMs: 250 },
      { phase: 'provider_call', offsetMs: 100, durationMs: 8500 },
      { phase: 'parse', offsetMs: 8600, durationMs: 120 },
      { phase: 'persist', offsetMs: 8750, durationMs: 200 },
    ],
  };
}

/** The sum of the non-null values, NULL when all are (SQL's `sum`). */
const sum = (values: (number | null)[]): number | null =>
  values.some((v) => v !== null) ? values.reduce<number>((n, v) => n + (v ?? 0), 0) : null;

const iso = (at: Date, offsetMs = 0) => new Date(at.getTime() + offsetMs).toISOString();

/** The rows of one attempt, as the four tables store them. */
function rowsOf(a: AnatomyAttempt) {
  const requestId = a.requestId ?? `req-${randomUUID()}`;
  const status = a.status ?? 'success';
  const provider = a.provider ?? 'openai';
  const model = a.model ?? 'gpt-5.4';
  const version = a.version ?? 'classic_v1';
  const flow = a.flow === undefined ? 'classic' : a.flow;
  const source = a.source ?? 'app';
  const durationMs = a.durationMs === undefined ? (status === 'pending' ? null : 5000) : a.durationMs;
  const subject = {
    request_id: requestId,
    user_id: a.userId ?? null,
    anon_session_id: a.anonSessionId ?? null,
  };
  const calls = (a.calls ?? []).map((c, i) => {
    const callModel = c.model ?? model;
    const costUsd = c.costUsd === undefined ? '0.01' : c.costUsd;
    return {
      ...subject,
      id: randomUUID(),
      created_at: iso(a.at, c.offsetMs ?? 1000 * i),
      call_index: i,
      provider: c.provider ?? provider,
      model: callModel,
      response_model: c.responseModel === undefined ? callModel : c.responseModel,
      status: c.status ?? 'success',
      error_code: c.errorCode ?? null,
      failure_kind: c.failureKind ?? null,
      retry_reason: c.retryReason ?? null,
      duration_ms: c.durationMs === undefined ? 2000 : c.durationMs,
      ttft_ms: c.ttftMs === undefined ? 400 : c.ttftMs,
      input_tokens: c.inputTokens === undefined ? 1000 : c.inputTokens,
      output_tokens: c.outputTokens === undefined ? 500 : c.outputTokens,
      cached_input_tokens: c.cachedInputTokens ?? null,
      reasoning_tokens: c.reasoningTokens ?? null,
      cost_usd: costUsd === null ? null : usdText(picoUsd(costUsd)),
      price_version: costUsd === null ? null : 'test-prices',
      prompt_contract_version: version,
      flow,
      source,
    };
  });
  const priced = calls.filter((c) => c.cost_usd !== null);
  const attempt = {
    ...subject,
    id: randomUUID(),
    created_at: iso(a.at),
    status,
    error_code:
      a.errorCode !== undefined ? a.errorCode : status === 'failed' ? 'OPENAI_REQUEST_TIMEOUT' : null,
    failure_kind: a.failureKind !== undefined ? a.failureKind : status === 'failed' ? 'timeout' : null,
    duration_ms: durationMs,
    trip_id: a.tripId ?? null,
    provider,
    model,
    prompt_contract_version: version,
    flow,
    source,
    // The writer's totals: NULL until the attempt has a call.
    call_count: calls.length || null,
    input_tokens: sum(calls.map((c) => c.input_tokens)),
    output_tokens: sum(calls.map((c) => c.output_tokens)),
    cached_input_tokens: sum(calls.map((c) => c.cached_input_tokens)),
    reasoning_tokens: sum(calls.map((c) => c.reasoning_tokens)),
    cost_usd: priced.length ? usdText(priced.reduce((n, c) => n + picoUsd(c.cost_usd!), 0n)) : null,
    unpriced_calls: calls.length ? calls.length - priced.length : null,
  };
  const outcome: AnatomyEventType = status === 'success' ? 'create_trip_succeeded' : 'create_trip_failed';
  const events = (
    a.events ?? [
      { type: 'create_trip_attempted', offsetMs: 0 },
      ...(status === 'pending' ? [] : [{ type: outcome, offsetMs: durationMs ?? 0 }]),
    ]
  ).map((e) => ({
    ...subject,
    id: randomUUID(),
    created_at: iso(a.at, e.offsetMs),
    event_type: e.type,
    trip_id: e.type === 'create_trip_succeeded' ? (a.tripId ?? null) : null,
    prompt_contract_version: version,
    payload_json: { source },
  }));
  const phases = (a.phases ?? []).map((p) => ({
    ...subject,
    id: randomUUID(),
    created_at: iso(a.at, p.offsetMs ?? 0),
    phase: p.phase,
    duration_ms: p.durationMs,
    source,
  }));
  return { attempt, events, calls, phases };
}

/**
 * Inserts the attempts with their events, calls and phases (one statement per table, however
 * many attempts); returns their request ids in order.
 *
 * @example
 * const [id] = await seedAnatomy(database, [{ at: new Date(), calls: [{ costUsd: '0.002' }] }]);
 */
export async function seedAnatomy(database: Database, attempts: AnatomyAttempt[]): Promise<string[]> {
  const rows = attempts.map(rowsOf);
  /** One `INSERT … SELECT FROM jsonb_to_recordset` of `records`; `columns` is "name type, …". */
  const insert = async (table: string, records: Record<string, unknown>[], columns: string) => {
    if (records.length === 0) return;
    const names = columns.split(',').map((c) => c.trim().split(/\s+/)[0]);
    await sql`
      INSERT INTO ${sql.table(`${database.schema}.${table}`)} (${sql.raw(names.join(', '))})
      SELECT ${sql.raw(names.join(', '))}
      FROM jsonb_to_recordset(${JSON.stringify(records)}::jsonb) AS r(${sql.raw(columns)})`.execute(
      database.db,
    );
  };
  const subject = 'request_id text, user_id uuid, anon_session_id text, id uuid, created_at timestamptz';
  await insert(
    'trip_creation_attempts',
    rows.map((r) => r.attempt),
    `${subject}, status text, error_code text, failure_kind text, duration_ms integer, trip_id text,
     provider text, model text, prompt_contract_version text, flow text, source text, call_count integer,
     input_tokens bigint, output_tokens bigint, cached_input_tokens bigint, reasoning_tokens bigint,
     cost_usd numeric, unpriced_calls integer`,
  );
  await insert(
    'trip_creation_events',
    rows.flatMap((r) => r.events),
    `${subject}, event_type text, trip_id text, prompt_contract_version text, payload_json jsonb`,
  );
  await insert(
    'trip_creation_provider_calls',
    rows.flatMap((r) => r.calls),
    `${subject}, call_index integer, provider text, model text, response_model text, status text,
     error_code text, failure_kind text, retry_reason text, duration_ms integer, ttft_ms integer,
     input_tokens integer, output_tokens integer, cached_input_tokens integer, reasoning_tokens integer,
     cost_usd numeric, price_version text, prompt_contract_version text, flow text, source text`,
  );
  await insert(
    'trip_creation_attempt_phases',
    rows.flatMap((r) => r.phases),
    `${subject}, phase text, duration_ms integer, source text`,
  );
  return rows.map((r) => r.attempt.request_id);
}
