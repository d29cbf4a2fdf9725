import {
  type AttemptPhaseRecord,
  classifyFailure,
  newId,
  normaliseErrorCode,
  type ProviderCallRecord,
} from '../domain/index.js';
import type { IngestPhase, IngestProviderCall } from './event-schema.js';

/**
 * Maps a validated `provider_call` event to a record as the tracker makes one: the code
 * normalised, the failure kind classified on a failed call. `occurredAt` defaults to `now`.
 */
export function toProviderCallRecord(call: IngestProviderCall, now: Date): ProviderCallRecord {
  const code = call.error_code === undefined ? undefined : normaliseErrorCode(call.error_code).code;
  return {
    kind: 'provider_call',
    id: newId(),
    requestId: call.request_id,
    callIndex: call.call_index,
    occurredAt: call.occurred_at === undefined ? now : new Date(call.occurred_at),
    provider: call.provider,
    model: call.model,
    responseModel: call.response_model,
    status: call.status,
    errorCode: code,
    failureKind:
      call.status === 'failed'
        ? classifyFailure({ errorCode: code, httpStatus: call.http_status })
        : undefined,
    httpStatus: call.http_status,
    durationMs: call.duration_ms,
    ttftMs: call.ttft_ms,
    inputTokens: call.input_tokens,
    outputTokens: call.output_tokens,
    cachedInputTokens: call.cached_input_tokens,
    reasoningTokens: call.reasoning_tokens,
    finishReason: call.finish_reason,
    retryReason: call.retry_reason,
    source: call.source ?? 'app',
  };
}

/** Maps a validated `attempt_phase` event to a record. */
export function toPhaseRecord(phase: IngestPhase): AttemptPhaseRecord {
  return {
    kind: 'attempt_phase',
    id: newId(),
    requestId: phase.request_id,
    phase: phase.phase,
    startedAt: new Date(phase.started_at),
    durationMs: phase.duration_ms,
    source: phase.source ?? 'app',
  };
}
