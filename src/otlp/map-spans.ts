import { EVENT_FIELD_RULES } from '../domain/index.js';
import { isProviderCall, readCallFields } from './call-fields.js';
import { type DecodedSpan, type SpanRejection, STATUS_ERROR, type TraceExport } from './decoded-span.js';
import { errorCodeFromType } from './error-type.js';

/** What to do with a call whose span and ancestors carry no `tripmeter.request_id`. */
export type UnattachedSpans = 'trace_as_attempt' | 'store_unattached' | 'drop';

/** The values of {@link UnattachedSpans} (the `otlpUnattachedSpans` setting). */
export const UNATTACHED_SPANS = ['store_unattached', 'trace_as_attempt', 'drop'] as const;

/** Options of {@link mapSpans}. */
export interface MapSpansOptions {
  /**
   * `trace_as_attempt`: the trace id is the request id, and the trace's root span opens and closes
   * that attempt (an {@link OtlpAttempt}). `store_unattached`: the trace id is the request id, and
   * no attempt is made. `drop`: the call is not kept (counted in `unattachedDropped`).
   */
  unattachedSpans: UnattachedSpans;
}

/** The default: a call without a request id is kept without an attempt. */
export const DEFAULT_MAP_OPTIONS: Readonly<MapSpansOptions> = Object.freeze({
  unattachedSpans: 'store_unattached',
});

/** One provider call read from a span. It holds allowlisted scalars only, never text of a generation. */
export interface OtlpProviderCall {
  /** `traceId:spanId`: the idempotency key (an exporter's retry carries the same span again). */
  spanKey: string;
  traceId: string;
  spanId: string;
  parentSpanId: string | null;
  /** The attempt: `tripmeter.request_id` of the span or its nearest ancestor, else the trace id. */
  requestId: string;
  /** Whether `requestId` is the trace id because no span carried `tripmeter.request_id`. */
  unattached: boolean;
  provider: string;
  /** The model requested (`unknown` when the span names none). */
  model: string;
  responseModel: string | null;
  status: 'success' | 'failed';
  errorCode: string | null;
  httpStatus: number | null;
  durationMs: number;
  ttftMs: number | null;
  inputTokens: number | null;
  outputTokens: number | null;
  cachedInputTokens: number | null;
  reasoningTokens: number | null;
  finishReason: string | null;
  /** When the call started. */
  occurredAt: Date;
}

/**
 * An attempt opened and closed by a trace's root span (`trace_as_attempt` only), for every root
 * span without a `tripmeter.request_id`. `callCount` counts the calls of this export in its trace:
 * a root whose calls came in an earlier export has 0, so a store opens an attempt for a root with
 * calls, and for one without only when calls of that request id are stored already.
 */
export interface OtlpAttempt {
  /** The trace id. */
  requestId: string;
  rootSpanKey: string;
  startedAt: Date;
  endedAt: Date;
  durationMs: number;
  status: 'success' | 'failed';
  errorCode: string | null;
  callCount: number;
}

/** Spans refused one by one, by reason: `partial_success.rejected_spans` of the answer. */
export interface RejectedSpans {
  spans: number;
  reasons: Partial<Record<SpanRejection, number>>;
}

/** The result of {@link mapSpans}. */
export interface MappedExport {
  calls: OtlpProviderCall[];
  attempts: OtlpAttempt[];
  /** Spans that are not provider calls (no GenAI attributes, AI SDK wrappers, tool runs). */
  ignoredSpans: number;
  /** Calls without a request id left out under `drop`. */
  unattachedDropped: number;
  /** Dropped attributes by key (bounded; see `DroppedAttributeTally`). */
  droppedAttributeCounts: ReadonlyMap<string, number>;
  rejected: RejectedSpans;
}

/** Ancestors looked at for a request id: deeper traces are cut (and the loop bounded). */
const MAX_ANCESTRY = 64;

const keyOf = (traceId: string, spanId: string) => `${traceId}:${spanId}`;
const msBetween = (startNano: number, endNano: number) => Math.round((endNano - startNano) / 1e6);
/**
 * The millisecond of a time in Unix nanoseconds held by a double (off by up to 256 ns at today's
 * magnitude): rounded to the microsecond first, so 10 ms held as 9.99999987 ms stays 10 ms.
 */
const dateOf = (unixNano: number) => new Date(Math.floor(Math.round(unixNano / 1e3) / 1e3));

/**
 * Maps decoded spans to provider calls and, with `trace_as_attempt`, attempts. Pure: no clock, no
 * I/O. Spans refused one by one are counted in `rejected` and give nothing.
 *
 * @example
 * const { calls, rejected } = mapSpans(await decodeTraceExport(...), { unattachedSpans: 'store_unattached' });
 */
