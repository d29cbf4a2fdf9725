import { gzipSync } from 'node:zlib';
import { sql } from 'kysely';
import { expect, it } from 'vitest';
import { createApiKey } from '../../src/auth/index.js';
import { loadConfig } from '../../src/config/index.js';
import { GroupCommitWriter } from '../../src/ingest/index.js';
import { silentLogger } from '../../src/logging/index.js';
import { jsonBody, protoBody, type SpanSpec } from '../../src/otlp/__fixtures__/bodies.js';
import { ExportTraceServiceResponse, RpcStatus } from '../../src/otlp/proto-root.js';
import { createApp } from '../../src/server/app.js';
import type { Database } from '../../src/storage/index.js';
import { PostgresSink } from '../../src/store/postgres-sink.js';
import { describeOnDatabases } from '../support/databases.js';
import { dumpAllText } from '../support/dump-text.js';

const PROTO = 'application/x-protobuf';
const PROMPT = 'Ten days in Kyoto for Hana Sato, allergic to shellfish';
/** Now, to the millisecond (partitions exist around the present). */
const T0 = Date.now() - 60_000;
const TRACE = '0af7651916cd43dd8448eb211c80319c';

const chat = (extra: Record<string, string | number | string[]> = {}) => ({
  'gen_ai.operation.name': 'chat',
  'gen_ai.provider.name': 'openai',
  'gen_ai.request.model': 'gpt-4o-mini',
  'gen_ai.usage.input_tokens': 1000,
  'gen_ai.usage.output_tokens': 200,
  'gen_ai.input.messages': PROMPT,
  ...extra,
});

async function setup(open: () => Promise<Database>, env: Record<string, string> = {}) {
  const database = await open();
  const config = loadConfig({ env });
  const app = createApp({
    config,
    database,
    logger: silentLogger,
    now: () => new Date(),
    ingestWriter: new GroupCommitWriter({ sink: new PostgresSink(database) }),
  });
  const { key } = await createApiKey(database, { scope: 'ingest' });
  const admin = (await createApiKey(database, { scope: 'admin' })).key;
  const post = (body: Uint8Array | string, type = PROTO, headers: Record<string, string> = {}) =>
    app.request('/v1/traces', {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': type, ...headers },
      body: body as BodyInit,
    });
  const counts = async () => {
    const count = async (table: string) =>
      Number(
        (
          await sql<{
            n: string;
          }>`SELECT count(*) AS n FROM ${sql.table(`${database.schema}.${table}`)}`.execute(database.db)
        ).rows[0]!.n,
      );
    return {
      calls: await count('trip_creation_provider_calls'),
      attempts: await count('trip_creation_attempts'),
    };
  };
  const metrics = async () =>
    (await app.request('/metrics', { headers: { authorization: `Bearer ${admin}` } })).text();
  return { database, app, post, counts, metrics };
}

const spans = (n: number, extra: Partial<SpanSpec> = {}): SpanSpec[] =>
  Array.from({ length: n }, (_, i) => ({
    traceId: TRACE,
    spanId: (0xa000000000000000n + BigInt(i + 1)).toString(16),
    startMs: T0 + i * 10,
    durationMs: 1000 + i,
    attributes: chat({ 'tripmeter.request_id': 'req-otlp-1' }),
    ...extra,
  }));

