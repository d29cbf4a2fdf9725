import { context } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { BatchSpanProcessor, NoopSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import { generateText, simulateReadableStream, streamText } from 'ai';
import { MockLanguageModelV3 } from 'ai/test';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_DECODE_LIMITS, decodeTraceExport, mapSpans } from '../../src/otlp/index.js';
import { ANSWER, generatingModel, PROMPT, usage } from './ai-sdk-model.js';
import { startCaptureServer } from './capture-server.js';

/**
 * The Vercel AI SDK with telemetry on, calling its mock model inside an app span that carries
 * `tripmeter.request_id`, exported by the real OTLP protobuf exporter: each provider call maps to
 * one call (not two: the SDK's outer span is not a call) with the model, tokens and duration, and
 * neither the prompt nor the generated text appears in what the mapping returns.
 */

let server: Awaited<ReturnType<typeof startCaptureServer>>;
const contextManager = new AsyncLocalStorageContextManager();
beforeAll(async () => {
  server = await startCaptureServer();
  context.setGlobalContextManager(contextManager.enable());
});
afterAll(async () => {
  context.disable();
  await server.close();
});

describe('Vercel AI SDK telemetry → decode → map', () => {
  it('maps generateText and streamText provider calls inside the attempt span, without text', async () => {
    // The SDK ends its outer stream span a few ticks after the text resolves: wait for that end.
    let streamEnded!: () => void;
    const outerStreamSpanEnded = new Promise<void>((resolve) => {
      streamEnded = resolve;
    });
    const watcher = new NoopSpanProcessor();
    watcher.onEnd = (span) => {
      if (span.name === 'ai.streamText') streamEnded();
    };
    const provider = new TracerProvider({
      spanProcessors: [
        new BatchSpanProcessor({ exporter: new OTLPTraceExporter({ url: server.url }) }),
        watcher,
      ],
    });
    const tracer = provider.getTracer('trip-app');
    const telemetry = { isEnabled: true, tracer: provider.getTracer('ai') };
    const generating = generatingModel({
      provider: 'openai.chat',
      modelId: 'gpt-4o-mini',
      inputTokens: 812,
      outputTokens: 143,
      cacheReadTokens: 512,
      responseModelId: 'gpt-4o-mini-2024-07-18',
    });
    const streaming = new MockLanguageModelV3({
      provider: 'google.generative-ai',
      modelId: 'gemini-2.5-flash',
      doStream: async () => ({
        stream: simulateReadableStream({
          initialDelayInMs: 30,
          chunkDelayInMs: 5,
          chunks: [
            { type: 'text-start', id: 't' },
            { type: 'text-delta', id: 't', delta: ANSWER },
            { type: 'text-end', id: 't' },
            {
              type: 'finish',
              finishReason: { unified: 'length', raw: 'MAX_TOKENS' },
              usage: usage(300, 900, 0, 700),
            },
          ],
        }),
      }),
    });

    const before = server.captured.length;
    await tracer.startActiveSpan(
      'create trip',
      { attributes: { 'tripmeter.request_id': 'req-ai-1' } },
      async (span) => {
        const first = await generateText({
          model: generating,
          prompt: PROMPT,
          experimental_telemetry: telemetry,
        });
        expect(first.text).toBe(ANSWER);
        // The id can also ride on the SDK's telemetry metadata, which it puts on both of its spans.
        const second = streamText({
          model: streaming,
          prompt: PROMPT,
          experimental_telemetry: { ...telemetry, metadata: { 'tripmeter.request_id': 'req-ai-2' } },
        });
        expect(await second.text).toBe(ANSWER);
        await outerStreamSpanEnded;
        span.end();
      },
    );
    await provider.shutdown();

    const sent = server.captured.slice(before);
    expect(sent.length).toBeGreaterThan(0);
    const decoded = await Promise.all(
      sent.map((b) => decodeTraceExport(b.body, b.headers['content-type'], undefined, DEFAULT_DECODE_LIMITS)),
    );
    const exported = { spans: decoded.flatMap((d) => d.spans), dropped: decoded[0]!.dropped };
    for (const d of decoded.slice(1)) exported.dropped.addAll(d.dropped.counts());
    const mapped = mapSpans(exported, { unattachedSpans: 'store_unattached' });

    // Five spans: the app's, two SDK wrappers, two provider calls.
    expect(exported.spans).toHaveLength(5);
    expect(mapped.ignoredSpans).toBe(3);
    expect(mapped.calls).toHaveLength(2);
    const [generated, streamed] = [...mapped.calls].sort(
      (a, b) => a.occurredAt.getTime() - b.occurredAt.getTime(),
    );
    expect(generated).toMatchObject({
      requestId: 'req-ai-1',
      provider: 'openai',
      model: 'gpt-4o-mini',
      responseModel: 'gpt-4o-mini-2024-07-18',
      status: 'success',
      inputTokens: 812,
      outputTokens: 143,
      cachedInputTokens: 512,
      finishReason: 'stop',
      ttftMs: null,
    });
    expect(generated!.durationMs).toBeGreaterThanOrEqual(39);
    expect(generated!.durationMs).toBeLessThan(2_000);
    expect(streamed).toMatchObject({
      requestId: 'req-ai-2',
      provider: 'gemini',
      model: 'gemini-2.5-flash',
      status: 'success',
      inputTokens: 300,
      outputTokens: 900,
      reasoningTokens: 700,
      finishReason: 'length',
    });
    expect(streamed!.ttftMs).toBeGreaterThanOrEqual(29);
    expect(streamed!.durationMs).toBeGreaterThanOrEqual(streamed!.ttftMs!);

    // The SDK sent the prompt and the answer (recordInputs/recordOutputs default on): dropped, counted.
    const dropped = mapped.droppedAttributeCounts;
    expect(dropped.get('ai.prompt.messages')).toBe(2);
    expect(dropped.get('ai.response.text')).toBeGreaterThanOrEqual(2);
    expect(dropped.get('ai.prompt')).toBe(2);
    const everything = JSON.stringify({ ...mapped, droppedAttributeCounts: [...dropped] });
    for (const text of ['Porto', 'Maria', '912', 'Ribeira']) expect(everything).not.toContain(text);
    const kept = JSON.stringify(exported.spans);
    for (const text of ['Porto', 'Ribeira']) expect(kept).not.toContain(text);
  });
});
