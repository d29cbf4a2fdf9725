import {
  InMemorySpanExporter,
  type ReadableSpan,
  SimpleSpanProcessor,
  TracerProvider,
} from '@opentelemetry/sdk-trace';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { SPAN_CALL_INDEX_BASE } from '../../src/otlp/index.js';
import type { Service } from '../../src/server/service.js';
import { describeOnDatabases } from '../support/databases.js';
import { dumpAllText } from '../support/dump-text.js';
import { EXPORTER_CASES, type Exporter, emitAppTrace, SECRET_WORDS } from './app-trace.js';
import { startServeWithKey, storedCalls } from './serve.js';

/**
 * The OpenTelemetry SDK's own OTLP/HTTP exporters (protobuf and JSON, plain and gzip) sending to a
 * running `serve` on 127.0.0.1, as an app configured by OTEL_EXPORTER_OTLP_* would: each exporter's
 * calls land once in `trip_creation_provider_calls`, a redelivered export stores nothing twice,
 * and the prompt it carried is nowhere in the database.
 */
const send = (exporter: Exporter, spans: ReadableSpan[]) =>
  new Promise<{ code: number; error?: Error }>((resolve) => exporter.export(spans, resolve));

/** Records the app trace in memory, so the same spans can be exported twice. */
async function recordTrace(requestId: string, t0: number): Promise<ReadableSpan[]> {
  const memory = new InMemorySpanExporter();
  const provider = new TracerProvider({ spanProcessors: [new SimpleSpanProcessor({ exporter: memory })] });
  emitAppTrace(provider.getTracer('trip-app'), requestId, t0);
  await provider.forceFlush();
  const spans = memory.getFinishedSpans();
  await provider.shutdown();
  return spans;
}

describeOnDatabases('real OTLP exporters → tripmeter serve', (ctx) => {
  let service: Service;
  let key: string;
  beforeAll(async () => {
    ({ service, key } = await startServeWithKey(await ctx.open()));
  });
  afterAll(() => service?.close());

  for (const exporterCase of EXPORTER_CASES) {
    it(`${exporterCase.name}: the calls are stored once, redelivery included, without text`, async () => {
      const requestId = `req-${exporterCase.name.replace(/\W+/g, '-')}`;
      const t0 = Date.now() - 5_000;
      const spans = await recordTrace(requestId, t0);
      const exporter = exporterCase.make(`${service.url}/v1/traces`, { Authorization: `Bearer ${key}` });
      expect((await send(exporter, spans)).code).toBe(0); // ExportResultCode.SUCCESS
      expect((await send(exporter, spans)).code).toBe(0); // the exporter's retry, delivered twice
      await exporter.shutdown();

      const rows = await storedCalls(service, requestId);
      expect(rows).toHaveLength(2);
      expect(rows[0]).toMatchObject({
        provider: 'openai',
        model: 'gpt-4o',
        response_model: 'gpt-4o-2024-08-06',
        status: 'success',
        duration_ms: 1234,
        input_tokens: 1200,
        output_tokens: 350,
        cached_input_tokens: 1000,
        finish_reason: 'stop',
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
      for (const secret of SECRET_WORDS) expect(text).not.toContain(secret);
    });
  }
});
