import type { AttemptPhaseRecord, ProviderCallRecord, ProviderCallStatus } from '../domain/index.js';
import { defineRow, integer, nullable, text, textOf, timestamptz, uuid } from './row-shape.js';

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

/** A call record in {@link CALL_ROW} order. */
export const callRow = CALL_ROW.encoder<ProviderCallRecord>({
  id: (c) => c.id,
  created_at: (c) => c.occurredAt,
  request_id: (c) => c.requestId,
  call_index: (c) => c.callIndex,
  user_id: (c) => c.userId ?? null,
  anon_session_id: (c) => c.anonSessionId ?? null,
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
  prompt_contract_version: (c) => c.promptContractVersion ?? null,
  flow: (c) => c.flow ?? null,
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

/** A phase record in {@link PHASE_ROW} order. */
export const phaseRow = PHASE_ROW.encoder<AttemptPhaseRecord>({
  id: (p) => p.id,
  created_at: (p) => p.startedAt,
  request_id: (p) => p.requestId,
  phase: (p) => p.phase,
  duration_ms: (p) => p.durationMs,
  user_id: (p) => p.userId ?? null,
  anon_session_id: (p) => p.anonSessionId ?? null,
  source: (p) => p.source,
});
