import type { TelemetryEvent } from '../domain/index.js';
import type { CopyRow } from '../storage/index.js';
import type { Columns } from './column-sql.js';
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

/** The columns of an event row, as written. */
export const EVENT_COLUMNS: Columns = [
  ['id', 'uuid'],
  ['created_at', 'timestamptz'],
  ['event_type', 'text'],
  ['trip_id', 'text'],
  ['user_id', 'uuid'],
  ['anon_session_id', 'text'],
  ['request_id', 'text'],
  ['prompt_contract_version', 'text'],
  ['payload_json', 'jsonb'],
];

/** What an event row takes from elsewhere when the event itself does not carry it. */
export interface EventRowFallbacks {
  userId?: string | null;
  anonSessionId?: string | null;
  promptContractVersion?: string | null;
}

/**
 * An event row in {@link EVENT_COLUMNS} order: the event's own values (a prompt contract version
 * only on attempted events), else the fallbacks, else NULL.
 */
export function eventRow(event: TelemetryEvent, fallbacks: EventRowFallbacks = {}): CopyRow {
  const version = event.type === 'create_trip_attempted' ? event.promptContractVersion : undefined;
  const payload = eventPayload(event);
  return [
    event.id,
    event.occurredAt.toISOString(),
    event.type,
    event.tripId ?? null,
    event.userId ?? fallbacks.userId ?? null,
    event.anonSessionId ?? fallbacks.anonSessionId ?? null,
    event.requestId,
    version ?? fallbacks.promptContractVersion ?? null,
    payload === null ? null : JSON.stringify(payload),
  ];
}
