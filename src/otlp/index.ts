/**
 * OpenTelemetry in (OTLP/HTTP traces): decode an export body (protobuf or JSON, gzip or not,
 * within limits), map its GenAI spans to provider calls (and, optionally, attempts), turn them into
 * the write path's records, and encode the `ExportTraceServiceResponse`. Attributes off the
 * allowlist (prompts, completions, messages) are dropped while decoding and only their keys are
 * counted. The `/v1/traces` route (server) calls these; one query (`selectRequestsWithCalls`)
 * reads storage. See docs/opentelemetry.md.
 */

export { KEPT_ATTRIBUTES, type KeptAttributes, type KeptKey } from './allowlist.js';
export { decodeTraceExport, type OtlpFormat, otlpFormatOf } from './decode.js';
export {
  DEFAULT_DECODE_LIMITS,
  type DecodedSpan,
  type DecodeLimits,
  type SpanRejection,
  type TraceExport,
} from './decoded-span.js';
export { DEFAULT_MAX_DROPPED_KEYS, DroppedAttributeTally, OTHER_KEY } from './dropped-attributes.js';
export { errorCodeFromType, SPAN_ERROR_CODE } from './error-type.js';
export { OTLP_DECODE_ERRORS, OtlpDecodeError, type OtlpDecodeErrorCode } from './errors.js';
export {
  DEFAULT_MAP_OPTIONS,
  type MappedExport,
  type MapSpansOptions,
  mapSpans,
  type OtlpAttempt,
  type OtlpProviderCall,
  type RejectedSpans,
  UNATTACHED_SPANS,
  type UnattachedSpans,
} from './map-spans.js';
export { OtlpStats } from './otlp-stats.js';
export { normalizeProvider, PROVIDER_ALIASES } from './provider-names.js';
export {
  type EncodedResponse,
  encodeExportFailure,
  encodeExportResponse,
  type PartialSuccess,
  partialSuccessOf,
} from './response.js';
export { selectRequestsWithCalls } from './select-requests-with-calls.js';
export {
  attemptEvents,
  callIndexOf,
  exportRecords,
  rootsWithoutCalls,
  SPAN_CALL_INDEX_BASE,
  toProviderCallRecord,
} from './to-records.js';
