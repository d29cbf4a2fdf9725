import { context, SpanStatusCode, trace } from '@opentelemetry/api';
import { OTLPTraceExporter as JsonExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { OTLPTraceExporter as ProtoExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import {
  InMemorySpanExporter,
  type ReadableSpan,
  SimpleSpanProcessor,
  TracerProvider,
} from '@opentelemetry/sdk-trace';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createApiKey } from '../../src/auth/index.js';
import { loadConfig } from '../../src/config/index.js';
import { silentLogger } from '../../src/logging/index.js';
import { SPAN_CALL_INDEX_BASE } from '../../src/otlp/index.js';
import { type Service, startService } from '../../src/server/service.js';
import { describeOnDatabases } from '../support/databases.js';
import { dumpAllText } from '../support/dump-text.js';

/**
 * The OpenTelemetry SDK's own OTLP/HTTP exporters (protobuf and JSON, plain and gzip) sending to a
 * running `serve` on 127.0.0.1, as an app configured by OTEL_EXPORTER_OTLP_* would: each exporter's
 * calls land once in `trip_creation_provider_calls`, a redelivered export stores nothing twice,
 * and the prompt it carried is nowhere in the database.
 */
const PROMPT = 'Plan five days in Lisbon for Ana Souza, allergic to peanuts';
const COMPLETION = 'Day 1: Alfama walking tour';

type Exporter = ProtoExporter | JsonExporter;
const send = (exporter: Exporter, spans: ReadableSpan[]) =>
  new Promise<{ code: number; error?: Error }>((resolve) => exporter.export(spans, resolve));

/** Records one app trace in memory: a root carrying the request id, a chat call, a failed call, a DB span. */
async function recordTrace(requestId: string, t0: number): Promise<ReadableSpan[]> {
  const memory = new InMemorySpanExporter();
  const provider = new TracerProvider({ spanProcessors: [new SimpleSpanProcessor({ exporter: memory })] });
  const tracer = provider.getTracer('trip-app');
  const root = tracer.startSpan('POST /trips', {
    startTime: t0,
    attributes: { 'tripmeter.request_id': requestId },
  });
  const inRoot = trace.setSpan(context.active(), root);
  tracer
    .startSpan(
      'chat gpt-4o',
      {
        startTime: t0 + 10,
        attributes: {
          'gen_ai.operation.name': 'chat',
          'gen_ai.provider.name': 'openai',
          'gen_ai.request.model': 'gpt-4o',
          'gen_ai.response.model': 'gpt-4o-2024-08-06',
          'gen_ai.usage.input_tokens': 1200,
          'gen_ai.usage.output_tokens': 350,
          'gen_ai.input.messages': JSON.stringify([{ role: 'user', content: PROMPT }]),
          'gen_ai.output.messages': JSON.stringify([{ role: 'assistant', content: COMPLETION }]),
        },
      },
      inRoot,
    )
    .end(t0 + 1244);
  const failed = tracer.startSpan(
    'chat gpt-4o-mini',
    {
      startTime: t0 + 1300,
      attributes: { 'gen_ai.system': 'openai', 'gen_ai.request.model': 'gpt-4o-mini', 'error.type': '429' },
    },
    inRoot,
  );
  failed.setStatus({ code: SpanStatusCode.ERROR, message: PROMPT });
  failed.end(t0 + 1400);
  tracer.startSpan('SELECT trips', { startTime: t0 + 1500 }, inRoot).end(t0 + 1510);
  root.end(t0 + 2000);
  await provider.forceFlush();
  const spans = memory.getFinishedSpans();
  await provider.shutdown();
  return spans;
}

describeOnDatabases('real OTLP exporters → tripmeter serve', (ctx) => {
  let service: Service;
  let key: string;
  beforeAll(async () => {
    const database = await ctx.open();
    const config = loadConfig({
      env: { TRIPMETER_PORT: '0', TRIPMETER_HOST: '127.0.0.1', TRIPMETER_SCHEMA: database.schema },
    });
    service = await startService(config, { logger: silentLogger, database });
    key = (await createApiKey(database, { scope: 'ingest' })).key;
  });
  afterAll(() => service?.close());

  const exporters: [string, () => Exporter][] = [
    ['protobuf', () => new ProtoExporter({ url: `${service.url}/v1/traces`, headers: auth() })],
    [
      'protobuf + gzip',
      () =>
        new ProtoExporter({ url: `${service.url}/v1/traces`, headers: auth(), compression: 'gzip' as never }),
    ],
    ['JSON', () => new JsonExporter({ url: `${service.url}/v1/traces`, headers: auth() })],
    [
      'JSON + gzip',
      () =>
        new JsonExporter({ url: `${service.url}/v1/traces`, headers: auth(), compression: 'gzip' as never }),
    ],
  ];
  const auth = () => ({ Authorization: `Bearer ${key}` });

  for (const [name, make] of exporters) {
    it(`${name}: the calls are stored once, redelivery included, without text`, async () => {
      const requestId = `req-${name.replace(/\W+/g, '-')}`;
      const t0 = Date.now() - 5_000;
      const spans = await recordTrace(requestId, t0);
      const exporter = make();
      expect((await send(exporter, spans)).code).toBe(0); // ExportResultCode.SUCCESS
      expect((await send(exporter, spans)).code).toBe(0); // the exporter's retry, delivered twice
      await exporter.shutdown();

      const rows = await service.database.db
        .withSchema(service.database.schema)
        .selectFrom('trip_creation_provider_calls')
        .selectAll()
        .where('request_id', '=', requestId)
        .orderBy('created_at')
        .execute();
      expect(rows).toHaveLength(2);
      expect(rows[0]).toMatchObject({
        provider: 'openai',
        model: 'gpt-4o',
        response_model: 'gpt-4o-2024-08-06',
        status: 'success',
        duration_ms: 1234,
        input_tokens: 1200,
        output_tokens: 350,
        error_code: null,
      });
      expect(rows[0]!.created_at.getTime()).toBe(t0 + 10);
      expect(rows[1]).toMatchObject({
        model: 'gpt-4o-mini',
        status: 'failed',
        error_code: 'HTTP_429',
        failure_kind: 'rate_limited',
        duration_ms: 100,
      });
      for (const row of rows) expect(row.call_index).toBeGreaterThanOrEqual(SPAN_CALL_INDEX_BASE);
      const text = await dumpAllText(service.database);
      for (const secret of ['Lisbon', 'Souza', 'Alfama', 'peanuts']) expect(text).not.toContain(secret);
    });
  }
});
