import type { TelemetryEvent } from '../domain/index.js';

/** What a sink reports for one written batch. */
export interface SinkResult {
  /** Events newly stored. */
  written: number;
  /** Events that were already stored (redeliveries), ignored by idempotency. */
  duplicates: number;
  /**
   * Keys ({@link eventKey}) of the events newly stored, when the sink can tell; lets a caller
   * that merged several submissions into one write give each its exact numbers.
   */
  inserted?: ReadonlySet<string>;
}

/** The idempotency key of an event: its type and request id. */
export function eventKey(event: { type: string; requestId: string }): string {
  return `${event.type}\u0000${event.requestId}`;
}

/**
 * Where the batched writer sends events: Postgres (PostgresSink) or a `tripmeter serve`
 * (HttpSink). `write` must be idempotent by `requestId`/event type. It throws
 * {@link TransientSinkError} for failures worth retrying (the batch is kept); any other error
 * means the batch was refused, and the writer splits it to isolate the bad record.
 */
export interface Sink {
  write(events: TelemetryEvent[]): Promise<SinkResult>;
  /** True when every `write` result carries `inserted` (the per-event outcome). */
  readonly reportsInserted?: boolean;
  close?(): Promise<void>;
}

/** A failure that may pass: refused connection, restart, timeout, 5xx. The batch is retried. */
export class TransientSinkError extends Error {
  constructor(
    message: string,
    readonly causeCode?: string,
  ) {
    super(message);
    this.name = 'TransientSinkError';
  }
}
