import { keptEntry } from './allowlist.js';
import {
  checkIdentity,
  type DecodedSpan,
  type DecodeLimits,
  STATUS_UNSET,
  type TraceExport,
} from './decoded-span.js';
import { DroppedAttributeTally } from './dropped-attributes.js';
import { OtlpDecodeError } from './errors.js';
import { keepAttribute, type ReadValue } from './keep-attribute.js';

/**
 * Reads the OTLP JSON mapping (OTLP/HTTP `application/json`): lowerCamelCase keys, trace and span
 * ids as hex strings, 64-bit integers as decimal strings or numbers, enums as integers. A body that
 * does not have this shape is refused whole (400 `MALFORMED_JSON`, naming the path); ids or times
 * that cannot identify a span reject that span only. Unknown fields are ignored, as protobuf does.
 */
export function fromJson(body: unknown, limits: DecodeLimits): TraceExport {
  const dropped = new DroppedAttributeTally();
  const spans: DecodedSpan[] = [];
  const resources = arrayAt(objectAt(body, '(body)').resourceSpans, 'resourceSpans');
  resources.forEach((resource, r) => {
    const scopesPath = `resourceSpans[${r}].scopeSpans`;
    const scopes = arrayAt(objectAt(resource, `resourceSpans[${r}]`).scopeSpans, scopesPath);
    scopes.forEach((scope, s) => {
      const spansPath = `${scopesPath}[${s}].spans`;
      const list = arrayAt(objectAt(scope, `${scopesPath}[${s}]`).spans, spansPath);
      list.forEach((span, i) => {
        spans.push(
          toDecodedSpan(objectAt(span, `${spansPath}[${i}]`), `${spansPath}[${i}]`, limits, dropped),
        );
      });
    });
  });
  return { spans, dropped };
}

function malformed(path: string, message: string): OtlpDecodeError {
  return new OtlpDecodeError('MALFORMED_JSON', `${path} ${message}`);
}

function objectAt(value: unknown, path: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw malformed(path, 'must be an object');
  return value as Record<string, unknown>;
}

/** An absent repeated field is empty, as in protobuf. */
function arrayAt(value: unknown, path: string): unknown[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw malformed(path, 'must be an array');
  return value;
}

function stringAt(value: unknown, path: string): string {
  if (value === undefined || value === null) return '';
  if (typeof value !== 'string') throw malformed(path, 'must be a string');
  return value;
}

/** A fixed64/int64: a decimal string or a number (NaN when neither, which rejects the span). */
function int64At(value: unknown): number {
  if (typeof value === 'number') return value;
  if (typeof value === 'string' && /^\d{1,20}$/.test(value)) return Number(value);
  return Number.NaN;
}

/** An enum: an integer (or its name, which the proto3 JSON mapping allows). */
function statusCodeAt(value: unknown, path: string): number {
  if (value === undefined || value === null) return STATUS_UNSET;
  if (Number.isInteger(value)) return value as number;
  const named = ['STATUS_CODE_UNSET', 'STATUS_CODE_OK', 'STATUS_CODE_ERROR'].indexOf(value as string);
  if (named >= 0) return named;
  throw malformed(path, 'must be a status code');
}

function readAnyValue(value: unknown, depth = 0): ReadValue {
  if (typeof value !== 'object' || value === null) return undefined;
  const v = value as Record<string, unknown>;
  if ('stringValue' in v) return typeof v.stringValue === 'string' ? v.stringValue : undefined;
  if ('intValue' in v) {
    const n = int64At(v.intValue);
    return Number.isNaN(n) || (typeof v.intValue === 'number' && !Number.isInteger(n)) ? undefined : n;
  }
  if ('doubleValue' in v) return typeof v.doubleValue === 'number' ? v.doubleValue : undefined;
  if ('boolValue' in v) return typeof v.boolValue === 'boolean' ? v.boolValue : undefined;
  if ('arrayValue' in v && depth === 0) {
    const values = (v.arrayValue as { values?: unknown } | null)?.values;
    return Array.isArray(values) ? values.map((item) => readAnyValue(item, depth + 1)) : undefined;
  }
  return undefined;
}

function toDecodedSpan(
  span: Record<string, unknown>,
  path: string,
  limits: DecodeLimits,
  dropped: DroppedAttributeTally,
): DecodedSpan {
  const parent = stringAt(span.parentSpanId, `${path}.parentSpanId`).toLowerCase();
  const status =
    span.status === undefined || span.status === null ? {} : objectAt(span.status, `${path}.status`);
  const decoded: DecodedSpan = {
    traceId: stringAt(span.traceId, `${path}.traceId`).toLowerCase(),
    spanId: stringAt(span.spanId, `${path}.spanId`).toLowerCase(),
    parentSpanId: parent === '' ? null : parent,
    startTimeUnixNano: int64At(span.startTimeUnixNano),
    endTimeUnixNano: int64At(span.endTimeUnixNano),
    statusCode: statusCodeAt(status.code, `${path}.status.code`),
    attributes: {},
  };
  const attributes = arrayAt(span.attributes, `${path}.attributes`);
  const rejection = checkIdentity(decoded);
  if (rejection !== undefined) return { ...decoded, rejection };
  if (attributes.length > limits.maxAttributesPerSpan)
    return { ...decoded, rejection: 'too_many_attributes' };
  for (let i = 0; i < attributes.length; i++) {
    const pair = objectAt(attributes[i], `${path}.attributes[${i}]`);
    if (typeof pair.key !== 'string') throw malformed(`${path}.attributes[${i}].key`, 'must be a string');
    const kept = keptEntry(pair.key);
    if (
      kept === undefined ||
      !keepAttribute(decoded.attributes, kept.key, kept.kind, readAnyValue(pair.value))
    ) {
      dropped.add(pair.key);
    }
  }
  return decoded;
}