export function mapSpans(request: TraceExport, options: MapSpansOptions): MappedExport {
  // Each span's key is made once: building and hashing a 49-character key again per lookup was a
  // fifth of the mapping's time.
  const spans = request.spans;
  const keys = new Array<string>(spans.length);
  const byKey = new Map<string, DecodedSpan>();
  const rejected: RejectedSpans = { spans: 0, reasons: {} };
  const reject = (reason: SpanRejection) => {
    rejected.spans++;
    rejected.reasons[reason] = (rejected.reasons[reason] ?? 0) + 1;
  };
  for (let i = 0; i < spans.length; i++) {
    const span = spans[i]!;
    if (span.rejection !== undefined) continue;
    keys[i] = keyOf(span.traceId, span.spanId);
    byKey.set(keys[i]!, span);
  }

  const calls: OtlpProviderCall[] = [];
  const callsByTrace = new Map<string, number>();
  let ignoredSpans = 0;
  let unattachedDropped = 0;
  for (let i = 0; i < spans.length; i++) {
    const span = spans[i]!;
    if (span.rejection !== undefined) {
      reject(span.rejection);
      continue;
    }
    // A span sent twice in one export (a collector's retry merged into a batch) counts once.
    if (!isProviderCall(span.attributes) || byKey.get(keys[i]!) !== span) {
      ignoredSpans++;
      continue;
    }
    const attached = requestIdOf(span, byKey);
    if (attached === 'invalid') {
      reject('invalid_request_id');
      continue;
    }
    if (attached === undefined) {
      if (options.unattachedSpans === 'drop') {
        unattachedDropped++;
        continue;
      }
      callsByTrace.set(span.traceId, (callsByTrace.get(span.traceId) ?? 0) + 1);
    }
    calls.push(toCall(span, keys[i]!, attached ?? span.traceId, attached === undefined));
  }

  const attempts: OtlpAttempt[] = [];
  if (options.unattachedSpans === 'trace_as_attempt') {
    for (const span of byKey.values()) {
      if (span.parentSpanId !== null || ownRequestId(span) !== undefined) continue;
      attempts.push(toAttempt(span, callsByTrace.get(span.traceId) ?? 0));
    }
  }
  return {
    calls,
    attempts,
    ignoredSpans,
    unattachedDropped,
    droppedAttributeCounts: request.dropped.counts(),
    rejected,
  };
}

/** The request id a span carries itself: its attribute, or the AI SDK's telemetry metadata. */
const ownRequestId = (span: DecodedSpan): string | undefined =>
  span.attributes['tripmeter.request_id'] ?? span.attributes['ai.telemetry.metadata.tripmeter.request_id'];

/**
 * The `tripmeter.request_id` of the span or of its nearest ancestor in this export; undefined when
 * none carries one, `invalid` when the nearest one is not a request id. Only this export is
 * searched: a batch processor sends a parent that ends later in a later export, so a span that
 * should find its id on its own carries it (baggage copied onto every span, or the AI SDK's
 * telemetry metadata).
 */
function requestIdOf(
  span: DecodedSpan,
  byKey: ReadonlyMap<string, DecodedSpan>,
): string | undefined | 'invalid' {
  let current: DecodedSpan | undefined = span;
  for (let depth = 0; current !== undefined && depth < MAX_ANCESTRY; depth++) {
    const id = ownRequestId(current);
    if (id !== undefined) return EVENT_FIELD_RULES.requestId.check(id) ? id : 'invalid';
    current =
      current.parentSpanId === null ? undefined : byKey.get(keyOf(current.traceId, current.parentSpanId));
  }
  return undefined;
}

function toCall(
  span: DecodedSpan,
  spanKey: string,
  requestId: string,
  unattached: boolean,
): OtlpProviderCall {
  const { errorType, ...fields } = readCallFields(span.attributes);
  const failed = span.statusCode === STATUS_ERROR || errorType !== null;
  return {
    spanKey,
    traceId: span.traceId,
    spanId: span.spanId,
    parentSpanId: span.parentSpanId,
    requestId,
    unattached,
    ...fields,
    status: failed ? 'failed' : 'success',
    errorCode: failed ? errorCodeFromType(errorType) : null,
    durationMs: msBetween(span.startTimeUnixNano, span.endTimeUnixNano),
    occurredAt: dateOf(span.startTimeUnixNano),
  };
}

function toAttempt(root: DecodedSpan, callCount: number): OtlpAttempt {
  const failed = root.statusCode === STATUS_ERROR;
  return {
    requestId: root.traceId,
    rootSpanKey: keyOf(root.traceId, root.spanId),
    startedAt: dateOf(root.startTimeUnixNano),
    endedAt: dateOf(root.endTimeUnixNano),
    durationMs: msBetween(root.startTimeUnixNano, root.endTimeUnixNano),
    status: failed ? 'failed' : 'success',
    errorCode: failed ? errorCodeFromType(root.attributes['error.type'] ?? null) : null,
    callCount,
  };
}
