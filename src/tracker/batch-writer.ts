import type { TelemetryRecord } from '../domain/index.js';
import { classifyFailure, type RetryOptions, RetryPolicy } from './retry-policy.js';
import type { Sink } from './sink.js';
import type { CoreLogger, OnceLogger, TrackerStats } from './stats.js';

/** What to do when the queue is full. */
export type OverflowPolicy = 'drop-oldest' | 'drop-newest';

/** Batched writer settings (all have defaults). */
export interface WriterOptions {
  /** Queue bound in items (default 50 000); memory stays bounded whatever the database does. */
  maxQueue?: number;
  /** `drop-oldest` (default) keeps the freshest data during a long outage; `drop-newest` keeps the oldest. */
  overflow?: OverflowPolicy;
  /** Flush when this many items are queued (default 500). */
  batchSize?: number;
  /**
   * Largest batch one write takes when a backlog has built up (default: `batchSize`, no
   * growth): fewer, larger transactions drain a backlog faster.
   */
  maxBatchSize?: number;
  /** Batches written at once, each on its own connection (default 1). */
  concurrency?: number;
  /** Flush at most this long after an item is queued (default 1 000 ms). */
  flushIntervalMs?: number;
  /** Retry timing for transient failures (default 100 ms doubling to 10 s). */
  retry?: RetryOptions;
}

/**
 * The writer's defaults. With the flush interval and the batch size they bound what a hard kill
 * (kill -9, OOM, power loss) loses: what was queued and not yet committed, at most one interval's
 * worth plus the batches in flight (docs/operations.md, "What a hard kill loses", pinned by a test).
 */
export const WRITER_DEFAULTS = {
  maxQueue: 50_000,
  batchSize: 500,
  concurrency: 1,
  flushIntervalMs: 1_000,
} as const;

interface Deps<T> {
  sink: Sink;
  /** Turns a queued item into a record, off the hot path; `undefined` = rejected (already counted). */
  prepare: (item: T) => TelemetryRecord | undefined;
  stats: TrackerStats;
  logger: CoreLogger;
  once: OnceLogger;
}

/** Items prepared between two yields to I/O (a slice takes well under a millisecond). */
const PREPARE_SLICE = 250;

/** Batches kept prepared beyond those the lanes are waiting for. */
const LOOKAHEAD = 1;

/**
 * Node's `setImmediate`, taken when this module loads: a host test that fakes timers later does
 * not stall a flush. Runtimes without it (browsers, edge workers) prepare a batch in one go,
 * since their nested `setTimeout(0)` is clamped to 4 ms.
 */
const immediate = typeof setImmediate === 'function' ? setImmediate : undefined;

/** Lets pending I/O callbacks run. */
const yieldToIo = (run: (callback: () => void) => unknown) =>
  new Promise<void>((resolve) => {
    run(resolve);
  });

/**
 * A bounded queue drained in batches into a {@link Sink}. `enqueue` is synchronous and O(1);
 * flushes run on size or interval, and concurrent `flush()` calls share one run. Batches are
 * prepared one at a time, the next one while the lanes write. Transient sink
 * failures keep the batch and retry it by the shared {@link RetryPolicy} (capped exponential
 * backoff with jitter); a batch the sink refuses is split until the bad record is isolated,
 * counted and logged.
 */
export class BatchWriter<T> {
  private queue: T[] = [];
  private head = 0;
  /**
   * Items being prepared, and events of the batches prepared ahead or being written (a lane keeps
   * its batch through transient failures).
   */
  private inFlight = 0;
  private lanes = 0;
  /** Lanes writing a batch now. */
  private writing = 0;
  /** Batches prepared ahead, not yet claimed by a lane (at most {@link LOOKAHEAD}). */
  private ready: TelemetryRecord[][] = [];
  /** Lanes waiting for the batch being prepared. */
  private waiting: Array<(batch: TelemetryRecord[] | undefined) => void> = [];
  private preparing = false;
  private draining: Promise<void> | undefined;
  private drained: (() => void) | undefined;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private timerImmediate = false;
  private closed = false;
  private abandoned = false;
  /** Wakes the lanes waiting out a retry backoff (a wait can last a minute after a `Retry-After`). */
  private readonly sleepers = new Set<() => void>();
  private readonly opts: Required<Omit<WriterOptions, 'retry'>>;
  private readonly retry: RetryPolicy;

  constructor(
    private readonly deps: Deps<T>,
    options: WriterOptions = {},
  ) {
    const batchSize = options.batchSize ?? WRITER_DEFAULTS.batchSize;
    this.opts = {
      maxQueue: options.maxQueue ?? WRITER_DEFAULTS.maxQueue,
      overflow: options.overflow ?? 'drop-oldest',
      batchSize,
      maxBatchSize: Math.max(batchSize, options.maxBatchSize ?? batchSize),
      concurrency: Math.max(1, options.concurrency ?? WRITER_DEFAULTS.concurrency),
      flushIntervalMs: options.flushIntervalMs ?? WRITER_DEFAULTS.flushIntervalMs,
    };
    this.retry = new RetryPolicy(options.retry);
  }

