/**
 * OpenTelemetry in (OTLP/HTTP traces): decode an export body (protobuf or JSON, gzip or not,
 * within limits), map its GenAI spans to provider calls (and, optionally, attempts), and encode
 * the `ExportTraceServiceResponse`. Attributes off the allowlist (prompts, completions, messages)
 * are dropped while decoding and only their keys are counted. No storage and no route here: the
 * `/v1/traces` route calls these three functions. See docs/opentelemetry.md.
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
  type UnattachedSpans,
} from './map-spans.js';
export { normalizeProvider, PROVIDER_ALIASES } from './provider-names.js';
export {
  type EncodedResponse,
  encodeExportResponse,
  type PartialSuccess,
  partialSuccessOf,
} from './response.js';