describeOnDatabases('POST /v1/traces refusals', (ctx) => {
  it('a truncated protobuf is 400 (a google.rpc.Status in protobuf) and stores nothing', async () => {
    const t = await setup(ctx.open);
    const body = protoBody(spans(3));
    const res = await t.post(body.subarray(0, body.length - 7));
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toBe(PROTO);
    const status = RpcStatus.decode(new Uint8Array(await res.arrayBuffer())) as unknown as {
      message: string;
    };
    expect(status.message).toMatch(/^MALFORMED_PROTOBUF: /);
    expect(await t.counts()).toEqual({ calls: 0, attempts: 0 });
  });

  it('malformed JSON and a corrupt gzip are 400 in the request encoding, nothing stored', async () => {
    const t = await setup(ctx.open);
    const json = await t.post('{"resourceSpans":[{', 'application/json');
    expect(json.status).toBe(400);
    expect(json.headers.get('content-type')).toBe('application/json');
    expect(await json.json()).toEqual({ message: expect.stringMatching(/^MALFORMED_JSON: /) });
    const gz = gzipSync(protoBody(spans(2)));
    const cut = await t.post(gz.subarray(0, gz.length - 10), PROTO, { 'content-encoding': 'gzip' });
    expect(cut.status).toBe(400);
    expect(RpcStatus.decode(new Uint8Array(await cut.arrayBuffer())).toJSON().message).toMatch(
      /^MALFORMED_GZIP: /,
    );
    expect(await t.counts()).toEqual({ calls: 0, attempts: 0 });
    expect(await t.metrics()).toContain('tripmeter_otlp_refused_exports_total 2');
  });

  it('a 10 MB body is 413 without being read whole; another media type is 415 problem+json', async () => {
    const t = await setup(ctx.open);
    const big = new Uint8Array(10 * 1024 * 1024).fill(0x0a);
    const res = await t.post(big);
    expect(res.status).toBe(413);
    expect(RpcStatus.decode(new Uint8Array(await res.arrayBuffer())).toJSON().message).toMatch(
      /^BODY_TOO_LARGE: /,
    );
    const xml = await t.post('<spans/>', 'application/xml');
    expect(xml.status).toBe(415);
    expect(xml.headers.get('content-type')).toBe('application/problem+json');
    expect(await t.counts()).toEqual({ calls: 0, attempts: 0 });
  });

  it('a span with 10,000 attributes is rejected alone: partial_success, its siblings answered', async () => {
    const t = await setup(ctx.open);
    const huge: SpanSpec = {
      traceId: TRACE,
      spanId: 'b000000000000001',
      startMs: T0,
      attributes: Object.fromEntries(Array.from({ length: 10_000 }, (_, i) => [`k${i}`, PROMPT])),
    };
    const plain: SpanSpec = { traceId: TRACE, spanId: 'b000000000000002', startMs: T0 };
    const res = await t.post(protoBody([huge, plain]));
    expect(res.status).toBe(200);
    const answer = ExportTraceServiceResponse.decode(new Uint8Array(await res.arrayBuffer())).toJSON();
    expect(answer).toEqual({
      partialSuccess: {
        rejectedSpans: '1',
        errorMessage: '1 span rejected: 1 with more attributes than the per-span limit',
      },
    });
    expect(await t.counts()).toEqual({ calls: 0, attempts: 0 });
    const metrics = await t.metrics();
    expect(metrics).toContain('tripmeter_otlp_spans_total{outcome="rejected"} 1');
    expect(metrics).toContain('tripmeter_otlp_spans_total{outcome="ignored"} 1');
    expect(metrics).not.toContain('k9999'); // a rejected span's attributes are not read
  });

  it('spans without GenAI attributes are ignored and counted; nothing is written', async () => {
    const t = await setup(ctx.open);
    const res = await t.post(
      jsonBody([
        { spanId: 'c000000000000001', attributes: { 'http.route': '/trips', 'db.query.text': PROMPT } },
      ]),
      'application/json',
    );
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({});
    expect(await t.counts()).toEqual({ calls: 0, attempts: 0 });
    const metrics = await t.metrics();
    expect(metrics).toContain('tripmeter_otlp_spans_total{outcome="ignored"} 1');
    expect(metrics).toContain('tripmeter_otlp_dropped_attributes_total{key="db.query.text"} 1');
    expect(await dumpAllText(t.database)).not.toContain('Kyoto');
  });
});

