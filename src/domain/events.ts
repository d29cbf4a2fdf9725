import type { FailureKind } from './failure-kind.js';

/** The plan's three logical server events. */
export const EVENT_TYPES = ['create_trip_attempted', 'create_trip_succeeded', 'create_trip_failed'] as const;

/** One of the plan's server event types. */
export type EventType = (typeof EVENT_TYPES)[number];

/** Status of an attempt row: `pending` until a terminal event arrives. */
export type AttemptStatus = 'pending' | 'success' | 'failed';

/** A JSON value. */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

/** Where a record is stored: `benchmark` goes to the admin-only schema, never the product tables. */
export const BENCHMARK_SOURCE = 'benchmark';

/** The default prompt contract version (the plan's column default). */
export const DEFAULT_PROMPT_CONTRACT_VERSION = 'classic_v1';

/**
 * One validated, privacy-filtered telemetry event, ready for a sink. Produced by the tracker
 * (after validation and snapshotting) and by HTTP ingest; written idempotently by `requestId`.
 */
export interface TelemetryEvent {
  /** UUIDv7 of the event row. */
  id: string;
  type: EventType;
  /** The attempt's identity: idempotency and join key. */
  requestId: string;
  /** When the app observed the event (carried through retries; becomes `created_at`). */
  occurredAt: Date;
  anonSessionId?: string | undefined;
  userId?: string | undefined;
  tripId?: string | undefined;
  /** UPPER_SNAKE, at most 64 characters (see `normaliseErrorCode`). */
  errorCode?: string | undefined;
  /** The app's own name of the error when its code was normalised (`TypeError` for `TYPE_ERROR`). */
  errorClass?: string | undefined;
  /** Redacted and truncated (200 characters). */
  errorMessage?: string | undefined;
  httpStatus?: number | undefined;
  failureKind?: FailureKind | undefined;
  durationMs?: number | undefined;
  provider?: string | undefined;
  model?: string | undefined;
  promptContractVersion?: string | undefined;
  /** The app's create-trip flow (`classic`, `wizard`, …): a `FLOW_PATTERN` identifier. */
  flow?: string | undefined;
  /** `app` by default; `benchmark` routes to the admin schema. */
  source: string;
  inputSnapshot?: JsonValue | undefined;
  effectiveDefaults?: JsonValue | undefined;
  fingerprint?: string | undefined;
}

/** Terminal status an event type leads to. */
export function statusOf(type: EventType): AttemptStatus {
  return type === 'create_trip_succeeded' ? 'success' : type === 'create_trip_failed' ? 'failed' : 'pending';
}
