import type { OtlpFormat } from './decode.js';
import type { RejectedSpans } from './map-spans.js';
import { ExportTraceServiceResponse, RpcStatus } from './proto-root.js';

/** `ExportTracePartialSuccess`: how many spans were refused and why, in English for the developer. */
export interface PartialSuccess {
  rejectedSpans: number;
  errorMessage: string;
}

const REASONS: Record<keyof RejectedSpans['reasons'], string> = {
  too_many_attributes: 'more attributes than the per-span limit',
  invalid_ids: 'a trace or span id of the wrong length, or all zero',
  invalid_times: 'an end before its start, no start, or a duration over 24 days',
  invalid_request_id: 'a tripmeter.request_id that is not 1–128 printable ASCII characters',
};

/**
 * The partial success of an export whose spans were refused one by one, or undefined when none
 * was (the answer is then an empty `ExportTraceServiceResponse`: full success).
 *
 * @example
 * partialSuccessOf({ spans: 2, reasons: { invalid_ids: 2 } });
 * // { rejectedSpans: 2, errorMessage: '2 spans rejected: 2 with a trace or span id of …' }
 */
export function partialSuccessOf(rejected: RejectedSpans): PartialSuccess | undefined {
  if (rejected.spans === 0) return undefined;
  const parts = Object.entries(rejected.reasons).map(
    ([reason, n]) => `${n} with ${REASONS[reason as keyof typeof REASONS]}`,
  );
  const noun = rejected.spans === 1 ? 'span' : 'spans';
  return {
    rejectedSpans: rejected.spans,
    errorMessage: `${rejected.spans} ${noun} rejected: ${parts.join('; ')}`,
  };
}

/** An encoded answer and its `Content-Type` (OTLP/HTTP answers in the request's encoding). */
export interface EncodedResponse {
  body: Uint8Array;
  contentType: 'application/x-protobuf' | 'application/json';
}

/**
 * Encodes an `ExportTraceServiceResponse` in the request's format. JSON follows the OTLP JSON
 * mapping (lowerCamelCase; `rejectedSpans`, an int64, as a decimal string).
 *
 * @example
 * const { body, contentType } = encodeExportResponse('protobuf', partialSuccessOf(mapped.rejected));
 */
export function encodeExportResponse(format: OtlpFormat, partialSuccess?: PartialSuccess): EncodedResponse {
  if (format === 'json') {
    const message =
      partialSuccess === undefined
        ? {}
        : {
            partialSuccess: {
              rejectedSpans: String(partialSuccess.rejectedSpans),
              errorMessage: partialSuccess.errorMessage,
            },
          };
    return { body: new TextEncoder().encode(JSON.stringify(message)), contentType: 'application/json' };
  }
  const message = ExportTraceServiceResponse.create(partialSuccess === undefined ? {} : { partialSuccess });
  return { body: ExportTraceServiceResponse.encode(message).finish(), contentType: 'application/x-protobuf' };
}

/**
 * The body of a refused export (OTLP/HTTP: a `google.rpc.Status` in the request's encoding, for
 * every 4xx and 5xx the route answers once it knows the encoding). `message` leads with the
 * stable code, e.g. `MALFORMED_PROTOBUF: the body is not …`; `code` is left 0, as the
 * specification does not use it.
 *
 * @example
 * const { body, contentType } = encodeExportFailure('json', 'BODY_TOO_LARGE: the body is larger than …');
 */
export function encodeExportFailure(format: OtlpFormat, message: string): EncodedResponse {
  if (format === 'json')
    return { body: new TextEncoder().encode(JSON.stringify({ message })), contentType: 'application/json' };
  return {
    body: RpcStatus.encode(RpcStatus.create({ message })).finish(),
    contentType: 'application/x-protobuf',
  };
}
