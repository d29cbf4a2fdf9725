import type { DecodeLimits, TraceExport } from './decoded-span.js';
import { OtlpDecodeError } from './errors.js';
import { fromJson } from './from-json.js';
import { fromProtobuf } from './from-protobuf.js';
import { inflateBounded } from './inflate.js';
import { ExportTraceServiceRequest, type ProtoExportRequest } from './proto-root.js';

/** The two encodings of OTLP/HTTP. */
export type OtlpFormat = 'protobuf' | 'json';

/** The format a `Content-Type` names (parameters ignored), or undefined when it names neither. */
export function otlpFormatOf(contentType: string | null | undefined): OtlpFormat | undefined {
  const media = (contentType ?? '').split(';', 1)[0]!.trim().toLowerCase();
  if (media === 'application/x-protobuf') return 'protobuf';
  if (media === 'application/json') return 'json';
  return undefined;
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Decodes an OTLP/HTTP trace export body (`ExportTraceServiceRequest`) into spans holding only
 * allowlisted attributes. `contentType` is `application/x-protobuf` or `application/json`;
 * `contentEncoding` is absent, `identity` or `gzip`. The whole body is refused with an
 * {@link OtlpDecodeError} (413 too large, 415 unsupported, 400 malformed or truncated) and then
 * nothing of it is returned; a span that cannot be mapped is returned with its `rejection`.
 *
 * @example
 * const exported = await decodeTraceExport(bytes, 'application/x-protobuf', 'gzip', DEFAULT_DECODE_LIMITS);
 * const { calls } = mapSpans(exported, { unattachedSpans: 'store_unattached' });
 */
export async function decodeTraceExport(
  body: Uint8Array,
  contentType: string | null | undefined,
  contentEncoding: string | null | undefined,
  limits: DecodeLimits,
): Promise<TraceExport> {
  const format = otlpFormatOf(contentType);
  if (format === undefined) {
    throw new OtlpDecodeError(
      'UNSUPPORTED_MEDIA_TYPE',
      'the body must be application/x-protobuf or application/json',
    );
  }
  if (body.byteLength > limits.maxBodyBytes) {
    throw new OtlpDecodeError('BODY_TOO_LARGE', `the body is larger than ${limits.maxBodyBytes} bytes`);
  }
  const encoding = (contentEncoding ?? '').trim().toLowerCase();
  if (encoding !== '' && encoding !== 'identity' && encoding !== 'gzip') {
    throw new OtlpDecodeError('UNSUPPORTED_ENCODING', 'the Content-Encoding must be gzip or identity');
  }
  const bytes = encoding === 'gzip' ? await inflateBounded(body, limits.maxDecodedBytes) : body;
  return format === 'protobuf' ? decodeProtobuf(bytes, limits) : decodeJson(bytes, limits);
}

function decodeProtobuf(bytes: Uint8Array, limits: DecodeLimits): TraceExport {
  let request: ProtoExportRequest;
  try {
    request = ExportTraceServiceRequest.decode(bytes) as unknown as ProtoExportRequest;
  } catch {
    // protobufjs throws RangeError on a cut body (and the engine on a message nested deeper than
    // the stack) and Error on a wrong wire type: all the sender's, none naming any content.
    throw new OtlpDecodeError(
      'MALFORMED_PROTOBUF',
      'the body is not a complete ExportTraceServiceRequest, or nests too deeply',
    );
  }
  return fromProtobuf(request, limits);
}

function decodeJson(bytes: Uint8Array, limits: DecodeLimits): TraceExport {
  let body: unknown;
  try {
    body = JSON.parse(strictUtf8.decode(bytes));
  } catch {
    throw new OtlpDecodeError('MALFORMED_JSON', 'the body is not UTF-8 JSON');
  }
  return fromJson(body, limits);
}