  /** Items waiting (queued plus the batches being written or retried). */
  get size(): number {
    return this.queue.length - this.head + this.inFlight;
  }

  /** Queues one item; never throws, never waits. Returns false when the item was dropped. */
  enqueue(item: T): boolean {
    const { stats } = this.deps;
    if (this.closed) {
      stats.dropped++;
      return false;
    }
    // The bound covers the batch being retried too, so memory stays bounded during an outage.
    if (this.size >= this.opts.maxQueue) {
      stats.dropped++;
      this.deps.once.warn(
        'queue_full',
        { maxQueue: this.opts.maxQueue, policy: this.opts.overflow },
        'tripmeter queue full: dropping',
      );
      if (this.opts.overflow === 'drop-newest' || !this.dropOldest()) return false;
    }
    this.queue.push(item);
    if (this.queue.length - this.head >= this.opts.batchSize) {
      if (this.draining) this.startLanes();
      else this.schedule(0);
    } else this.schedule(this.opts.flushIntervalMs);
    return true;
  }

  /**
   * Drops the oldest item that no lane is writing: the first event of the batch prepared ahead,
   * else the head of the queue. False when there is none (all of the bound is being written).
   */
  private dropOldest(): boolean {
    const prepared = this.ready[0];
    if (prepared !== undefined && prepared.length > 0) {
      prepared.shift();
      this.inFlight--;
      return true;
    }
    if (this.head >= this.queue.length) return false;
    this.queue[this.head] = undefined as T; // release the dropped item at once
    this.head++;
    this.compact();
    return true;
  }

  /** Drops the consumed prefix of the backing array once it is large. */
  private compact(): void {
    if (this.head === this.queue.length) {
      this.queue = [];
      this.head = 0;
    } else if (this.head > 4096 && this.head * 2 > this.queue.length) {
      this.queue = this.queue.slice(this.head);
      this.head = 0;
    }
  }

