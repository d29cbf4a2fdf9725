import type { EventType, TelemetryEvent } from '../domain/index.js';
import { defineRow, jsonb, nullable, text, textOf, timestamptz, uuid } from './row-shape.js';

/** Payload keys and the event fields they come from: every type, then failed events only. */
const PAYLOAD_FIELDS = [
  ['source', 'source'],
  ['provider', 'provider'],
  ['model', 'model'],
  ['duration_ms', 'durationMs'],
] as const;
const FAILURE_FIELDS = [
  ['error_code', 'errorCode'],
  ['error_class', 'errorClass'],
  ['failure_kind', 'failureKind'],
  ['http_status', 'httpStatus'],
  ['error_message', 'errorMessage'],
] as const;

type PayloadFields = typeof PAYLOAD_FIELDS | typeof FAILURE_FIELDS;

/** Appends the `"key":value` members of the fields the event has to `json` (a member list). */
function members(json: string, event: TelemetryEvent, fields: PayloadFields): string {
  for (const [key, field] of fields) {
    const value = event[field];
    if (value === undefined || value === null) continue;
    json += `${json === '' ? '' : ','}"${key}":${JSON.stringify(value)}`;
  }
  return json;
}

/**
 * An event row's `payload_json`, per type (no identifiers: those are columns), or null when
 * empty. Built as text directly: the write path produces one per event.
 */
export function eventPayloadJson(event: TelemetryEvent): string | null {
  let json = members('', event, PAYLOAD_FIELDS);
  if (event.type === 'create_trip_failed') json = members(json, event, FAILURE_FIELDS);
  return json === '' ? null : `{${json}}`;
}

const TYPE_BITS: Readonly<Record<string, number>> = {
  create_trip_attempted: 1,
  create_trip_succeeded: 2,
  create_trip_failed: 4,
};

/** Drops repeated (request id, type) pairs inside one batch, keeping the first. */
export function uniqueEvents(events: TelemetryEvent[]): TelemetryEvent[] {
  const seen = new Map<string, number>(); // request id → bits of the types already kept
  const unique: TelemetryEvent[] = [];
  for (const event of events) {
    const bit = TYPE_BITS[event.type] ?? 0;
    const bits = seen.get(event.requestId) ?? 0;
    if (bits & bit) continue;
    seen.set(event.requestId, bits | bit);
    unique.push(event);
  }
  return unique.length === events.length ? events : unique;
}

/** A row of `trip_creation_events`, as the write path stores it (the table's column order). */
export const EVENT_ROW = defineRow({
  id: uuid,
  created_at: timestamptz,
  event_type: textOf<EventType>(),
  trip_id: nullable(text),
  user_id: nullable(uuid),
  anon_session_id: nullable(text),
  request_id: text,
  prompt_contract_version: nullable(text),
  payload_json: nullable(jsonb),
});

/** What an event row takes from elsewhere when the event itself does not carry it. */
export interface EventRowFallbacks {
  userId?: string | null;
  anonSessionId?: string | null;
  promptContractVersion?: string | null;
}

/** No fallbacks: an event row of the event's own values only. */
export const OWN_VALUES: EventRowFallbacks = Object.freeze({});

/**
 * An event row in {@link EVENT_ROW} order: the event's own values (a prompt contract version
 * only on attempted events), else the fallbacks, else NULL.
 */
export const eventRow = EVENT_ROW.encoder<TelemetryEvent, EventRowFallbacks>({
  id: (event) => event.id,
  created_at: (event) => event.occurredAt,
  event_type: (event) => event.type,
  trip_id: (event) => event.tripId ?? null,
  user_id: (event, fallbacks) => event.userId ?? fallbacks.userId ?? null,
  anon_session_id: (event, fallbacks) => event.anonSessionId ?? fallbacks.anonSessionId ?? null,
  request_id: (event) => event.requestId,
  prompt_contract_version: (event, fallbacks) =>
    (event.type === 'create_trip_attempted' ? event.promptContractVersion : undefined) ??
    fallbacks.promptContractVersion ??
    null,
  payload_json: eventPayloadJson,
});
