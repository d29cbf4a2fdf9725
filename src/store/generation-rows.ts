import type { AttemptPhaseRecord, ProviderCallRecord, ProviderCallStatus } from '../domain/index.js';
import {
  bigint,
  defineRow,
  integer,
  nullable,
  numeric,
  type RowOf,
  text,
  textOf,
  timestamptz,
  uuid,
} from './row-shape.js';

/**
 * A provider call as the write path sends it (the columns of `trip_creation_provider_calls` it
 * knows before the statement; `cost_usd` and `price_version` are computed by the statement from
 * `model_prices`, and missing identifiers come from the attempt row).
 */
export const CALL_ROW = defineRow({
  id: uuid,
  created_at: timestamptz,
  request_id: text,
  call_index: integer,
  user_id: nullable(uuid),
  anon_session_id: nullable(text),
  provider: text,
  model: text,
  response_model: nullable(text),
  status: textOf<ProviderCallStatus>(),
  error_code: nullable(text),
  failure_kind: nullable(text),
  http_status: nullable(integer),
  duration_ms: nullable(integer),
  ttft_ms: nullable(integer),
  input_tokens: nullable(integer),
  output_tokens: nullable(integer),
  cached_input_tokens: nullable(integer),
  reasoning_tokens: nullable(integer),
  finish_reason: nullable(text),
  retry_reason: nullable(text),
  prompt_contract_version: nullable(text),
  flow: nullable(text),
  source: text,
});

/**
 * What a call or phase row takes from its attempt when the record does not carry it (the bulk path
 * of new requests knows the attempt row it writes in the same batch): the same precedence as
 * the statements of the SQL path (generation-statements.ts), where the record's own user and
 * anonymous id win, and the attempt's contract version and flow win.
 */
export interface AnatomyFallbacks {
  userId?: string | null;
  anonSessionId?: string | null;
  promptContractVersion?: string | null;
  flow?: string | null;
}

/** No fallbacks: a row of the record's own values only (the SQL path fills the rest in). */
export const OWN_ANATOMY: AnatomyFallbacks = Object.freeze({});

/** A call record in {@link CALL_ROW} order. */
export const callRow = CALL_ROW.encoder<ProviderCallRecord, AnatomyFallbacks>({
  id: (c) => c.id,
  created_at: (c) => c.occurredAt,
  request_id: (c) => c.requestId,
  call_index: (c) => c.callIndex,
  user_id: (c, f) => c.userId ?? f.userId ?? null,
  anon_session_id: (c, f) => c.anonSessionId ?? f.anonSessionId ?? null,
  provider: (c) => c.provider,
  model: (c) => c.model,
  response_model: (c) => c.responseModel ?? null,
  status: (c) => c.status,
  error_code: (c) => c.errorCode ?? null,
  failure_kind: (c) => c.failureKind ?? null,
  http_status: (c) => c.httpStatus ?? null,
  duration_ms: (c) => c.durationMs ?? null,
  ttft_ms: (c) => c.ttftMs ?? null,
  input_tokens: (c) => c.inputTokens ?? null,
  output_tokens: (c) => c.outputTokens ?? null,
  cached_input_tokens: (c) => c.cachedInputTokens ?? null,
  reasoning_tokens: (c) => c.reasoningTokens ?? null,
  finish_reason: (c) => c.finishReason ?? null,
  retry_reason: (c) => c.retryReason ?? null,
  prompt_contract_version: (c, f) => f.promptContractVersion ?? c.promptContractVersion ?? null,
  flow: (c, f) => f.flow ?? c.flow ?? null,
  source: (c) => c.source,
});

/** A row of `trip_creation_attempt_phases` (the table's column order). */
export const PHASE_ROW = defineRow({
  id: uuid,
  created_at: timestamptz,
  request_id: text,
  phase: text,
  duration_ms: integer,
  user_id: nullable(uuid),
  anon_session_id: nullable(text),
  source: text,
});

/** A phase record in {@link PHASE_ROW} order (identifiers it lacks from `fallbacks`). */
export const phaseRow = PHASE_ROW.encoder<AttemptPhaseRecord, AnatomyFallbacks>({
  id: (p) => p.id,
  created_at: (p) => p.startedAt,
  request_id: (p) => p.requestId,
  phase: (p) => p.phase,
  duration_ms: (p) => p.durationMs,
  user_id: (p, f) => p.userId ?? f.userId ?? null,
  anon_session_id: (p, f) => p.anonSessionId ?? f.anonSessionId ?? null,
  source: (p) => p.source,
});

/**
 * A call row priced in JavaScript (prices/cost.ts), as the bulk path stores it: a {@link callRow}
 * followed by its cost (exact decimal text, NULL when unpriced) and price version.
 */
export const PRICED_CALL_ROW = CALL_ROW.extend({
  cost_usd: nullable(numeric),
  price_version: nullable(text),
});

/**
 * The totals an attempt row keeps of its calls (0011), as `syncAnatomy` computes them: SQL's
 * `count`, `sum` (NULL when every value is NULL) and the count of unpriced calls.
 */
export const ATTEMPT_TOTALS = defineRow({
  call_count: integer,
  input_tokens: nullable(bigint),
  output_tokens: nullable(bigint),
  cached_input_tokens: nullable(bigint),
  reasoning_tokens: nullable(bigint),
  cost_usd: nullable(numeric),
  unpriced_calls: integer,
});

/** An attempt's totals (see {@link ATTEMPT_TOTALS}). */
export type AttemptTotals = RowOf<typeof ATTEMPT_TOTALS.columns>;

/** Totals in {@link ATTEMPT_TOTALS} order. */
export const totalsRow = ATTEMPT_TOTALS.encoder<AttemptTotals>({});
