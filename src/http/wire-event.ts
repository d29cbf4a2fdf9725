import {
  type AttemptPhaseRecord,
  isTelemetryEvent,
  type ProviderCallRecord,
  type TelemetryEvent,
  type TelemetryRecord,
} from '../domain/index.js';

/** The `POST /v1/events` form of any record: an event, a `provider_call` or an `attempt_phase`. */
export function toWireRecord(record: TelemetryRecord): Record<string, unknown> {
  if (isTelemetryEvent(record)) return toWireEvent(record);
  return record.kind === 'provider_call' ? toWireCall(record) : toWirePhase(record);
}

/** Sets `wire[key]` when `value` is neither undefined nor null. */
function putter(wire: Record<string, unknown>) {
  return (key: string, value: unknown) => {
    if (value !== undefined && value !== null) wire[key] = value;
  };
}

/** A provider call as a `provider_call` event of `POST /v1/events` (the server classifies its failure kind). */
export function toWireCall(call: ProviderCallRecord): Record<string, unknown> {
  const wire: Record<string, unknown> = {
    type: 'provider_call',
    request_id: call.requestId,
    call_index: call.callIndex,
    occurred_at: call.occurredAt.toISOString(),
    provider: call.provider,
    model: call.model,
    status: call.status,
  };
  const put = putter(wire);
  put('response_model', call.responseModel);
  put('error_code', call.errorCode);
  put('http_status', call.httpStatus);
  put('duration_ms', call.durationMs);
  put('ttft_ms', call.ttftMs);
  put('input_tokens', call.inputTokens);
  put('output_tokens', call.outputTokens);
  put('cached_input_tokens', call.cachedInputTokens);
  put('reasoning_tokens', call.reasoningTokens);
  put('finish_reason', call.finishReason);
  put('retry_reason', call.retryReason);
  put('source', call.source);
  return wire;
}

/** A phase as an `attempt_phase` event of `POST /v1/events`. */
export function toWirePhase(phase: AttemptPhaseRecord): Record<string, unknown> {
  const wire: Record<string, unknown> = {
    type: 'attempt_phase',
    request_id: phase.requestId,
    phase: phase.phase,
    started_at: phase.startedAt.toISOString(),
    duration_ms: phase.durationMs,
  };
  putter(wire)('source', phase.source);
  return wire;
}

/**
 * The `POST /v1/events` form of an event: snake_case, undefined fields left out. The server
 * assigns row ids and classifies `failure_kind` itself; the coarse fingerprint is not carried
 * over HTTP (the ingest schema has no such field).
 */
export function toWireEvent(event: TelemetryEvent): Record<string, unknown> {
  const wire: Record<string, unknown> = {
    type: event.type,
    request_id: event.requestId,
    occurred_at: event.occurredAt.toISOString(),
  };
  const put = (key: string, value: unknown) => {
    if (value !== undefined && value !== null) wire[key] = value;
  };
  put('anon_session_id', event.anonSessionId);
  put('user_id', event.userId);
  put('trip_id', event.tripId);
  put('error_code', event.errorCode);
  put('error_class', event.errorClass);
  put('error_message', event.errorMessage);
  put('http_status', event.httpStatus);
  put('duration_ms', event.durationMs);
  put('provider', event.provider);
  put('model', event.model);
  put('prompt_contract_version', event.promptContractVersion);
  put('flow', event.flow);
  put('input_snapshot', event.inputSnapshot);
  put('effective_defaults', event.effectiveDefaults);
  put('source', event.source);
  return wire;
}