  private schedule(delayMs: number): void {
    if (this.draining) return;
    if (this.timer !== undefined) {
      if (delayMs > 0 || this.timerImmediate) return;
      clearTimeout(this.timer);
    }
    this.timerImmediate = delayMs === 0;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.flush();
    }, delayMs);
    (this.timer as { unref?: () => void }).unref?.();
  }

  /** Writes everything queued now; concurrent calls share one run. Resolves when the queue is empty. */
  flush(): Promise<void> {
    if (this.timer !== undefined) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    if (!this.draining) {
      if (this.queue.length === this.head) return Promise.resolve();
      this.draining = new Promise((resolve) => {
        this.drained = resolve;
      });
    }
    this.startLanes();
    return this.draining;
  }

  /** Starts lanes up to `concurrency`, one per `batchSize` items queued (at least one). */
  private startLanes(): void {
    const queued = this.queue.length - this.head;
    const wanted = Math.min(this.opts.concurrency, Math.max(1, Math.ceil(queued / this.opts.batchSize)));
    while (this.lanes < wanted && !this.abandoned) {
      this.lanes++;
      void this.lane().finally(() => this.laneDone());
    }
    if (this.lanes === 0) this.laneDone();
  }

  private laneDone(): void {
    if (this.lanes > 0) this.lanes--;
    if (this.lanes > 0) return;
    const drained = this.drained;
    this.draining = undefined;
    this.drained = undefined;
    drained?.();
    if (this.size > 0 && !this.abandoned) this.schedule(this.opts.flushIntervalMs);
  }

  /**
   * Hands a lane its next batch: one prepared ahead, or the one being prepared; `undefined` when
   * nothing is left. A lane counts as writing from the moment it holds a batch.
   */
  private claim(): Promise<TelemetryRecord[] | undefined> {
    const batch = this.ready.shift();
    if (batch !== undefined) {
      this.writing++;
      this.prepareAhead();
      return Promise.resolve(batch);
    }
    if (this.abandoned || (!this.preparing && this.queue.length === this.head))
      return Promise.resolve(undefined);
    return new Promise((resolve) => {
      this.waiting.push(resolve);
      this.prepareAhead();
    });
  }

  /**
   * Prepares batches one at a time, for the lanes waiting and {@link LOOKAHEAD} more: a lane that
   * finishes a write finds its next batch ready, and the preparing (this process's CPU) overlaps
   * the database's work on the batches in flight instead of alternating with it.
   */
  private prepareAhead(): void {
    if (this.preparing) return;
    this.preparing = true;
    void this.prepareLoop();
  }

  private async prepareLoop(): Promise<void> {
    try {
      while (
        !this.abandoned &&
        this.queue.length > this.head &&
        (this.waiting.length > 0 || this.ready.length < LOOKAHEAD)
      ) {
        const batch = await this.take();
        const lane = this.waiting.shift();
        if (lane) {
          this.writing++;
          lane(batch);
        } else this.ready.push(batch);
      }
    } finally {
      this.preparing = false;
      // Nothing left to prepare (or abandoned): the lanes still waiting end.
      for (const lane of this.waiting.splice(0)) lane(undefined);
    }
  }

  /**
   * Takes and prepares the next batch: `batchSize`, or a share of a backlog up to `maxBatchSize`.
   * The backlog is shared among the lanes free to take it (a lane busy writing will not be back
   * soon), so lanes starting together split it evenly and the last lane free at the end takes
   * what is left at once instead of halving it batch after batch.
   */
  private async take(): Promise<TelemetryRecord[]> {
    const queued = this.queue.length - this.head;
    const free = Math.max(1, this.opts.concurrency - this.writing);
    const share = Math.ceil(queued / free);
    const size = Math.min(this.opts.maxBatchSize, Math.max(this.opts.batchSize, share));
    const end = Math.min(this.queue.length, this.head + size);
    const items = this.queue.slice(this.head, end);
    this.queue.fill(undefined as T, this.head, end);
    this.head = end;
    this.compact();
    // Counted against the bound (and by `shutdown`) from here on: as items while they are
    // prepared, then as the events they became.
    this.inFlight += items.length;
    const events: TelemetryRecord[] = [];
    for (let i = 0; i < items.length && !this.abandoned; i++) {
      // Prepared in slices: between them, other lanes' I/O (a COPY being streamed) goes on.
      if (immediate && i > 0 && i % PREPARE_SLICE === 0) await yieldToIo(immediate);
      const event = this.prepareOne(items[i]!);
      if (event) events.push(event);
    }
    this.inFlight += events.length - items.length;
    this.deps.stats.queued = this.size;
    return events;
  }

  /** Prepares one item; one that makes `prepare` throw is rejected alone, counted and logged. */
  private prepareOne(item: T): TelemetryRecord | undefined {
    try {
      return this.deps.prepare(item);
    } catch (error) {
      this.deps.stats.rejected++;
      this.deps.once.warn(
        'prepare_threw',
        { message: (error as Error)?.message },
        'tripmeter could not prepare a record',
      );
      return undefined;
    }
  }

  /** One writer loop: writes batches until none is left; keeps a batch through transient failures. */
  private async lane(): Promise<void> {
    const { stats, logger } = this.deps;
    for (let batch = await this.claim(); batch !== undefined; batch = await this.claim()) {
      try {
        // Keeps the batch through transient failures, until written or abandoned at shutdown.
        await this.retry.retrying(() => this.writeIsolating(batch), {
          proceed: () => !this.abandoned,
          sleep: (ms) => this.sleep(ms),
          onRetry: ({ code }, retryInMs) => {
            stats.retried++;
            logger.warn({ code, retryInMs, queued: this.size }, 'tripmeter write failed; retrying');
            return true;
          },
        });
      } finally {
        this.writing--;
        this.inFlight -= batch.length;
        stats.queued = this.size;
      }
    }
  }

  /**
   * Waits `ms` before a retry, unless the writer is abandoned first: a shutdown that gave up must
   * not leave a backoff timer keeping the host process alive (up to `maxRetryAfterMs`).
   */
  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        this.sleepers.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, ms);
      this.sleepers.add(wake);
    });
  }

  /**
   * Writes a batch; splits a refused batch in halves until each bad record is isolated. A transient
   * failure is rethrown: the lane retries the whole batch (the sink is idempotent).
   */
  private async writeIsolating(batch: TelemetryRecord[]): Promise<void> {
    if (batch.length === 0) return;
    const { stats } = this.deps;
    try {
      const result = await this.deps.sink.write(batch);
      stats.written += result.written;
      stats.duplicates += result.duplicates;
      stats.batches++;
    } catch (error) {
      const { kind, code } = classifyFailure(error);
      if (kind === 'retry') throw error;
      // Too large or refused: halves until the record the sink refuses stands alone.
      if (batch.length === 1) {
        stats.rejected++;
        this.deps.once.warn(`sink_refused:${code}`, { code }, 'tripmeter record refused by the sink');
        return;
      }
      const middle = Math.ceil(batch.length / 2);
      await this.writeIsolating(batch.slice(0, middle));
      await this.writeIsolating(batch.slice(middle));
    }
  }

  /**
   * Stops accepting items and drains until empty or until `timeoutMs` passes; what is left is
   * counted as dropped and logged. Resolves with the number of items lost.
   */
  async shutdown(timeoutMs: number): Promise<number> {
    this.closed = true;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const deadline = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), timeoutMs);
    });
    const drained = (async () => {
      while (this.size > 0 && !this.abandoned) await this.flush();
      return 'drained' as const;
    })();
    const outcome = await Promise.race([drained, deadline]);
    clearTimeout(timer);
    if (this.timer !== undefined) clearTimeout(this.timer);
    let lost = 0;
    if (outcome === 'timeout') {
      this.abandoned = true;
      for (const wake of [...this.sleepers]) wake();
      lost = this.size;
      this.deps.stats.dropped += lost;
      this.deps.logger.error({ lost, timeoutMs }, 'tripmeter shutdown timed out: records lost');
    }
    this.deps.stats.queued = 0;
    return lost;
  }
}
