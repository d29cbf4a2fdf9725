import type { TelemetryEvent } from '../domain/index.js';
import { newId } from '../domain/index.js';
import { DEFAULT_NOTES_POLICY } from '../privacy/index.js';
import type { ProviderCallInput } from './anatomy-input.js';
import type { FailInput, ResumeOptions, StartAttemptInput, SucceedInput } from './attempt-input.js';
import { BatchWriter, type WriterOptions } from './batch-writer.js';
import { checkTrackerOptions, InvalidOptionError } from './options.js';
import { type NotesPolicy, prepareCall, type QueuedCall, type TextRedactor } from './prepare.js';
import type { Sink } from './sink.js';
import { startTimeOf } from './started-at.js';
import { type CoreLogger, emptyStats, OnceLogger, safeLogger, type TrackerStats } from './stats.js';

/** Options of the platform-neutral tracker core. */
export interface TrackerCoreOptions extends WriterOptions {
  sink: Sink;
  /** The clock (injectable; default `Date.now`). */
  now?: () => number;
  logger?: CoreLogger;
  /** How create-trip notes are stored: `summary` (default: no text), `redact`, `raw`, `drop`. */
  notesPolicy?: NotesPolicy;
  /**
   * Under `redact`, the pass after the pattern passes: `createTripmeter` gives it names,
   * special-category terms and ages (privacy/redact-personal.ts); the edge tracker has none, and
   * `serve` redacts what it receives again.
   */
  notesRedactor?: TextRedactor;
  /** Called after a sink closes, by `shutdown`. */
  onShutdown?: () => Promise<void>;
}

/** One running attempt. Every method returns at once and never throws. */
export interface AttemptHandle {
  readonly requestId: string;
  succeed(outcome?: SucceedInput): void;
  fail(outcome: FailInput): void;
  /**
   * Records one call the attempt made to an AI provider (a retry, a fallback, a repair call); its
   * `callIndex` defaults to the handle's next (0, 1, …). Recorded after the attempt finished too.
   * Invalid input is counted and logged, never thrown.
   */
  providerCall(call: ProviderCallInput): void;
  /** Records a named phase (`queue_wait`, `provider_call`, `parse`, …, snake_case) of the attempt. */
  phase(name: string, startedAt: Date | string | number, durationMs: number): void;
  /**
   * Runs `fn` and records its time as the phase `name`, whether it returns, resolves, throws or
   * rejects; returns (or rethrows) what `fn` does, untouched.
   *
   * @example
   * const plan = await attempt.time('parse', () => parsePlan(text));
   */
  time<T>(name: string, fn: () => T): T;
}

/** The tracker the app calls in its trip-generation handler. */
export interface Tracker {
  /** Records a pending attempt and its `create_trip_attempted` event; returns a handle. */
  startAttempt(input: StartAttemptInput): AttemptHandle;
  /** A handle for an attempt started elsewhere (another process), closed by its request id. */
  resumeAttempt(requestId: string, options?: ResumeOptions): AttemptHandle;
  /**
   * Runs `fn` as one attempt: succeeds with `tripIdOf(result)` (default `result.tripId`), or fails
   * with the error's `code`, else its class name (`TypeError`, stored as `TYPE_ERROR` with the
   * class kept), else `UNHANDLED_ERROR` (a plain `Error`), and rethrows that error untouched.
   */
  trackAttempt<T>(
    input: StartAttemptInput & { tripIdOf?: (result: T) => string | undefined },
    fn: (attempt: AttemptHandle) => Promise<T>,
  ): Promise<T>;
  /** Writes everything queued so far. */
  flush(): Promise<void>;
  /** Stops accepting, drains within `timeoutMs` (default 10 s), closes the sink. Returns records lost. */
  shutdown(timeoutMs?: number): Promise<number>;
  stats(): TrackerStats;
}

const noopLogger: CoreLogger = { warn() {}, error() {} };

class Handle implements AttemptHandle {
  private closed = false;
  /** The next call index when a call names none. */
  private nextCall = 0;
  constructor(
    private readonly core: TrackerCore,
    readonly requestId: string,
    private readonly startedAt: number | undefined,
    private readonly context: ResumeOptions & { source?: string | undefined },
  ) {}

  succeed(outcome: SucceedInput = {}): void {
    this.close('succeed', outcome);
  }

  fail(outcome: FailInput): void {
    this.close('fail', outcome);
  }

  providerCall(call: ProviderCallInput): void {
    const given = (call as { callIndex?: unknown } | undefined)?.callIndex;
    const callIndex = this.nextCall;
    this.nextCall = (Number.isInteger(given) ? (given as number) : callIndex) + 1;
    this.core.push({
      kind: 'call',
      requestId: this.requestId,
      at: this.core.now(),
      context: this.context,
      callIndex,
      input: call !== null && typeof call === 'object' ? { ...call } : call,
    });
  }

  phase(name: string, startedAt: Date | string | number, durationMs: number): void {
    this.core.push({
      kind: 'phase',
      requestId: this.requestId,
      at: this.core.now(),
      context: this.context,
      phase: name,
      startedAt,
      durationMs,
    });
  }

  time<T>(name: string, fn: () => T): T {
    const started = this.core.now();
    const record = () => {
      const now = this.core.now();
      this.phase(name, started, Math.max(0, Math.round(now - started)));
    };
    let result: T;
    try {
      result = fn();
    } catch (error) {
      record();
      throw error;
    }
    if (result !== null && typeof (result as { then?: unknown } | undefined)?.then === 'function') {
      return (result as unknown as PromiseLike<unknown>).then(
        (value) => {
          record();
          return value;
        },
        (error: unknown) => {
          record();
          throw error;
        },
      ) as T;
    }
    record();
    return result;
  }

