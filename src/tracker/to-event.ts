import {
  classifyFailure,
  DEFAULT_PROMPT_CONTRACT_VERSION,
  type JsonValue,
  newId,
  normaliseErrorCode,
  type TelemetryEvent,
} from '../domain/index.js';
import { type NotesPolicy, redactErrorMessage, snapshotInput, type TextRedactor } from '../privacy/index.js';

/**
 * What is known of one event before privacy filtering: validated, but raw. The tracker builds it
 * from a call, HTTP ingest from a wire event; {@link toEvent} makes both the same event. Subject
 * ids may be in any case (they are stored lower-cased); `provider`, `model` and `flow` default, on
 * an attempted event, to the AI target and flow of the input snapshot, and `promptContractVersion` to
 * `classic_v1`.
 */
export type EventFacts = Omit<
  TelemetryEvent,
  'id' | 'failureKind' | 'errorMessage' | 'source' | 'inputSnapshot' | 'effectiveDefaults'
> & {
  /** The error message as the app saw it: redacted and truncated here. */
  errorMessage?: string | undefined;
  /** Default: `app`. */
  source?: string | undefined;
  /** The create-trip input: only its allowlisted fields are kept (see privacy/input-schema). */
  input?: unknown;
  /** The defaults the app filled in, kept like `input`. */
  effectiveDefaults?: unknown;
};

/** Options of {@link toEvent}. */
export interface ToEventOptions {
  /** How the snapshot's free-text notes are kept. */
  notesPolicy: NotesPolicy;
  /** Under `redact`, the pass after the pattern passes (see `TextRedactor`). */
  notesRedactor?: TextRedactor | undefined;
  /** Where to count the input keys the allowlist dropped, when someone counts them. */
  stats?: { unknownKeysDropped: number };
}

/**
 * Maps the facts of one event to a {@link TelemetryEvent}: a new UUIDv7 id, lower-cased subject
 * ids, the error code normalised to UPPER_SNAKE (its raw form kept as the error class), the
 * error message redacted and truncated, the input and defaults snapshotted through the
 * allowlist, the failure kind classified on a failed event, and on an attempted event the
 * provider and model taken from the snapshot and the prompt contract version defaulted.
 *
 * @example
 * toEvent({ type: 'create_trip_failed', requestId: 'r-1', occurredAt: new Date(), errorCode: 'E_X' },
 *   { notesPolicy: 'summary' }); // { id, …, source: 'app', failureKind: 'unknown' }
 */
export function toEvent(facts: EventFacts, options: ToEventOptions): TelemetryEvent {
  const attempted = facts.type === 'create_trip_attempted';
  const inputSnapshot = snapshotOf(facts.input, options);
  const target = attempted
    ? (inputSnapshot as { provider?: string; model?: string; flow?: string } | undefined)
    : undefined;
  const { httpStatus } = facts;
  // Any code's shape is stored (normalised), never refused: the outcome matters more than its spelling.
  const code = facts.errorCode === undefined ? undefined : normaliseErrorCode(facts.errorCode);
  const errorCode = code?.code;
  const errorMessage = facts.errorMessage === undefined ? undefined : redactErrorMessage(facts.errorMessage);
  // One object literal of one shape for every event: a spread or fields added later would take
  // V8's generic copy path, per event, on the flush path.
  return {
    id: newId(),
    type: facts.type,
    requestId: facts.requestId,
    occurredAt: facts.occurredAt,
    anonSessionId: facts.anonSessionId?.toLowerCase(),
    userId: facts.userId?.toLowerCase(),
    tripId: facts.tripId,
    errorCode,
    errorClass: facts.errorClass ?? code?.errorClass,
    errorMessage,
    httpStatus,
    failureKind:
      facts.type === 'create_trip_failed'
        ? classifyFailure({ errorCode, httpStatus, message: errorMessage })
        : undefined,
    durationMs: facts.durationMs,
    provider: facts.provider ?? target?.provider,
    model: facts.model ?? target?.model,
    promptContractVersion:
      facts.promptContractVersion ?? (attempted ? DEFAULT_PROMPT_CONTRACT_VERSION : undefined),
    flow: facts.flow ?? target?.flow,
    source: facts.source ?? 'app',
    inputSnapshot,
    effectiveDefaults: snapshotOf(facts.effectiveDefaults, options),
    fingerprint: facts.fingerprint,
  };
}

function snapshotOf(value: unknown, options: ToEventOptions): JsonValue | undefined {
  if (value === undefined) return undefined;
  const result = snapshotInput(value, {
    notesPolicy: options.notesPolicy,
    notesRedactor: options.notesRedactor,
  });
  if (options.stats !== undefined) options.stats.unknownKeysDropped += result.droppedKeys;
  return result.snapshot as JsonValue;
}
