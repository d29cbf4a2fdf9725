import { context, propagation, SpanStatusCode, trace } from '@opentelemetry/api';
import { BaggageSpanProcessor } from '@opentelemetry/baggage-span-processor';
import { OTLPTraceExporter as ProtoExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { BatchSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DEFAULT_DECODE_LIMITS,
  decodeTraceExport,
  mapSpans,
  type TraceExport,
} from '../../src/otlp/index.js';
import { EXPORTER_CASES, type Exporter, emitAppTrace, SECRET_WORDS } from './app-trace.js';
import { type CapturedExport, startCaptureServer } from './capture-server.js';

/**
 * The OpenTelemetry SDK with its two OTLP/HTTP exporters (protobuf and JSON, plain and gzip)
 * sending to a local receiver: the raw bodies they put on the wire decode and map to exact calls,
 * and the prompt they carried is nowhere in the result.
 */
const T0 = Date.UTC(2026, 11, 5, 8, 0, 0);

let server: Awaited<ReturnType<typeof startCaptureServer>>;
beforeAll(async () => {
  server = await startCaptureServer();
});
afterAll(() => server.close());

/** Emits the app trace through a batch processor over `exporter` and returns what was sent. */
async function exportOneTrace(exporter: Exporter): Promise<CapturedExport> {
  const provider = new TracerProvider({ spanProcessors: [new BatchSpanProcessor({ exporter })] });
  const before = server.captured.length;
  emitAppTrace(provider.getTracer('trip-app'), 'req-42', T0);
  await provider.shutdown();
  const sent = server.captured.slice(before);
  expect(sent).toHaveLength(1); // the batch processor sends the trace in one request
  return sent[0]!;
}

/** Decodes captured bodies with the headers they came with, as one export. */
async function decodeAll(sent: CapturedExport[]): Promise<TraceExport> {
  const decoded = await Promise.all(
    sent.map((b) =>
      decodeTraceExport(
        b.body,
        b.headers['content-type'],
        b.headers['content-encoding'] as string | undefined,
        DEFAULT_DECODE_LIMITS,
      ),
    ),
  );
  const [first, ...rest] = decoded;
  for (const d of rest) {
    first!.spans.push(...d.spans);
    first!.dropped.addAll(d.dropped.counts());
  }
  return first!;
}

const auth = { Authorization: 'Bearer tm_ingest_test_key' };

describe('real OTLP exporters → decode → map', () => {
  for (const exporter of EXPORTER_CASES) {
    it(`${exporter.name}: exact calls, the attempt from the root's request id, no content`, async () => {
      const first = await exportOneTrace(exporter.make(server.url, auth));
      expect(first.path).toBe('/v1/traces');
      expect(first.headers['content-type']).toBe(exporter.contentType);
      expect(first.headers.authorization).toBe('Bearer tm_ingest_test_key');
      expect(first.headers['content-encoding']).toBe(exporter.gzip ? 'gzip' : undefined);

      const mapped = mapSpans(await decodeAll([first]), { unattachedSpans: 'store_unattached' });
      const [ok, failed] = mapped.calls;
      expect(mapped.calls).toHaveLength(2);
      expect(ok).toEqual({
        spanKey: `${ok!.traceId}:${ok!.spanId}`,
        traceId: expect.stringMatching(/^[0-9a-f]{32}$/),
        spanId: expect.stringMatching(/^[0-9a-f]{16}$/),
        parentSpanId: expect.stringMatching(/^[0-9a-f]{16}$/),
        requestId: 'req-42',
        unattached: false,
        provider: 'openai',
        model: 'gpt-4o',
        responseModel: 'gpt-4o-2024-08-06',
        status: 'success',
        errorCode: null,
        httpStatus: null,
        durationMs: 1234,
        ttftMs: null,
        inputTokens: 1200,
        outputTokens: 350,
        cachedInputTokens: 1000,
        reasoningTokens: null,
        finishReason: 'stop',
        occurredAt: new Date(T0 + 10),
      });
      expect(failed).toMatchObject({
        requestId: 'req-42',
        provider: 'openai',
        model: 'gpt-4o-mini',
        status: 'failed',
        errorCode: 'HTTP_429',
        durationMs: 100,
        inputTokens: null,
      });
      expect(mapped.ignoredSpans).toBe(2); // the HTTP root and the database span
      expect(mapped.rejected.spans).toBe(0);
      expect(mapped.attempts).toEqual([]);
      expect(mapped.droppedAttributeCounts.get('gen_ai.input.messages')).toBe(1);
      expect(mapped.droppedAttributeCounts.get('gen_ai.output.messages')).toBe(1);
      expect(mapped.droppedAttributeCounts.get('server.address')).toBe(1);
      const everything = JSON.stringify({
        ...mapped,
        droppedAttributeCounts: [...mapped.droppedAttributeCounts],
      });
      for (const secret of SECRET_WORDS) expect(everything).not.toContain(secret);
    });
  }

  it('baggage: the BaggageSpanProcessor copies tripmeter.request_id onto every span, each call finds it alone', async () => {
    const provider = new TracerProvider({
      spanProcessors: [
        new BaggageSpanProcessor((key) => key === 'tripmeter.request_id') as never,
        new BatchSpanProcessor({ exporter: new ProtoExporter({ url: server.url }) }),
      ],
    });
    const tracer = provider.getTracer('worker');
    const before = server.captured.length;
    const withId = propagation.setBaggage(
      context.active(),
      propagation.createBaggage({ 'tripmeter.request_id': { value: 'req-baggage-7' } }),
    );
    const root = tracer.startSpan('job', { startTime: T0 }, withId);
    const call = tracer.startSpan(
      'chat',
      {
        startTime: T0 + 1,
        attributes: { 'gen_ai.provider.name': 'openai', 'gen_ai.request.model': 'gpt-4o' },
      },
      trace.setSpan(withId, root),
    );
    call.end(T0 + 50);
    // Sent before its parent ends, alone, as a batch processor does when the parent outlives it.
    await provider.forceFlush();
    root.end(T0 + 100);
    await provider.shutdown();
    const [first] = server.captured.slice(before);
    const mapped = mapSpans(await decodeAll([first!]), { unattachedSpans: 'store_unattached' });
    expect(mapped.calls).toMatchObject([{ requestId: 'req-baggage-7', model: 'gpt-4o', durationMs: 49 }]);
  });

  it('trace_as_attempt: without a request id, the trace is the attempt its root opens and closes', async () => {
    const exporter = new ProtoExporter({ url: server.url });
    const provider = new TracerProvider({ spanProcessors: [new BatchSpanProcessor({ exporter })] });
    const tracer = provider.getTracer('worker');
    const before = server.captured.length;
    const root = tracer.startSpan('generate itinerary', { startTime: T0 });
    tracer
      .startSpan(
        'chat claude',
        {
          startTime: T0 + 5,
          attributes: { 'gen_ai.provider.name': 'anthropic', 'gen_ai.request.model': 'claude-sonnet-4' },
        },
        trace.setSpan(context.active(), root),
      )
      .end(T0 + 905);
    root.setStatus({ code: SpanStatusCode.ERROR });
    root.end(T0 + 1000);
    await provider.shutdown();
    const exported = await decodeAll(server.captured.slice(before));
    const mapped = mapSpans(exported, { unattachedSpans: 'trace_as_attempt' });
    const spans = exported.spans;
    const traceId = spans[0]!.traceId;
    expect(mapped.calls).toMatchObject([{ requestId: traceId, provider: 'anthropic', durationMs: 900 }]);
    expect(mapped.attempts).toEqual([
      {
        requestId: traceId,
        rootSpanKey: `${traceId}:${spans.find((s) => s.parentSpanId === null)!.spanId}`,
        startedAt: new Date(T0),
        endedAt: new Date(T0 + 1000),
        durationMs: 1000,
        status: 'failed',
        errorCode: 'OTEL_SPAN_ERROR',
        callCount: 1,
      },
    ]);
  });
});
