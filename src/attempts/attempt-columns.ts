import { type RawBuilder, sql } from 'kysely';

/**
 * The columns of an {@link AttemptSummary} selected from an attempt row aliased `a`. Nothing else
 * leaves: not the input snapshot, the effective defaults or the fingerprint.
 */
export function attemptColumns(): RawBuilder<unknown> {
  return sql`
    a.request_id, a.created_at, a.status, a.error_code, a.failure_kind, a.duration_ms, a.trip_id,
    a.user_id::text AS user_id, a.anon_session_id, a.provider, a.model, a.prompt_contract_version,
    a.flow, a.source, a.call_count AS calls, a.input_tokens::float8 AS input_tokens,
    a.output_tokens::float8 AS output_tokens, a.cached_input_tokens::float8 AS cached_input_tokens,
    a.reasoning_tokens::float8 AS reasoning_tokens, a.cost_usd::float8 AS cost_usd, a.unpriced_calls`;
}

/** A row as the driver returns it: `created_at` as a Date. */
export type AttemptRow<T> = Omit<T, 'created_at'> & { created_at: Date | string };

/** The row with its time as ISO text. */
export function isoRow<T extends { created_at: string }>(row: AttemptRow<T>): T {
  return { ...row, created_at: new Date(row.created_at).toISOString() } as T;
}
