import { DEFAULT_PROMPT_CONTRACT_VERSION, newId, statusOf, type TelemetryEvent } from '../domain/index.js';

/** The merged effect of one batch's events on one attempt row, ready for `unnest` columns. */
export interface AttemptPatch {
  request_id: string;
  id: string;
  /** Start time when known; else the finish time minus the duration, or the finish time. */
  created_at: Date;
  start_known: boolean;
  status: 'pending' | 'success' | 'failed';
  finished_at: Date | null;
  duration_ms: number | null;
  error_code: string | null;
  failure_kind: string | null;
  trip_id: string | null;
  user_id: string | null;
  anon_session_id: string | null;
  provider: string | null;
  model: string | null;
  /** Only set by an attempted event (a terminal event does not know the contract version). */
  prompt_contract_version: string | null;
  source: string;
  input_snapshot_json: string | null;
  effective_defaults_json: string | null;
  fingerprint: string | null;
}

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
      };
      byRequest.set(event.requestId, patch);
    }
    patch.user_id ??= event.userId ?? null;
    patch.anon_session_id ??= event.anonSessionId ?? null;
    patch.provider ??= event.provider ?? null;
    patch.model ??= event.model ?? null;
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

/** The columns of an attempt patch, each as an array, for one `unnest(...)` round trip. */
export function patchColumns(patches: AttemptPatch[]) {
  const col = <K extends keyof AttemptPatch>(key: K) => patches.map((p) => p[key]);
  return {
    request_id: col('request_id'),
    id: col('id'),
    created_at: col('created_at').map((d) => d.toISOString()),
    start_known: col('start_known'),
    status: col('status'),
    finished_at: col('finished_at').map((d) => d?.toISOString() ?? null),
    duration_ms: col('duration_ms'),
    error_code: col('error_code'),
    failure_kind: col('failure_kind'),
    trip_id: col('trip_id'),
    user_id: col('user_id'),
    anon_session_id: col('anon_session_id'),
    provider: col('provider'),
    model: col('model'),
    prompt_contract_version: col('prompt_contract_version'),
    source: col('source'),
    input_snapshot_json: col('input_snapshot_json'),
    effective_defaults_json: col('effective_defaults_json'),
    fingerprint: col('fingerprint'),
  };
}
