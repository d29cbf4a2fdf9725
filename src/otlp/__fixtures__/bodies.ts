import { ExportTraceServiceRequest } from '../proto-root.js';

/** One test span in the OTLP JSON mapping's vocabulary; attribute values typed by their JS type. */
export interface SpanSpec {
  traceId?: string;
  spanId: string;
  parentSpanId?: string;
  startMs?: number;
  durationMs?: number;
  statusCode?: number;
  attributes?: Record<string, string | number | boolean | string[]>;
}

export const TRACE = '5b8efff798038103d269b633813fc60c';
export const T0 = Date.UTC(2026, 11, 5, 9, 0, 0);

const anyValue = (v: string | number | boolean | string[]): Record<string, unknown> => {
  if (Array.isArray(v)) return { arrayValue: { values: v.map((s) => ({ stringValue: s })) } };
  if (typeof v === 'string') return { stringValue: v };
  if (typeof v === 'boolean') return { boolValue: v };
  return Number.isInteger(v) ? { intValue: String(v) } : { doubleValue: v };
};

/** The spans as an OTLP JSON object (ids in hex, times as decimal strings). */
export function jsonRequest(spans: SpanSpec[]) {
  return {
    resourceSpans: [
      {
        resource: { attributes: [{ key: 'service.name', value: { stringValue: 'trip-app' } }] },
        scopeSpans: [
          {
            scope: { name: 'test' },
            spans: spans.map((s) => {
              const start = BigInt(s.startMs ?? T0) * 1_000_000n;
              return {
                traceId: s.traceId ?? TRACE,
                spanId: s.spanId,
                parentSpanId: s.parentSpanId ?? '',
                name: 'span',
                kind: 3,
                startTimeUnixNano: String(start),
                endTimeUnixNano: String(start + BigInt(s.durationMs ?? 100) * 1_000_000n),
                attributes: Object.entries(s.attributes ?? {}).map(([key, v]) => ({
                  key,
                  value: anyValue(v),
                })),
                status: { code: s.statusCode ?? 0 },
              };
            }),
          },
        ],
      },
    ],
  };
}

/** The spans as a JSON body. */
export const jsonBody = (spans: SpanSpec[]): Uint8Array =>
  new TextEncoder().encode(JSON.stringify(jsonRequest(spans)));

/** The spans encoded by protobufjs with the official message types. */
export function protoBody(spans: SpanSpec[]): Uint8Array {
  const request = jsonRequest(spans);
  for (const span of request.resourceSpans[0]!.scopeSpans[0]!.spans) {
    const s = span as Record<string, unknown>;
    s.traceId = Buffer.from(span.traceId, 'hex');
    s.spanId = Buffer.from(span.spanId, 'hex');
    s.parentSpanId = Buffer.from(span.parentSpanId, 'hex');
  }
  return ExportTraceServiceRequest.encode(ExportTraceServiceRequest.fromObject(request)).finish();
}

function varint(n: number): number[] {
  const out: number[] = [];
  for (; n > 127; n = Math.floor(n / 128)) out.push((n & 127) | 128);
  out.push(n);
  return out;
}

/**
 * A valid-looking export whose one attribute nests `depth` key-value lists (AnyValue.kvlist_value
 * → KeyValueList.values → KeyValue.value, …), written wire tag by wire tag from the inside out:
 * protobufjs cannot build it, it recurses as deep as the message.
 */
export function deeplyNestedBody(depth: number): Uint8Array {
  const headers: number[][] = [];
  let size = 0;
  const prepend = (bytes: number[]) => {
    headers.push(bytes);
    size += bytes.length;
  };
  const wrap = (tag: number) => prepend([tag, ...varint(size)]);
  for (let i = 0; i < depth; i++) {
    wrap(0x12); // KeyValue.value
    wrap(0x0a); // KeyValueList.values
    wrap(0x32); // AnyValue.kvlist_value
  }
  wrap(0x12); // KeyValue.value
  prepend([0x0a, 1, 0x6b]); // KeyValue.key = "k"
  wrap(0x4a); // Span.attributes
  wrap(0x12); // ScopeSpans.spans
  wrap(0x12); // ResourceSpans.scope_spans
  wrap(0x0a); // ExportTraceServiceRequest.resource_spans
  const out = new Uint8Array(size);
  let offset = 0;
  for (let i = headers.length - 1; i >= 0; i--) {
    out.set(headers[i]!, offset);
    offset += headers[i]!.length;
  }
  return out;
}
