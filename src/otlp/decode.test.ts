import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { deeplyNestedBody, jsonBody, protoBody, T0, TRACE } from './__fixtures__/bodies.js';
import { DEFAULT_DECODE_LIMITS, decodeTraceExport, OtlpDecodeError } from './index.js';
import { ExportTraceServiceRequest } from './proto-root.js';

const PROTO = 'application/x-protobuf';
const JSON_TYPE = 'application/json';
const limits = DEFAULT_DECODE_LIMITS;

const call = {
  spanId: '00f067aa0ba902b7',
  attributes: {
    'gen_ai.provider.name': 'openai',
    'gen_ai.request.model': 'gpt-4o',
    'gen_ai.usage.input_tokens': 10,
    'gen_ai.input.messages': '[{"role":"user","content":"secret prompt"}]',
  },
};

async function refusal(promise: Promise<unknown>): Promise<OtlpDecodeError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(OtlpDecodeError);
  return error as OtlpDecodeError;
}

describe('decodeTraceExport', () => {
  it('decodes protobuf and JSON to the same spans, keeping allowlisted attributes only', async () => {
    const fromProto = await decodeTraceExport(protoBody([call]), PROTO, undefined, limits);
    const fromJson = await decodeTraceExport(
      jsonBody([call]),
      'application/json; charset=utf-8',
      null,
      limits,
    );
    const expected = {
      traceId: TRACE,
      spanId: '00f067aa0ba902b7',
      parentSpanId: null,
      startTimeUnixNano: T0 * 1e6,
      endTimeUnixNano: (T0 + 100) * 1e6,
      statusCode: 0,
      attributes: {
        'gen_ai.provider.name': 'openai',
        'gen_ai.request.model': 'gpt-4o',
        'gen_ai.usage.input_tokens': 10,
      },
    };
    expect(fromProto.spans).toEqual([expected]);
    expect(fromJson.spans).toEqual([expected]);
    expect([...fromProto.dropped.counts()]).toEqual([['gen_ai.input.messages', 1]]);
    expect(JSON.stringify(fromProto.spans)).not.toContain('secret');
  });

  it('inflates gzip, in both formats', async () => {
    for (const [body, type] of [
      [protoBody([call]), PROTO],
      [jsonBody([call]), JSON_TYPE],
    ] as const) {
      const decoded = await decodeTraceExport(gzipSync(body), type, 'gzip', limits);
      expect(decoded.spans.map((s) => s.attributes['gen_ai.request.model'])).toEqual(['gpt-4o']);
    }
  });

  it('stops a gzip bomb at the inflated limit (413), and refuses a corrupt gzip stream (400)', async () => {
    const bomb = gzipSync(Buffer.alloc(limits.maxDecodedBytes + 1024)); // 16 MiB of zeros in ~16 KB
    expect(bomb.byteLength).toBeLessThan(limits.maxBodyBytes);
    const tooLarge = await refusal(decodeTraceExport(bomb, PROTO, 'gzip', limits));
    expect([tooLarge.code, tooLarge.status]).toEqual(['BODY_TOO_LARGE', 413]);
    const gz = gzipSync(protoBody([call]));
    const cut = await refusal(decodeTraceExport(gz.subarray(0, gz.byteLength - 10), PROTO, 'gzip', limits));
    expect([cut.code, cut.status]).toEqual(['MALFORMED_GZIP', 400]);
  });

  it('refuses a truncated protobuf whole, with a typed 400', async () => {
    const body = protoBody([call, { ...call, spanId: '00f067aa0ba902b8' }]);
    for (const end of [body.byteLength - 1, body.byteLength - 7, Math.floor(body.byteLength / 2), 3]) {
      const error = await refusal(decodeTraceExport(body.subarray(0, end), PROTO, undefined, limits));
      expect([error.code, error.status]).toEqual(['MALFORMED_PROTOBUF', 400]);
    }
    const junk = await refusal(
      decodeTraceExport(new Uint8Array([0xff, 0xff, 0xff, 0xff]), PROTO, null, limits),
    );
    expect(junk.code).toBe('MALFORMED_PROTOBUF');
  });

  it('refuses a message nested 100,000 deep with a typed 400, not a crash', async () => {
    const shallow = await decodeTraceExport(deeplyNestedBody(10), PROTO, undefined, limits);
    expect(shallow.spans).toHaveLength(1); // the builder writes a message protobufjs reads
    const deep = deeplyNestedBody(100_000);
    expect(deep.byteLength).toBeLessThan(limits.maxBodyBytes);
    const error = await refusal(decodeTraceExport(deep, PROTO, undefined, limits));
    expect([error.code, error.status]).toEqual(['MALFORMED_PROTOBUF', 400]);
  });

  it('refuses a 10 MB body before reading it (413)', async () => {
    const big = new Uint8Array(10 * 1024 * 1024);
    for (const type of [PROTO, JSON_TYPE]) {
      const error = await refusal(decodeTraceExport(big, type, undefined, limits));
      expect([error.code, error.status]).toEqual(['BODY_TOO_LARGE', 413]);
    }
  });

  it('refuses other media types and encodings (415)', async () => {
    const text = await refusal(decodeTraceExport(jsonBody([call]), 'text/plain', undefined, limits));
    expect([text.code, text.status]).toEqual(['UNSUPPORTED_MEDIA_TYPE', 415]);
    const none = await refusal(decodeTraceExport(jsonBody([call]), undefined, undefined, limits));
    expect(none.code).toBe('UNSUPPORTED_MEDIA_TYPE');
    const br = await refusal(decodeTraceExport(jsonBody([call]), JSON_TYPE, 'br', limits));
    expect([br.code, br.status]).toEqual(['UNSUPPORTED_ENCODING', 415]);
  });

  it('rejects a span with 10,000 attributes without reading them, keeping the others', async () => {
    const attributes = Object.fromEntries(Array.from({ length: 10_000 }, (_, i) => [`k${i}`, `v${i}`]));
    const heavy = {
      spanId: '1111111111111111',
      attributes: { ...attributes, 'gen_ai.request.model': 'gpt-4o' },
    };
    for (const [body, type] of [
      [protoBody([heavy, call]), PROTO],
      [jsonBody([heavy, call]), JSON_TYPE],
    ] as const) {
      const decoded = await decodeTraceExport(body, type, undefined, limits);
      expect(decoded.spans.map((s) => s.rejection)).toEqual(['too_many_attributes', undefined]);
      expect(decoded.spans[0]!.attributes).toEqual({});
      // Bounded work: the heavy span's 10,000 keys were not even counted.
      expect(decoded.dropped.total()).toBe(1);
    }
  });

  it('marks spans with bad ids or times as rejected, the rest of the export standing', async () => {
    const decoded = await decodeTraceExport(
      protoBody([
        { ...call, traceId: '00000000000000000000000000000000' },
        { ...call, spanId: '0000000000000000' },
        { ...call, spanId: '2222222222222222', durationMs: -5 },
        call,
      ]),
      PROTO,
      undefined,
      limits,
    );
    expect(decoded.spans.map((s) => s.rejection)).toEqual([
      'invalid_ids',
      'invalid_ids',
      'invalid_times',
      undefined,
    ]);
  });

  it('reads the member of an AnyValue sent last when a sender sets two (protobuf: the last one wins)', async () => {
    const spanId = Buffer.from('00f067aa0ba902b7', 'hex');
    const request = {
      resourceSpans: [
        {
          scopeSpans: [
            {
              spans: [
                {
                  traceId: Buffer.from(TRACE, 'hex'),
                  spanId,
                  startTimeUnixNano: T0 * 1e6,
                  endTimeUnixNano: (T0 + 5) * 1e6,
                  // protobufjs writes members in field order: string_value (1) before int_value (3).
                  attributes: [
                    { key: 'gen_ai.provider.name', value: { stringValue: 'openai' } },
                    { key: 'gen_ai.usage.input_tokens', value: { stringValue: 'twelve', intValue: 34 } },
                    { key: 'gen_ai.request.model', value: { stringValue: 'gpt-4o', intValue: 7 } },
                  ],
                },
              ],
            },
          ],
        },
      ],
    };
    const body = ExportTraceServiceRequest.encode(ExportTraceServiceRequest.fromObject(request)).finish();
    const { spans, dropped } = await decodeTraceExport(body, PROTO, undefined, limits);
    expect(spans[0]!.attributes).toEqual({
      'gen_ai.provider.name': 'openai',
      'gen_ai.usage.input_tokens': 34,
    });
    expect([...dropped.counts()]).toEqual([['gen_ai.request.model', 1]]);
  });
});
