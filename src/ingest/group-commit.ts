import type { TelemetryEvent } from '../domain/index.js';
import { type BackoffOptions, backoffDelay } from '../write/backoff.js';
import { errorCodeOf, type Sink, TransientSinkError } from '../write/sink.js';
import type { CoreLogger } from '../write/stats.js';

/** What one committed submission stored: `accepted` new events, `duplicates` already stored. */
export interface CommitResult {
  accepted: number;
  duplicates: number;
}

/** Options of {@link GroupCommitWriter}; all but `sink` have defaults. */
export interface GroupCommitOptions {
  /** Where events go (the service passes a `PostgresSink`); must be idempotent by request id + type. */
  sink: Sink;
  /** Sink writes in flight at once (default 4; keep it at or below the database pool size). */
  maxConcurrent?: number;
  /** How long a submission may wait and retry before it is refused (default 10 000 ms). */
  deadlineMs?: number;
  /** Backoff between retries of a transient failure (default 50 ms doubling to 2 s). */
  retry?: BackoffOptions;
  /** The clock of deadlines (default `Date.now`). */
  now?: () => number;
  /** Waits between retries (injectable for tests). */
  sleep?: (ms: number) => Promise<void>;
  logger?: CoreLogger;
}

/**
 * The storage could not take the events within the deadline, or the writer is shutting down.
 * Nothing of the submission is known to be stored; a retry by the client is safe (idempotent).
 */
export class StorageUnavailableError extends Error {
  constructor(
    message: string,
    /** Seconds a client should wait before retrying. */
    readonly retryAfterSeconds: number,
  ) {
    super(message);
    this.name = 'StorageUnavailableError';
  }
}

interface Job {
  events: TelemetryEvent[];
  deadline: number;
  resolve: (result: CommitResult) => void;
  reject: (error: unknown) => void;
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Commits ingest submissions durably before their requests are answered. Each submission is one
 * sink write (one transaction), so its `{ accepted, duplicates }` are exact; up to
 * `maxConcurrent` writes run at once on separate pool connections, and Postgres merges their WAL
 * flushes (group commit). Submissions beyond that wait in FIFO order. A transient failure is
 * retried with backoff until the submission's deadline, then refused with
 * {@link StorageUnavailableError}; `close()` refuses new submissions and waits for the rest.
 *
 * @example
 * const writer = new GroupCommitWriter({ sink: new PostgresSink(database), maxConcurrent: 8 });
 * const { accepted, duplicates } = await writer.submit(events); // resolved once committed
 */
export class GroupCommitWriter {
  private readonly queue: Job[] = [];
  private inflight = 0;
  private closed = false;
  private idle: (() => void)[] = [];
  private readonly maxConcurrent: number;
  private readonly deadlineMs: number;
  private readonly now: () => number;
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(private readonly options: GroupCommitOptions) {
    this.maxConcurrent = Math.max(1, options.maxConcurrent ?? 4);
    this.deadlineMs = options.deadlineMs ?? 10_000;
    this.now = options.now ?? Date.now;
    this.sleep = options.sleep ?? defaultSleep;
  }

  /** Submissions queued or being written. */
  get pending(): number {
    return this.queue.length + this.inflight;
  }

  /** Resolves once `events` are committed (or were already stored); rejects when they could not be. */
  submit(events: TelemetryEvent[], deadlineMs = this.deadlineMs): Promise<CommitResult> {
    if (this.closed) return Promise.reject(new StorageUnavailableError('the service is shutting down', 1));
    if (events.length === 0) return Promise.resolve({ accepted: 0, duplicates: 0 });
    return new Promise<CommitResult>((resolve, reject) => {
      this.queue.push({ events, deadline: this.now() + deadlineMs, resolve, reject });
      this.pump();
    });
  }

  /** Refuses new submissions and resolves when every accepted one is settled. */
  close(): Promise<void> {
    this.closed = true;
    if (this.pending === 0) return Promise.resolve();
    return new Promise((resolve) => this.idle.push(resolve));
  }

  private pump(): void {
    while (this.inflight < this.maxConcurrent && this.queue.length > 0) {
      const job = this.queue.shift()!;
      this.inflight++;
      void this.run(job).finally(() => {
        this.inflight--;
        this.pump();
        if (this.pending === 0) for (const resolve of this.idle.splice(0)) resolve();
      });
    }
  }

  private async run(job: Job): Promise<void> {
    const retry = this.options.retry ?? { baseMs: 50, maxMs: 2_000 };
    if (this.now() >= job.deadline) {
      job.reject(new StorageUnavailableError('storage too slow: the submission waited past its deadline', 2));
      return;
    }
    for (let attempt = 0; ; attempt++) {
      try {
        const result = await this.options.sink.write(job.events);
        job.resolve({ accepted: result.written, duplicates: result.duplicates });
        return;
      } catch (error) {
        if (!(error instanceof TransientSinkError)) {
          job.reject(error);
          return;
        }
        const delay = backoffDelay(attempt, retry);
        const left = job.deadline - this.now();
        this.options.logger?.warn(
          { code: errorCodeOf(error), retryInMs: delay, leftMs: left },
          'ingest write failed; retrying',
        );
        if (delay >= left) {
          job.reject(new StorageUnavailableError(`storage unavailable (${errorCodeOf(error)})`, 5));
          return;
        }
        await this.sleep(delay);
      }
    }
  }
}
