import { DEFAULT_PROMPT_CONTRACT_VERSION, newId, statusOf, type TelemetryEvent } from '../domain/index.js';
import type { AttemptPatch } from './attempt-row.js';

const json = (value: unknown) => (value === undefined ? null : JSON.stringify(value));

/**
 * Folds a batch's events into one patch per request id, in time order: the attempted event
 * gives the start and the context, the first terminal event decides the outcome.
 */
export function attemptPatches(events: TelemetryEvent[]): AttemptPatch[] {
  return [...attemptPatchMap(events).values()];
}

/** {@link attemptPatches} by request id (in first-seen order). */
export function attemptPatchMap(events: TelemetryEvent[]): Map<string, AttemptPatch> {
  const byRequest = new Map<string, AttemptPatch>();
  const ordered = inTimeOrder(events)
    ? events
    : [...events].sort((a, b) => a.occurredAt.getTime() - b.occurredAt.getTime());
  for (const event of ordered) {
    let patch = byRequest.get(event.requestId);
    if (!patch) {
      patch = {
        request_id: event.requestId,
        id: newId(),
        created_at: event.occurredAt,
        start_known: false,
        status: 'pending',
        finished_at: null,
        duration_ms: null,
        error_code: null,
        failure_kind: null,
        trip_id: null,
        user_id: null,
        anon_session_id: null,
        provider: null,
        model: null,
        prompt_contract_version: null,
        source: event.source,
        input_snapshot_json: null,
        effective_defaults_json: null,
        fingerprint: null,
        flow: null,
      };
      byRequest.set(event.requestId, patch);
    }
    patch.user_id ??= event.userId ?? null;
    patch.anon_session_id ??= event.anonSessionId ?? null;
    patch.provider ??= event.provider ?? null;
    patch.model ??= event.model ?? null;
    patch.flow ??= event.flow ?? null;
    if (event.type === 'create_trip_attempted') {
      if (!patch.start_known) {
        patch.start_known = true;
        patch.created_at = event.occurredAt;
        patch.prompt_contract_version = event.promptContractVersion ?? DEFAULT_PROMPT_CONTRACT_VERSION;
        patch.input_snapshot_json = json(event.inputSnapshot);
        patch.effective_defaults_json = json(event.effectiveDefaults);
        patch.fingerprint = event.fingerprint ?? null;
        patch.source = event.source;
      }
    } else if (patch.status === 'pending') {
      patch.status = statusOf(event.type);
      patch.finished_at = event.occurredAt;
      patch.duration_ms = event.durationMs ?? null;
      patch.error_code = event.errorCode ?? null;
      patch.failure_kind = event.failureKind ?? null;
      patch.trip_id = event.tripId ?? null;
    }
  }
  for (const patch of byRequest.values()) {
    if (patch.finished_at === null) continue;
    if (patch.start_known && patch.duration_ms === null) {
      patch.duration_ms = Math.max(0, patch.finished_at.getTime() - patch.created_at.getTime());
    } else if (!patch.start_known) {
      patch.created_at = new Date(patch.finished_at.getTime() - (patch.duration_ms ?? 0));
    }
  }
  return byRequest;
}

/** True when `events` are already sorted by time (a tracker's batch is: no sort then). */
function inTimeOrder(events: TelemetryEvent[]): boolean {
  for (let i = 1; i < events.length; i++) {
    if (events[i]!.occurredAt.getTime() < events[i - 1]!.occurredAt.getTime()) return false;
  }
  return true;
}
