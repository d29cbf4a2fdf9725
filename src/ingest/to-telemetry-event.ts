import {
  classifyFailure,
  DEFAULT_PROMPT_CONTRACT_VERSION,
  type JsonValue,
  newId,
  type TelemetryEvent,
} from '../domain/index.js';
import { type NotesPolicy, redactErrorMessage, snapshotInput } from '../privacy/index.js';
import type { IngestEvent } from './event-schema.js';

/**
 * Maps a validated ingest event to a {@link TelemetryEvent}: a new UUIDv7 id, lower-cased subject
 * ids, the error message redacted and truncated, snapshots through the input allowlist (with
 * `notesPolicy`), and `failure_kind` classified for failed events. `occurredAt` defaults to `now`.
 */
export function toTelemetryEvent(event: IngestEvent, now: Date, notesPolicy: NotesPolicy): TelemetryEvent {
  const errorMessage =
    event.error_message === undefined ? undefined : redactErrorMessage(event.error_message);
  const inputSnapshot = snapshotOf(event.input_snapshot, notesPolicy);
  const snapshotTarget = inputSnapshot as { provider?: string; model?: string } | undefined;
  const failed = event.type === 'create_trip_failed';
  const attempted = event.type === 'create_trip_attempted';
  return {
    id: newId(),
    type: event.type,
    requestId: event.request_id,
    occurredAt: event.occurred_at === undefined ? now : new Date(event.occurred_at),
    anonSessionId: event.anon_session_id?.toLowerCase(),
    userId: event.user_id?.toLowerCase(),
    tripId: event.trip_id,
    errorCode: event.error_code,
    errorMessage,
    httpStatus: event.http_status,
    failureKind: failed
      ? classifyFailure({ errorCode: event.error_code, httpStatus: event.http_status, message: errorMessage })
      : undefined,
    durationMs: event.duration_ms,
    provider: event.provider ?? (attempted ? snapshotTarget?.provider : undefined),
    model: event.model ?? (attempted ? snapshotTarget?.model : undefined),
    promptContractVersion:
      event.prompt_contract_version ?? (attempted ? DEFAULT_PROMPT_CONTRACT_VERSION : undefined),
    source: event.source ?? 'app',
    inputSnapshot,
    effectiveDefaults: snapshotOf(event.effective_defaults, notesPolicy),
  };
}

function snapshotOf(value: unknown, notesPolicy: NotesPolicy): JsonValue | undefined {
  if (value === undefined) return undefined;
  return snapshotInput(value, { notesPolicy }).snapshot as JsonValue;
}
