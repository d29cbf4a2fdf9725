import type { TelemetryRecord } from '../domain/index.js';
import {
  type CoreLogger,
  type RetryOptions,
  RetryPolicy,
  recordKey,
  type Sink,
  type SinkResult,
} from '../tracker/index.js';

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
  /**
   * Events one sink write may merge from several waiting submissions (default 2 000). Merging
   * needs a sink that reports which events it stored (`Sink.reportsInserted`); otherwise every
   * submission is written on its own.
   */
  maxBatchEvents?: number;
  /** How long a submission may wait and retry before it is refused (default 10 000 ms). */
  deadlineMs?: number;
  /** Backoff between retries of a transient failure (default 50 ms doubling to 2 s). */
  retry?: RetryOptions;
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

/** Counters of a {@link GroupCommitWriter} (for `/metrics`); read `writer.stats`. */
export interface IngestStats {
  /** Submissions (requests) received. */
  submissions: number;
  /** Events newly stored. */
  accepted: number;
  /** Events already stored (resent). */
  duplicates: number;
  /** Sink writes (transactions) that succeeded. */
  batches: number;
  /** Sink writes retried after a transient failure. */
  retries: number;
  /** Submissions the database refused (not transient). */
  rejected: number;
  /** Submissions refused because storage stayed unavailable past their deadline or at shutdown. */
  dropped: number;
}

interface Job {
  events: TelemetryRecord[];
  deadline: number;
  resolve: (result: CommitResult) => void;
  reject: (error: unknown) => void;
}

/** Shorter than the tracker's: a request is waiting on the answer. */
const INGEST_BACKOFF = { baseMs: 50, maxMs: 2_000 };

/**
 * Commits ingest submissions durably before their requests are answered (group commit). While
 * `maxConcurrent` writes are in flight, arriving submissions wait; the next free slot writes all
 * that waited (up to `maxBatchEvents`) in ONE transaction, and the sink's per-event outcome gives
 * each submission its exact `{ accepted, duplicates }`. Under light load a submission is written
 * alone at once; under heavy load the transactions grow instead of queueing up. A merged write
 * the database refuses is retried one submission at a time, so one bad request cannot fail the
 * others. A transient failure is retried by the tracker's {@link RetryPolicy} (with shorter
 * defaults) until each submission's deadline, then refused with {@link StorageUnavailableError};
 * `close()` refuses new submissions and waits.
 *
 * @example
 * const writer = new GroupCommitWriter({ sink: new PostgresSink(database), maxConcurrent: 4 });
 * const { accepted, duplicates } = await writer.submit(events); // resolved once committed
 */
export class GroupCommitWriter {
  private readonly queue: Job[] = [];
  private inflight = 0;
  private closed = false;
  private idle: (() => void)[] = [];
  /** Counters since start. */
  readonly stats: IngestStats = {
    submissions: 0,
    accepted: 0,
    duplicates: 0,
    batches: 0,
    retries: 0,
    rejected: 0,
    dropped: 0,
  };
  private readonly maxConcurrent: number;
  private readonly maxBatchEvents: number;
  private readonly deadlineMs: number;
  private readonly now: () => number;
  private readonly retry: RetryPolicy;

  constructor(private readonly options: GroupCommitOptions) {
    this.maxConcurrent = Math.max(1, options.maxConcurrent ?? 4);
    this.maxBatchEvents = Math.max(1, options.maxBatchEvents ?? 2_000);
    this.deadlineMs = options.deadlineMs ?? 10_000;
    this.now = options.now ?? Date.now;
    this.retry = new RetryPolicy(options.retry, INGEST_BACKOFF);
  }

  /** Submissions queued or being written. */
  get pending(): number {
    return this.queue.length + this.inflight;
  }

