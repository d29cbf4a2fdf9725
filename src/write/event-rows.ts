import type { TelemetryEvent } from '../domain/index.js';
import { eventKey } from './sink.js';

/** What an event row's `payload_json` holds, per type (no identifiers: those are columns). */
export function eventPayload(event: TelemetryEvent): Record<string, unknown> | null {
  const payload: Record<string, unknown> = {};
  const put = (key: string, value: unknown) => {
    if (value !== undefined && value !== null) payload[key] = value;
  };
  put('source', event.source);
  put('provider', event.provider);
  put('model', event.model);
  put('duration_ms', event.durationMs);
  if (event.type === 'create_trip_failed') {
    put('error_code', event.errorCode);
    put('failure_kind', event.failureKind);
    put('http_status', event.httpStatus);
    put('error_message', event.errorMessage);
  }
  return Object.keys(payload).length > 0 ? payload : null;
}

/** Drops repeated (request id, type) pairs inside one batch, keeping the first. */
export function uniqueEvents(events: TelemetryEvent[]): TelemetryEvent[] {
  const seen = new Set<string>();
  return events.filter((event) => {
    const key = eventKey(event);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** The columns of event rows, each as an array, for one `unnest(...)` round trip. */
export function eventColumns(events: TelemetryEvent[]) {
  return {
    id: events.map((e) => e.id),
    created_at: events.map((e) => e.occurredAt.toISOString()),
    event_type: events.map((e) => e.type),
    trip_id: events.map((e) => e.tripId ?? null),
    user_id: events.map((e) => e.userId ?? null),
    anon_session_id: events.map((e) => e.anonSessionId ?? null),
    request_id: events.map((e) => e.requestId),
    prompt_contract_version: events.map((e) =>
      e.type === 'create_trip_attempted' ? (e.promptContractVersion ?? null) : null,
    ),
    payload_json: events.map((e) => {
      const payload = eventPayload(e);
      return payload === null ? null : JSON.stringify(payload);
    }),
  };
}