describeOnDatabases('POST /v1/traces storage', (ctx) => {
  it('stores each span once: the same export twice, and again gzipped', async () => {
    const t = await setup(ctx.open);
    const body = protoBody(spans(3));
    for (const res of [
      await t.post(body),
      await t.post(body),
      await t.post(gzipSync(body), PROTO, { 'content-encoding': 'gzip' }),
    ]) {
      expect(res.status).toBe(200);
      expect(ExportTraceServiceResponse.decode(new Uint8Array(await res.arrayBuffer())).toJSON()).toEqual({});
    }
    expect(await t.counts()).toEqual({ calls: 3, attempts: 0 });
    const rows = await t.database.db
      .withSchema(t.database.schema)
      .selectFrom('trip_creation_provider_calls')
      .select(['request_id', 'call_index', 'model', 'input_tokens', 'duration_ms'])
      .orderBy('created_at')
      .execute();
    expect(rows.map((r) => [r.request_id, r.model, r.input_tokens, r.duration_ms])).toEqual([
      ['req-otlp-1', 'gpt-4o-mini', 1000, 1000],
      ['req-otlp-1', 'gpt-4o-mini', 1000, 1001],
      ['req-otlp-1', 'gpt-4o-mini', 1000, 1002],
    ]);
    expect(new Set(rows.map((r) => r.call_index)).size).toBe(3);
    const metrics = await t.metrics();
    expect(metrics).toContain('tripmeter_otlp_spans_total{outcome="received"} 9');
    expect(metrics).toContain('tripmeter_otlp_spans_total{outcome="stored"} 9');
    expect(metrics).toContain('tripmeter_otlp_dropped_attributes_total{key="gen_ai.input.messages"} 9');
    expect(await dumpAllText(t.database)).not.toContain('Kyoto');
  });

  it('trace_as_attempt: a root that arrives after its calls still opens and closes the attempt', async () => {
    const t = await setup(ctx.open, { TRIPMETER_OTLP_UNATTACHED_SPANS: 'trace_as_attempt' });
    const root = 'd000000000000001';
    const call: SpanSpec = {
      traceId: TRACE,
      spanId: 'd000000000000002',
      parentSpanId: root,
      startMs: T0 + 100,
      durationMs: 2_000,
      attributes: chat(),
    };
    // A batch processor sends the call first, its root (which ends last) in a later export.
    expect((await t.post(protoBody([call]))).status).toBe(200);
    expect(await t.counts()).toEqual({ calls: 1, attempts: 0 });
    const rootSpan: SpanSpec = {
      traceId: TRACE,
      spanId: root,
      startMs: T0,
      durationMs: 3_000,
      statusCode: 2,
    };
    expect((await t.post(protoBody([rootSpan]))).status).toBe(200);
    // A root of another trace with no call anywhere is some other request: no attempt.
    const other: SpanSpec = { traceId: 'f'.repeat(32), spanId: 'd000000000000009', startMs: T0 };
    expect((await t.post(protoBody([other]))).status).toBe(200);
    const attempts = await t.database.db
      .withSchema(t.database.schema)
      .selectFrom('trip_creation_attempts')
      .selectAll()
      .execute();
    expect(attempts).toHaveLength(1);
    expect(attempts[0]).toMatchObject({
      request_id: TRACE,
      status: 'failed',
      error_code: 'OTEL_SPAN_ERROR',
      duration_ms: 3_000,
      call_count: 1,
    });
    expect(attempts[0]!.created_at.getTime()).toBe(T0);
  });

  it('drop: calls without a request id are not stored, and counted as ignored', async () => {
    const t = await setup(ctx.open, { TRIPMETER_OTLP_UNATTACHED_SPANS: 'drop' });
    const res = await t.post(protoBody(spans(2, { attributes: chat() })));
    expect(res.status).toBe(200);
    expect(await t.counts()).toEqual({ calls: 0, attempts: 0 });
    expect(await t.metrics()).toContain('tripmeter_otlp_spans_total{outcome="ignored"} 2');
  });

  it('store_unattached (default): the trace id is the request id, no attempt', async () => {
    const t = await setup(ctx.open);
    expect((await t.post(protoBody(spans(1, { attributes: chat() })))).status).toBe(200);
    const rows = await t.database.db
      .withSchema(t.database.schema)
      .selectFrom('trip_creation_provider_calls')
      .select('request_id')
      .execute();
    expect(rows).toEqual([{ request_id: TRACE }]);
    expect(await t.counts()).toEqual({ calls: 1, attempts: 0 });
  });
});
