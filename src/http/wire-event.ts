import type { TelemetryEvent } from '../domain/index.js';

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
