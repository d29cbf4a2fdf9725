import protobuf from 'protobufjs/light.js';
import descriptor from './proto/descriptor.json' with { type: 'json' };

/**
 * The OTLP trace messages, built once from the official definitions vendored under `proto/`
 * (open-telemetry/opentelemetry-proto, Apache-2.0). `descriptor.json` is generated from the .proto
 * files by `scripts/otlp-descriptor.mjs`, so only the light runtime (no .proto parser) ships, and
 * protobufjs compiles its decoder for these types once, on first use.
 */
const root = protobuf.Root.fromJSON(descriptor);

/** `opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest`. */
export const ExportTraceServiceRequest = root.lookupType(
  'opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest',
);

/**
 * protobufjs gives each oneof a virtual property on the message prototype, whose setter deletes
 * every other member each time a member is decoded (and whose getter scans `Object.keys`): on
 * `AnyValue`, the oneof read for every attribute, that setter was a tenth of the CPU of decoding a
 * GenAI span. A class field is an own data property of each message, so it shadows the accessor:
 * the decoder still writes into it the name of the member it read last, which is the member that
 * counts (protobuf: the last one on the wire wins), and `fromProtobuf` reads only the member it
 * names, so a value sent with two members reads as before. (A registered constructor is protobufjs
 * API: `Type#ctor`.)
 */
class AnyValueMessage extends protobuf.Message {
  value: string | undefined = undefined;
}
root.lookupType('opentelemetry.proto.common.v1.AnyValue').ctor = AnyValueMessage;

/** `opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse`. */
export const ExportTraceServiceResponse = root.lookupType(
  'opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse',
);

/**
 * `google.rpc.Status` (googleapis, google/rpc/status.proto), the body OTLP/HTTP answers a refused
 * export with. Only `code` and `message` are sent (`details` stays empty), so the two fields are
 * declared here instead of vendoring `google/protobuf/any.proto` too.
 */
export const RpcStatus = new protobuf.Type('Status')
  .add(new protobuf.Field('code', 1, 'int32'))
  .add(new protobuf.Field('message', 2, 'string'));
new protobuf.Root().define('google.rpc').add(RpcStatus);

/** A 64-bit integer as protobufjs decodes it: a `Long` when the `long` package is present. */
export type Int64 = number | { toNumber(): number };

/** An `AnyValue` as decoded: `value` names the member of the oneof set last (the one that counts). */
export interface ProtoAnyValue {
  value?: string;
  stringValue?: string;
  boolValue?: boolean;
  intValue?: Int64;
  doubleValue?: number;
  arrayValue?: { values?: ProtoAnyValue[] };
}

/** A `KeyValue` as decoded. */
export interface ProtoKeyValue {
  key: string;
  value?: ProtoAnyValue | null;
}

/** A `Span` as decoded (the fields the mapping reads). */
export interface ProtoSpan {
  traceId: Uint8Array;
  spanId: Uint8Array;
  parentSpanId: Uint8Array;
  startTimeUnixNano: Int64;
  endTimeUnixNano: Int64;
  attributes: ProtoKeyValue[];
  status?: { code?: number } | null;
}

/** An `ExportTraceServiceRequest` as decoded. */
export interface ProtoExportRequest {
  resourceSpans: { scopeSpans: { spans: ProtoSpan[] }[] }[];
}