  private close(kind: 'succeed' | 'fail', outcome: SucceedInput | FailInput): void {
    if (this.closed) return;
    this.closed = true;
    this.core.push({
      kind,
      requestId: this.requestId,
      at: this.core.now(),
      startedAt: this.startedAt,
      context: this.context,
      outcome: { ...outcome }, // as a start's: checked and read later, on the flush path
    });
  }

  get isClosed(): boolean {
    return this.closed;
  }
}

class TrackerCore implements Tracker {
  readonly now: () => number;
  private readonly counters = emptyStats();
  private readonly writer: BatchWriter<QueuedCall>;

  constructor(private readonly options: TrackerCoreOptions) {
    this.now = options.now ?? Date.now;
    const logger = safeLogger(options.logger ?? noopLogger);
    const once = new OnceLogger(logger);
    const notesPolicy = options.notesPolicy ?? DEFAULT_NOTES_POLICY;
    const { notesRedactor } = options;
    this.writer = new BatchWriter<QueuedCall>(
      {
        sink: options.sink,
        prepare: (call) => prepareCall(call, { notesPolicy, notesRedactor, stats: this.counters, once }),
        stats: this.counters,
        logger,
        once,
      },
      options,
    );
  }

  push(call: QueuedCall): void {
    try {
      this.writer.enqueue(call);
    } catch {
      this.counters.dropped++; // never reached by design; the hot path must not throw regardless
    }
  }

  startAttempt(input: StartAttemptInput): AttemptHandle {
    const now = this.now();
    const start = startTimeOf(input?.startedAt, now);
    const at = start ?? now;
    const requestId = typeof input?.requestId === 'string' ? input.requestId : newId();
    // Shallow copies: the host may reuse its objects after the call; deep work happens at flush.
    const copy =
      input !== null && typeof input === 'object' ? { ...input, input: shallow(input.input) } : input;
    this.push({ kind: 'start', requestId, at, startIgnored: start === undefined, input: copy });
    return new Handle(this, requestId, at, {
      anonSessionId: input?.anonSessionId,
      userId: input?.userId,
      source: input?.source,
    });
  }

  resumeAttempt(requestId: string, options: ResumeOptions = {}): AttemptHandle {
    const started = options.startedAt === undefined ? undefined : startTimeOf(options.startedAt, this.now());
    return new Handle(this, String(requestId), started, {
      ...options,
    });
  }

  async trackAttempt<T>(
    input: StartAttemptInput & { tripIdOf?: (result: T) => string | undefined },
    fn: (attempt: AttemptHandle) => Promise<T>,
  ): Promise<T> {
    const { tripIdOf, ...context } = input;
    const handle = this.startAttempt(context) as Handle;
    let result: T;
    try {
      result = await fn(handle);
    } catch (error) {
      if (!handle.isClosed) handle.fail(failureOf(error));
      throw error;
    }
    if (!handle.isClosed) handle.succeed({ tripId: safeTripId(result, tripIdOf) });
    return result;
  }

  flush(): Promise<void> {
    return this.writer.flush();
  }

  async shutdown(timeoutMs = 10_000): Promise<number> {
    const lost = await this.writer.shutdown(timeoutMs);
    await this.options.sink.close?.();
    await this.options.onShutdown?.();
    return lost;
  }

  stats(): TrackerStats {
    return { ...this.counters, queued: this.writer.size };
  }
}

function shallow(value: unknown): unknown {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return value;
  const copy: Record<string, unknown> = { ...(value as Record<string, unknown>) };
  const options = copy.options;
  if (options && typeof options === 'object' && !Array.isArray(options))
    copy.options = { ...(options as object) };
  return copy;
}

function failureOf(error: unknown): FailInput {
  const e = error as { code?: unknown; name?: unknown; status?: unknown; statusCode?: unknown } | undefined;
  // Codes of any shape are normalised on the flush path; a class name says more than UNHANDLED_ERROR.
  const code =
    typeof e?.code === 'string' && e.code !== ''
      ? e.code
      : typeof e?.name === 'string' && e.name !== '' && e.name !== 'Error'
        ? e.name
        : 'UNHANDLED_ERROR';
  const status =
    typeof e?.status === 'number' ? e.status : typeof e?.statusCode === 'number' ? e.statusCode : undefined;
  return {
    errorCode: code,
    error,
    ...(status !== undefined && status >= 100 && status <= 599 ? { httpStatus: status } : {}),
  };
}

function safeTripId<T>(result: T, tripIdOf?: (result: T) => string | undefined): string | undefined {
  try {
    if (tripIdOf) return tripIdOf(result);
    const tripId = (result as { tripId?: unknown } | undefined)?.tripId;
    return typeof tripId === 'string' ? tripId : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Creates the platform-neutral tracker over any sink. Node apps use `createTripmeter` (Postgres);
 * edge runtimes use `createHttpTripmeter` from `tripmeter/http`. Throws `InvalidOptionError` for
 * an option that can never work (the one time it throws: at start-up, never on a call).
 */
export function createTracker(options: TrackerCoreOptions): Tracker {
  checkTrackerOptions(options);
  if (typeof options.sink?.write !== 'function')
    throw new InvalidOptionError('sink', 'an object with a write(events) method', options.sink);
  return new TrackerCore(options);
}

export type { TelemetryEvent };
