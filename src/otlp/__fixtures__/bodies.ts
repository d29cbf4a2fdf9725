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
