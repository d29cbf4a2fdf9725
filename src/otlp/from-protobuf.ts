import { keptEntry } from './allowlist.js';
import {
  checkIdentity,
  type DecodedSpan,
  type DecodeLimits,
  STATUS_UNSET,
  type TraceExport,
} from './decoded-span.js';
import { DroppedAttributeTally } from './dropped-attributes.js';
import { keepAttribute, type ReadValue } from './keep-attribute.js';
import type { Int64, ProtoAnyValue, ProtoExportRequest, ProtoSpan } from './proto-root.js';

const toNumber = (v: Int64 | undefined): number => (typeof v === 'number' ? v : (v?.toNumber() ?? 0));

/**
 * Lower-case hex of a bytes field; an absent one decodes as protobufjs's default, an empty array.
 * Under Node protobufjs hands bytes over as Buffers already: no view is made for them.
 */
const hex = (bytes: Uint8Array): string =>
  bytes.length === 0
    ? ''
    : Buffer.isBuffer(bytes)
      ? bytes.toString('hex')
      : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex');

/** The scalar (or array of scalars) an `AnyValue` holds; nested lists of pairs read as undefined. */
function readAnyValue(value: ProtoAnyValue | null | undefined, depth = 0): ReadValue {
  switch (value?.value) {
    case 'stringValue':
      return value.stringValue;
    case 'boolValue':
      return value.boolValue;
    case 'intValue':
      return toNumber(value.intValue);
    case 'doubleValue':
      return value.doubleValue;
    case 'arrayValue':
      return depth > 0 ? undefined : (value.arrayValue?.values ?? []).map((v) => readAnyValue(v, depth + 1));
    default:
      return undefined;
  }
}

/** One decoded protobuf span as a {@link DecodedSpan}, its dropped attribute keys counted. */
function toDecodedSpan(span: ProtoSpan, limits: DecodeLimits, dropped: DroppedAttributeTally): DecodedSpan {
  const decoded: DecodedSpan = {
    traceId: hex(span.traceId),
    spanId: hex(span.spanId),
    parentSpanId: span.parentSpanId.length === 0 ? null : hex(span.parentSpanId),
    startTimeUnixNano: toNumber(span.startTimeUnixNano),
    endTimeUnixNano: toNumber(span.endTimeUnixNano),
    statusCode: span.status?.code ?? STATUS_UNSET,
    attributes: {},
  };
  const rejection = checkIdentity(decoded);
  if (rejection !== undefined) return { ...decoded, rejection };
  const attributes = span.attributes;
  if (attributes.length > limits.maxAttributesPerSpan)
    return { ...decoded, rejection: 'too_many_attributes' };
  for (let i = 0; i < attributes.length; i++) {
    const { key, value } = attributes[i]!;
    const kept = keptEntry(key);
    if (kept === undefined || !keepAttribute(decoded.attributes, kept.key, kept.kind, readAnyValue(value))) {
      dropped.add(key);
    }
  }
  return decoded;
}

/** The spans of a decoded protobuf `ExportTraceServiceRequest`, reduced to what may be kept. */
export function fromProtobuf(request: ProtoExportRequest, limits: DecodeLimits): TraceExport {
  const dropped = new DroppedAttributeTally();
  const spans: DecodedSpan[] = [];
  for (const resource of request.resourceSpans) {
    for (const scope of resource.scopeSpans) {
      for (const span of scope.spans) spans.push(toDecodedSpan(span, limits, dropped));
    }
  }
  return { spans, dropped };
}
