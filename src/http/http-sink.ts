import type { TelemetryRecord } from '../domain/index.js';
import { outcomeOfStatus, type Sink, type SinkResult, TransientSinkError } from '../tracker/index.js';
import { toWireRecord } from './wire-event.js';

/** Options of {@link HttpSink}. */
export interface HttpSinkOptions {
  /** Base URL of a `tripmeter serve`, e.g. `https://telemetry.example.com`. */
  endpoint: string;
  /** An `ingest` API key (`tripmeter keys create --scope ingest`). */
  key: string;
  /** The fetch to use (default `globalThis.fetch`). */
  fetch?: typeof fetch;
  /** Abort a request after this long (default 10 000 ms); counts as a network error. */
  timeoutMs?: number;
  /** The clock (default `Date.now`). */
  now?: () => number;
}

/** A batch the server refused for good (4xx other than 408/429): the writer splits it or drops the record. */
export class HttpSinkError extends Error {
  /** A 413: the batch as a whole was too big, its halves may pass (read by the retry policy). */
  readonly tooLarge: boolean;

  constructor(
    readonly status: number,
    /** The problem's stable code, e.g. `INVALID_EVENTS`, `BODY_TOO_LARGE`. */
    readonly code: string,
  ) {
    super(`tripmeter ingest refused the batch: HTTP ${status} ${code}`);
    this.name = 'HttpSinkError';
    this.tooLarge = outcomeOfStatus(status) === 'too_large';
  }
}

const AUTH_PAUSE_MS = 30_000;

/**
 * Sends event batches to `POST <endpoint>/v1/events` with `Authorization: Bearer <key>`. A 202
 * means the server committed them. What a status means is the core's `outcomeOfStatus`: network
 * errors, timeouts, 5xx, 408 and 429 are transient (the writer keeps the batch, and its retry
 * policy waits at least the `Retry-After` the error carries); 413 and other 4xx throw
 * {@link HttpSinkError} so the writer halves the batch and isolates a bad record. After a 401/403
 * the sink refuses at once for 30 s instead of sending every record of the queue.
 */
export class HttpSink implements Sink {
  private readonly url: string;
  private readonly fetch: typeof fetch;
  private readonly now: () => number;
  private authFailure: { error: HttpSinkError; until: number } | undefined;
  /** Requests in flight, aborted by {@link close}. */
  private readonly inFlight = new Set<AbortController>();

  constructor(private readonly options: HttpSinkOptions) {
    this.url = `${options.endpoint.replace(/\/+$/, '')}/v1/events`;
    this.fetch = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
    this.now = options.now ?? Date.now;
  }

  async write(events: TelemetryRecord[]): Promise<SinkResult> {
    if (this.authFailure && this.now() < this.authFailure.until) throw this.authFailure.error;
    // One controller per request, over the answer's body too: the timeout aborts it, and so does
    // `close`, so that a server that never answers cannot keep the host alive after shutdown.
    const controller = new AbortController();
    const timer = setTimeout(
      () => controller.abort(new TransientSinkError('timed out', 'TIMEOUT')),
      this.options.timeoutMs ?? 10_000,
    );
    this.inFlight.add(controller);
    try {
      return await this.send(events, controller.signal);
    } finally {
      clearTimeout(timer);
      this.inFlight.delete(controller);
    }
  }

  /**
   * Aborts the requests still in flight: the tracker's `shutdown` calls it after its drain, when
   * whatever is still being sent is given up (and counted as lost) anyway.
   */
  async close(): Promise<void> {
    for (const controller of this.inFlight) controller.abort(new TransientSinkError('closed', 'CLOSED'));
    this.inFlight.clear();
  }

  private async send(events: TelemetryRecord[], signal: AbortSignal): Promise<SinkResult> {
    const response = await this.post(events, signal);
    const outcome = outcomeOfStatus(response.status);
    if (outcome === 'ok') {
      const body = (await response.json().catch(() => ({}))) as { accepted?: unknown; duplicates?: unknown };
      const written = typeof body.accepted === 'number' ? body.accepted : events.length;
      const duplicates = typeof body.duplicates === 'number' ? body.duplicates : 0;
      return { written, duplicates };
    }
    const code = await problemCode(response);
    if (outcome === 'retry') {
      throw new TransientSinkError(
        `tripmeter ingest answered HTTP ${response.status} ${code}`,
        `HTTP_${response.status}`,
        retryAfterMs(response.headers.get('retry-after'), this.now()),
      );
    }
    const error = new HttpSinkError(response.status, code);
    if (response.status === 401 || response.status === 403)
      this.authFailure = { error, until: this.now() + AUTH_PAUSE_MS };
    throw error;
  }

  private async post(events: TelemetryRecord[], signal: AbortSignal): Promise<Response> {
    try {
      return await this.fetch(this.url, {
        method: 'POST',
        headers: { authorization: `Bearer ${this.options.key}`, 'content-type': 'application/json' },
        body: JSON.stringify({ events: events.map(toWireRecord) }),
        signal,
      });
    } catch (error) {
      const reason = signal.aborted ? (signal.reason as { causeCode?: unknown } | undefined) : undefined;
      throw new TransientSinkError(
        `tripmeter ingest unreachable: ${(error as Error)?.message ?? String(error)}`,
        typeof reason?.causeCode === 'string' ? reason.causeCode : 'NETWORK',
      );
    }
  }
}

async function problemCode(response: Response): Promise<string> {
  try {
    const body = (await response.json()) as { code?: unknown };
    return typeof body.code === 'string' ? body.code : 'UNKNOWN';
  } catch {
    return 'UNKNOWN';
  }
}

/**
 * `Retry-After` as seconds or an HTTP date, in ms from now (0 when absent or invalid). Not capped
 * here: the retry policy caps what it follows (`maxRetryAfterMs`).
 */
export function retryAfterMs(header: string | null, now: number): number {
  if (header === null) return 0;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(header);
  return Number.isFinite(date) ? Math.max(0, date - now) : 0;
}
