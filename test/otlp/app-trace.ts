import { context, SpanStatusCode, type Tracer, trace } from '@opentelemetry/api';
import { OTLPTraceExporter as JsonExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { OTLPTraceExporter as ProtoExporter } from '@opentelemetry/exporter-trace-otlp-proto';

/**
 * The app trace both exporter suites send (to a capture server, and to a running `serve`): an HTTP
 * root carrying the request id, a chat call that carries the prompt and the completion, a failed
 * call answered 429, and a database span. The prompt's words must be found nowhere afterwards.
 */
export const PROMPT = 'Plan five days in Lisbon for Ana Souza, allergic to peanuts';
export const COMPLETION = 'Day 1: Alfama walking tour';
/** Words of {@link PROMPT} and {@link COMPLETION} that no stored or mapped value may contain. */
export const SECRET_WORDS = ['Lisbon', 'Souza', 'Alfama', 'peanuts'] as const;

/** Starts and ends the spans of one app trace at `t0` (ms) on `tracer`; see the module comment. */
export function emitAppTrace(tracer: Tracer, requestId: string, t0: number): void {
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
          'gen_ai.usage.cache_read.input_tokens': 1000,
          'gen_ai.response.finish_reasons': ['stop'],
          'gen_ai.input.messages': JSON.stringify([
            { role: 'user', parts: [{ type: 'text', content: PROMPT }] },
          ]),
          'gen_ai.output.messages': JSON.stringify([{ role: 'assistant', parts: [{ content: COMPLETION }] }]),
          'server.address': 'api.openai.com',
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
}

/** Either OTLP/HTTP exporter of the OpenTelemetry SDK. */
export type Exporter = ProtoExporter | JsonExporter;

/** One way an app exports: its name, the `Content-Type` it sends, and how to make its exporter. */
export interface ExporterCase {
  name: string;
  contentType: 'application/x-protobuf' | 'application/json';
  gzip: boolean;
  make(url: string, headers: Record<string, string>): Exporter;
}

/** The four exporters an app can configure with OTEL_EXPORTER_OTLP_*: protobuf or JSON, gzip or not. */
export const EXPORTER_CASES: readonly ExporterCase[] = [false, true].flatMap((gzip) => {
  const compression = gzip ? { compression: 'gzip' as never } : {};
  const suffix = gzip ? ' + gzip' : '';
  return [
    {
      name: `protobuf${suffix}`,
      contentType: 'application/x-protobuf' as const,
      gzip,
      make: (url: string, headers: Record<string, string>) =>
        new ProtoExporter({ url, headers, ...compression }),
    },
    {
      name: `JSON${suffix}`,
      contentType: 'application/json' as const,
      gzip,
      make: (url: string, headers: Record<string, string>) =>
        new JsonExporter({ url, headers, ...compression }),
    },
  ];
});
