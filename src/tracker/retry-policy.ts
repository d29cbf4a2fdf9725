import { errorCodeOf } from '../domain/index.js';
import { type BackoffOptions, backoffDelay } from './backoff.js';
import { TransientSinkError } from './sink.js';

/**
 * How a sink write failed, decided here for every writer and sink:
 * - `retry`: it may pass (connection refused, restart, timeout, 5xx, 429). The batch is kept and
 *   sent again after a backoff, and not before `retryAfterMs` when the other side said when.
 * - `too_large`: a smaller batch may pass (HTTP 413).
 * - `refused`: this batch never will (a record the sink rejects, a bad key).
 *
 * A writer splits a batch that is too large or refused (in halves, or one submission at a time)
 * until the refused record stands alone; that one is dropped and counted, never retried.
 */
export type WriteFailure =
  | { kind: 'retry'; code: string; retryAfterMs?: number }
  | { kind: 'too_large'; code: string }
  | { kind: 'refused'; code: string };

/** What became of one write. */
export type WriteOutcome = { kind: 'ok' } | WriteFailure;

/**
 * Classifies what a `Sink`'s `write` threw: {@link TransientSinkError} is `retry` (with its
 * hint), an error whose `tooLarge` is true is `too_large`, anything else `refused`.
 */
export function classifyFailure(error: unknown): WriteFailure {
  const code = errorCodeOf(error);
  if (error instanceof TransientSinkError) return { kind: 'retry', code, retryAfterMs: error.retryAfterMs };
  if ((error as { tooLarge?: unknown } | undefined)?.tooLarge === true) return { kind: 'too_large', code };
  return { kind: 'refused', code };
}

/**
 * The outcome an HTTP answer stands for: 2xx `ok`; 408, 429 and 5xx `retry`; 413 `too_large`;
 * any other status `refused`.
 */
export function outcomeOfStatus(status: number): WriteOutcome['kind'] {
  if (status >= 200 && status < 300) return 'ok';
  if (status >= 500 || status === 429 || status === 408) return 'retry';
  return status === 413 ? 'too_large' : 'refused';
}

/** Retry timing: the backoff, and how far a server-given wait is followed. */
export interface RetryOptions extends BackoffOptions {
  /** Longest server-given wait (`Retry-After`) followed, in ms (default 60 000); a longer one is cut to it. */
  maxRetryAfterMs?: number;
}

/** What {@link RetryPolicy.retrying} calls back. */
export interface RetryHooks {
  /**
   * Called after each transient failure with the wait before the next try; counts and logs.
   * Returning false gives up (nothing more is tried).
   */
  onRetry(failure: Extract<WriteFailure, { kind: 'retry' }>, delayMs: number): boolean;
  /** Checked before every try; false stops at once (default: always go on). */
  proceed?: () => boolean;
  /** Waits between tries (default a timer; a test passes one that advances its clock). */
  sleep?: (ms: number) => Promise<void>;
}

const timerSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * The retry policy both writers share (the tracker's `BatchWriter` and `serve`'s group commit):
 * capped exponential backoff with jitter, never shorter than a server's `Retry-After`.
 *
 * @example
 * const policy = new RetryPolicy({ baseMs: 50, maxMs: 2_000 });
 * const written = await policy.retrying(() => sink.write(batch), {
 *   proceed: () => !stopping,
 *   onRetry: ({ code }, delayMs) => {
 *     logger.warn({ code, retryInMs: delayMs }, 'write failed; retrying');
 *     return true; // false gives up
 *   },
 * });
 */
export class RetryPolicy {
  private readonly backoff: BackoffOptions;
  private readonly maxRetryAfterMs: number;

  /**
   * @param options what the caller set; a field left out takes its value from `defaults`
   * @param defaults the writer's own defaults (the backoff's are 100 ms to 10 s)
   * @param random a source in [0, 1) for the jitter (a test passes a seeded one)
   */
  constructor(
    options: RetryOptions = {},
    defaults: BackoffOptions = {},
    private readonly random: () => number = Math.random,
  ) {
    this.backoff = { baseMs: options.baseMs ?? defaults.baseMs, maxMs: options.maxMs ?? defaults.maxMs };
    this.maxRetryAfterMs = options.maxRetryAfterMs ?? 60_000;
  }

  /** The wait in ms before retry number `attempt` (0-based), at least the capped `retryAfterMs`. */
  delay(attempt: number, retryAfterMs?: number): number {
    const backoff = backoffDelay(attempt, this.backoff, this.random);
    if (retryAfterMs === undefined) return backoff;
    return Math.max(backoff, Math.min(retryAfterMs, this.maxRetryAfterMs));
  }

  /**
   * Runs `write` until it does not fail transiently, waiting {@link delay} between tries. Resolves
   * true once written, false when `proceed` or `onRetry` stopped it; a `too_large` or `refused`
   * failure is rethrown as it came, for the caller to split or drop.
   */
  async retrying(write: () => Promise<unknown>, hooks: RetryHooks): Promise<boolean> {
    const sleep = hooks.sleep ?? timerSleep;
    for (let attempt = 0; hooks.proceed?.() ?? true; attempt++) {
      try {
        await write();
        return true;
      } catch (error) {
        const failure = classifyFailure(error);
        if (failure.kind !== 'retry') throw error;
        const delayMs = this.delay(attempt, failure.retryAfterMs);
        if (!hooks.onRetry(failure, delayMs)) return false;
        await sleep(delayMs);
      }
    }
    return false;
  }
}