  /**
   * Resolves once `events` (any mix of events, provider calls and phases) are committed (or were
   * already stored); rejects when they could not be.
   */
  submit(events: TelemetryRecord[], deadlineMs = this.deadlineMs): Promise<CommitResult> {
    this.stats.submissions++;
    if (this.closed) {
      this.stats.dropped++;
      return Promise.reject(new StorageUnavailableError('the service is shutting down', 1));
    }
    if (events.length === 0) return Promise.resolve({ accepted: 0, duplicates: 0 });
    return new Promise<CommitResult>((resolve, reject) => {
      const settle = (result: CommitResult) => {
        this.stats.accepted += result.accepted;
        this.stats.duplicates += result.duplicates;
        resolve(result);
      };
      const refuse = (error: unknown) => {
        if (error instanceof StorageUnavailableError) this.stats.dropped++;
        else this.stats.rejected++;
        reject(error);
      };
      this.queue.push({ events, deadline: this.now() + deadlineMs, resolve: settle, reject: refuse });
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
      const group = [this.queue.shift()!];
      let size = group[0]!.events.length;
      const merge = this.options.sink.reportsInserted === true;
      while (merge && this.queue.length > 0 && size + this.queue[0]!.events.length <= this.maxBatchEvents) {
        const next = this.queue.shift()!;
        size += next.events.length;
        group.push(next);
      }
      this.inflight++;
      void this.run(group).finally(() => {
        this.inflight--;
        this.pump();
        if (this.pending === 0) for (const resolve of this.idle.splice(0)) resolve();
      });
    }
  }

  /** Writes a group (one transaction when it can) and settles each of its submissions. */
  private async run(group: Job[]): Promise<void> {
    let live = this.dropExpired(group);
    if (live.length === 0) return;
    try {
      await this.retry.retrying(() => this.write(live), {
        sleep: this.options.sleep,
        onRetry: ({ code }, retryInMs) => {
          this.stats.retries++;
          this.options.logger?.warn(
            { code, retryInMs, submissions: live.length },
            'ingest write failed; retrying',
          );
          // A submission whose deadline comes before the next try is answered now.
          const wakeAt = this.now() + retryInMs;
          for (const job of live) {
            if (job.deadline <= wakeAt)
              job.reject(new StorageUnavailableError(`storage unavailable (${code})`, 5));
          }
          live = live.filter((job) => job.deadline > wakeAt);
          return live.length > 0;
        },
      });
    } catch (error) {
      // Refused or too large. A merge is written one by one (in this slot, so the concurrency
      // bound holds), which isolates the refusing submission.
      if (live.length > 1) for (const job of live) await this.run([job]);
      else live[0]!.reject(error);
    }
  }

  /** One sink write of the submissions `jobs`, merged when there are several; settles them. */
  private async write(jobs: Job[]): Promise<void> {
    if (jobs.length === 1) {
      const result = await this.options.sink.write(jobs[0]!.events);
      this.stats.batches++;
      jobs[0]!.resolve({ accepted: result.written, duplicates: result.duplicates });
    } else {
      const result = await this.options.sink.write(jobs.flatMap((job) => job.events));
      this.stats.batches++;
      settleMerged(jobs, result);
    }
  }

  private dropExpired(group: Job[]): Job[] {
    const now = this.now();
    for (const job of group) {
      if (now >= job.deadline) {
        job.reject(
          new StorageUnavailableError('storage too slow: the submission waited past its deadline', 2),
        );
      }
    }
    return group.filter((job) => now < job.deadline);
  }
}

/** Gives each merged submission its exact numbers from the sink's per-event outcome. */
function settleMerged(jobs: Job[], result: SinkResult): void {
  const fresh = new Set(result.inserted ?? []);
  for (const job of jobs) {
    let accepted = 0;
    for (const event of job.events) {
      // A key counts as accepted once: the first submission (and event) that carried it.
      if (fresh.delete(recordKey(event))) accepted++;
    }
    job.resolve({ accepted, duplicates: job.events.length - accepted });
  }
}
