/** Why an export body was refused as a whole; each maps to one HTTP status. */
export const OTLP_DECODE_ERRORS = {
  /** Neither `application/x-protobuf` nor `application/json`. */
  UNSUPPORTED_MEDIA_TYPE: 415,
  /** A `Content-Encoding` other than `gzip` or `identity`. */
  UNSUPPORTED_ENCODING: 415,
  /** The body, or what it inflates to, is larger than the limit. */
  BODY_TOO_LARGE: 413,
  /** The gzip stream is corrupt or cut short. */
  MALFORMED_GZIP: 400,
  /** The bytes are not an `ExportTraceServiceRequest` (truncated, wrong wire types). */
  MALFORMED_PROTOBUF: 400,
  /** Not JSON, not UTF-8, or JSON that does not have the shape of the OTLP JSON mapping. */
  MALFORMED_JSON: 400,
} as const;

/** A stable code of {@link OTLP_DECODE_ERRORS}. */
export type OtlpDecodeErrorCode = keyof typeof OTLP_DECODE_ERRORS;

/**
 * An export body refused as a whole: nothing of it may be stored. Carries a stable `code` and the
 * HTTP `status` the route answers (OTLP/HTTP: 400 for a malformed body, which exporters do not
 * retry). The message names the problem, never the body's content.
 *
 * @example
 * try { await decodeTraceExport(body, type, encoding, limits); }
 * catch (e) { if (e instanceof OtlpDecodeError) return reply(e.status, e.code, e.message); throw e; }
 */
export class OtlpDecodeError extends Error {
  readonly status: (typeof OTLP_DECODE_ERRORS)[OtlpDecodeErrorCode];

  constructor(
    readonly code: OtlpDecodeErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'OtlpDecodeError';
    this.status = OTLP_DECODE_ERRORS[code];
  }
}
