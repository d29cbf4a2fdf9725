import { recordKey, type TelemetryRecord } from '../domain/index.js';

/** What a sink reports for one written batch. */
export interface SinkResult {
  /** Records (events, provider calls, phases) newly stored. */
  written: number;
  /** Records that were already stored (redeliveries), ignored by idempotency. */
  duplicates: number;
  /**
   * Keys ({@link recordKey}) of the records newly stored, when the sink can tell; lets a caller
   * that merged several submissions into one write give each its exact numbers.
   */
  inserted?: ReadonlySet<string>;
}

/** The idempotency key of an event: its type and request id (the {@link recordKey} of an event). */
export function eventKey(event: { type: string; requestId: string }): string {
  return `${event.type}\u0000${event.requestId}`;
}

export { recordKey };

/**
 * Where the writers send events: Postgres (PostgresSink) or a `tripmeter serve` (HttpSink); the
 * tracker's batched writer and `serve`'s group commit both write through it. `write` takes any mix
 * of events, provider calls and phases ({@link TelemetryRecord}) and must be idempotent by
 * {@link recordKey}. It throws {@link TransientSinkError} for failures worth
 * retrying (the batch is kept); any other error means the batch was refused, and the writer splits
 * it to isolate the bad record; a refusal error whose `tooLarge` is true says the batch as a whole
 * was too big (HTTP 413) and its halves may pass. `classifyFailure` (retry-policy.ts) is the one
 * reading of these errors.
 */
export interface Sink {
  write(records: TelemetryRecord[]): Promise<SinkResult>;
  /** True when every `write` result carries `inserted` (the per-event outcome). */
  readonly reportsInserted?: boolean;
  close?(): Promise<void>;
}

/** A failure that may pass: refused connection, restart, timeout, 5xx. The batch is retried. */
export class TransientSinkError extends Error {
  constructor(
    message: string,
    readonly causeCode?: string,
    /** How long the other side asked to wait (e.g. `Retry-After`), in ms; the retry waits at least this. */
    readonly retryAfterMs?: number,
  ) {
    super(message);
    this.name = 'TransientSinkError';
  }
}
