import type { KeptAttributes } from './allowlist.js';
import type { DroppedAttributeTally } from './dropped-attributes.js';

/** Why a span of an accepted export is refused on its own (counted in `partial_success`). */
export type SpanRejection = 'too_many_attributes' | 'invalid_ids' | 'invalid_times' | 'invalid_request_id';

/** OTLP `Status.code`. */
export const STATUS_UNSET = 0;
export const STATUS_OK = 1;
export const STATUS_ERROR = 2;

/**
 * A span reduced to what the mapping may read: ids as lower-case hex, times in Unix nanoseconds (a
 * double: sub-microsecond precision is lost, milliseconds are exact), the status code, and the
 * allowlisted attributes only. The same shape comes from protobuf and from JSON.
 */
export interface DecodedSpan {
  traceId: string;
  spanId: string;
  /** Null for a root span. */
  parentSpanId: string | null;
  startTimeUnixNano: number;
  endTimeUnixNano: number;
  statusCode: number;
  attributes: KeptAttributes;
  /** Set when the span cannot be mapped; its attributes were then not read. */
  rejection?: SpanRejection;
}

/** A decoded `ExportTraceServiceRequest`: its spans and the attributes dropped while reading them. */
export interface TraceExport {
  spans: DecodedSpan[];
  /** Dropped span attributes by key (never their values). */
  dropped: DroppedAttributeTally;
}

/** Limits of {@link decodeTraceExport}. */
export interface DecodeLimits {
  /** Largest body as received, in bytes (413 `BODY_TOO_LARGE`). */
  maxBodyBytes: number;
  /** Largest body once inflated, in bytes (a gzip bomb stops here: 413 `BODY_TOO_LARGE`). */
  maxDecodedBytes: number;
  /**
   * Most attributes of one span; a span with more is rejected without reading them (the
   * OpenTelemetry SDKs' default limit is 128).
   */
  maxAttributesPerSpan: number;
}

/** Defaults: 4 MiB received, 16 MiB inflated, 256 attributes per span. */
export const DEFAULT_DECODE_LIMITS: Readonly<DecodeLimits> = Object.freeze({
  maxBodyBytes: 4 * 1024 * 1024,
  maxDecodedBytes: 16 * 1024 * 1024,
  maxAttributesPerSpan: 256,
});

const HEX_TRACE_ID = /^[0-9a-f]{32}$/;
const HEX_SPAN_ID = /^[0-9a-f]{16}$/;
const ZERO = /^0+$/;
/** A call's duration is a PostgreSQL `integer` of milliseconds. */
const MAX_DURATION_NANO = 2_147_483_647 * 1e6;

/** The rejection of a span whose ids or times cannot identify it, else undefined. */
export function checkIdentity(
  span: Pick<DecodedSpan, 'traceId' | 'spanId' | 'parentSpanId' | 'startTimeUnixNano' | 'endTimeUnixNano'>,
): SpanRejection | undefined {
  if (!HEX_TRACE_ID.test(span.traceId) || ZERO.test(span.traceId)) return 'invalid_ids';
  if (!HEX_SPAN_ID.test(span.spanId) || ZERO.test(span.spanId)) return 'invalid_ids';
  if (span.parentSpanId !== null && !HEX_SPAN_ID.test(span.parentSpanId)) return 'invalid_ids';
  const { startTimeUnixNano: start, endTimeUnixNano: end } = span;
  if (!(start > 0) || !(end >= start) || !(end - start <= MAX_DURATION_NANO)) return 'invalid_times';
  return undefined;
}
