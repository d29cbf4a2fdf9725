import type { TelemetryEvent } from '../domain/index.js';
import type { NotesPolicy } from '../privacy/index.js';
import { personalDataRedactor } from '../privacy/redact-personal.js';
import { toEvent } from '../tracker/index.js';
import type { IngestEvent } from './event-schema.js';

/**
 * Maps a validated ingest event to a {@link TelemetryEvent} with the tracker's own mapper (see
 * `toEvent`), so an event sent over HTTP is stored as the in-process tracker would store it.
 * `occurredAt` defaults to `now`.
 */
export function toTelemetryEvent(event: IngestEvent, now: Date, notesPolicy: NotesPolicy): TelemetryEvent {
  return toEvent(
    {
      type: event.type,
      requestId: event.request_id,
      occurredAt: event.occurred_at === undefined ? now : new Date(event.occurred_at),
      anonSessionId: event.anon_session_id,
      userId: event.user_id,
      tripId: event.trip_id,
      errorCode: event.error_code,
      errorClass: event.error_class,
      errorMessage: event.error_message,
      httpStatus: event.http_status,
      durationMs: event.duration_ms,
      provider: event.provider,
      model: event.model,
      promptContractVersion: event.prompt_contract_version,
      flow: event.flow,
      source: event.source,
      input: event.input_snapshot,
      effectiveDefaults: event.effective_defaults,
    },
    // Notes from an edge tracker were only pattern-redacted there: names and special-category
    // terms are taken out here, before anything is stored.
    { notesPolicy, notesRedactor: personalDataRedactor },
  );
}
