import type { TelemetryEvent } from './events.js';
import type { FailureKind } from './failure-kind.js';

/**
 * The anatomy of a generation: the provider calls an attempt made and the phases its time went
 * to. Both are keyed by the attempt's `requestId` and may arrive before the attempt's own events,
 * or after it finished; both are written idempotently (`requestId` + `callIndex` / `phase`).
 * Neither carries prompt or response text.
 */

/** Phases every app has; an app may report other snake_case names (see `PHASE_PATTERN`). */
export const KNOWN_PHASES = ['queue_wait', 'provider_call', 'parse', 'normalize', 'persist'] as const;

/** A phase name: snake_case, 1–32 characters (the column's CHECK). */
export const PHASE_PATTERN = /^[a-z][a-z0-9_]{0,31}$/;

/** Why a call was made after another one of the same attempt; other snake_case reasons are allowed. */
export const KNOWN_RETRY_REASONS = [
  'timeout',
  'rate_limited',
  'parse_failed',
  'provider_error',
  'fallback',
] as const;

/** A retry reason: snake_case, 1–32 characters (the column's CHECK). */
export const RETRY_REASON_PATTERN = /^[a-z][a-z0-9_]{0,31}$/;

/** Status of one provider call. */
export type ProviderCallStatus = 'success' | 'failed';

/** One validated call to an AI provider, ready for a sink (tracker, HTTP ingest and OTLP produce it). */
export interface ProviderCallRecord {
  kind: 'provider_call';
  /** UUIDv7 of the row. */
  id: string;
  requestId: string;
  /** The call's order in the attempt, ≥ 0. */
  callIndex: number;
  /** When the call started (becomes `created_at`). */
  occurredAt: Date;
  provider: string;
  /** The model requested. */
  model: string;
  /** The model that answered, when the provider says (a router may pick another). */
  responseModel?: string | undefined;
  status: ProviderCallStatus;
  errorCode?: string | undefined;
  failureKind?: FailureKind | undefined;
  httpStatus?: number | undefined;
  durationMs?: number | undefined;
  ttftMs?: number | undefined;
  inputTokens?: number | undefined;
  outputTokens?: number | undefined;
  cachedInputTokens?: number | undefined;
  reasoningTokens?: number | undefined;
  finishReason?: string | undefined;
  retryReason?: string | undefined;
  anonSessionId?: string | undefined;
  userId?: string | undefined;
  promptContractVersion?: string | undefined;
  flow?: string | undefined;
  /** `app` by default; `benchmark` routes to the admin schema. */
  source: string;
}

/** One validated phase of an attempt, ready for a sink. */
export interface AttemptPhaseRecord {
  kind: 'attempt_phase';
  id: string;
  requestId: string;
  /** A `PHASE_PATTERN` name. */
  phase: string;
  /** When the phase started (becomes `created_at`). */
  startedAt: Date;
  durationMs: number;
  anonSessionId?: string | undefined;
  userId?: string | undefined;
  source: string;
}

/**
 * What the write path takes: the plan's events and the anatomy records. Every sink, the tracker's
 * batched writer and `serve`'s group commit accept any mix of the three in one batch.
 */
export type TelemetryRecord = TelemetryEvent | ProviderCallRecord | AttemptPhaseRecord;

/** A record that is one of the plan's events (those carry no `kind`). */
export function isTelemetryEvent(record: TelemetryRecord): record is TelemetryEvent {
  return (record as { kind?: unknown }).kind === undefined;
}

/**
 * The idempotency key of a record: an event's type and request id, a call's request id and
 * index, a phase's request id and name. Two records with one key are one row.
 */
export function recordKey(record: TelemetryRecord): string {
  if (isTelemetryEvent(record)) return `${record.type}\u0000${record.requestId}`;
  if (record.kind === 'provider_call')
    return `provider_call\u0000${record.requestId}\u0000${record.callIndex}`;
  return `attempt_phase\u0000${record.requestId}\u0000${record.phase}`;
}
