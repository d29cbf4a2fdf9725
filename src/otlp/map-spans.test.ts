import { describe, expect, it } from 'vitest';
import { jsonBody, protoBody, type SpanSpec, T0, TRACE } from './__fixtures__/bodies.js';
import { DEFAULT_DECODE_LIMITS, decodeTraceExport, type MapSpansOptions, mapSpans } from './index.js';

const unattached: MapSpansOptions = { unattachedSpans: 'store_unattached' };
const asAttempt: MapSpansOptions = { unattachedSpans: 'trace_as_attempt' };

async function map(spans: SpanSpec[], options = unattached, format: 'proto' | 'json' = 'proto') {
  const body = format === 'proto' ? protoBody(spans) : jsonBody(spans);
  const type = format === 'proto' ? 'application/x-protobuf' : 'application/json';
  return mapSpans(await decodeTraceExport(body, type, undefined, DEFAULT_DECODE_LIMITS), options);
}

/** What the AI SDK sends on its provider-level span (both vocabularies, as v6 does). */
const doGenerate = {
  'ai.operationId': 'ai.generateText.doGenerate',
  'ai.model.id': 'gpt-4o-mini',
  'ai.model.provider': 'openai.chat',
  'ai.usage.inputTokens': 900,
  'ai.usage.outputTokens': 90,
  'ai.usage.cachedInputTokens': 512,
  'ai.usage.reasoningTokens': 40,
  'ai.response.finishReason': 'stop',
  'ai.response.model': 'gpt-4o-mini-2024-07-18',
  'gen_ai.system': 'openai.chat',
  'gen_ai.request.model': 'gpt-4o-mini',
  'gen_ai.response.model': 'gpt-4o-mini-2024-07-18',
  'gen_ai.usage.input_tokens': 900,
  'gen_ai.usage.output_tokens': 90,
  'gen_ai.response.finish_reasons': ['stop'],
  'ai.prompt.messages': '[{"role":"user","content":"three days in Kyoto"}]',
  'ai.response.text': 'Day one: Fushimi Inari',
};

describe('mapSpans', () => {
  it('counts the AI SDK provider-level span once, not its generateText wrapper', async () => {
    const mapped = await map([
      {
        spanId: 'aaaaaaaaaaaaaaa1',
        durationMs: 1500,
        attributes: {
          'ai.operationId': 'ai.generateText',
          'ai.model.id': 'gpt-4o-mini',
          'ai.model.provider': 'openai.chat',
          'ai.usage.inputTokens': 900,
          'ai.prompt': 'three days in Kyoto',
          'tripmeter.request_id': 'req-1',
        },
      },
      {
        spanId: 'aaaaaaaaaaaaaaa2',
        parentSpanId: 'aaaaaaaaaaaaaaa1',
        startMs: T0 + 7,
        durationMs: 1450,
        attributes: doGenerate,
      },
    ]);
    expect(mapped.calls).toEqual([
      {
        spanKey: `${TRACE}:aaaaaaaaaaaaaaa2`,
        traceId: TRACE,
        spanId: 'aaaaaaaaaaaaaaa2',
        parentSpanId: 'aaaaaaaaaaaaaaa1',
        requestId: 'req-1',
        unattached: false,
        provider: 'openai',
        model: 'gpt-4o-mini',
        responseModel: 'gpt-4o-mini-2024-07-18',
        status: 'success',
        errorCode: null,
        httpStatus: null,
        durationMs: 1450,
        ttftMs: null,
        inputTokens: 900,
        outputTokens: 90,
        cachedInputTokens: 512,
        reasoningTokens: 40,
        finishReason: 'stop',
        occurredAt: new Date(T0 + 7),
      },
    ]);
    expect(mapped.ignoredSpans).toBe(1);
    expect(mapped.droppedAttributeCounts.get('ai.prompt')).toBe(1);
    expect(mapped.droppedAttributeCounts.get('ai.prompt.messages')).toBe(1);
    expect(mapped.droppedAttributeCounts.get('ai.response.text')).toBe(1);
    expect(JSON.stringify(mapped.calls)).not.toMatch(/Kyoto|Fushimi/);
  });

  it('prefers current gen_ai names, then previous ones, then ai.*, field by field', async () => {
    const mapped = await map([
      {
        spanId: 'bbbbbbbbbbbbbbb1',
        attributes: {
          'ai.operationId': 'ai.streamText.doStream',
          'gen_ai.provider.name': 'gcp.gemini',
          'gen_ai.system': 'openai',
          'ai.model.provider': 'anthropic.messages',
          'gen_ai.request.model': 'gemini-2.5-pro',
          'ai.model.id': 'other-model',
          'gen_ai.usage.input_tokens': 100,
          'gen_ai.usage.prompt_tokens': 200,
          'ai.usage.inputTokens': 300,
          'gen_ai.usage.completion_tokens': 20,
          'ai.usage.outputTokens': 30,
          'gen_ai.usage.cache_read.input_tokens': 5,
          'ai.usage.cachedInputTokens': 6,
          'ai.usage.outputTokenDetails.reasoningTokens': 7,
          'ai.usage.reasoningTokens': 8,
          'gen_ai.response.time_to_first_chunk': 0.25,
          'ai.response.msToFirstChunk': 999,
          'gen_ai.response.finish_reasons': ['length', 'stop'],
          'ai.response.finishReason': 'stop',
        },
      },
      {
        spanId: 'bbbbbbbbbbbbbbb2',
        attributes: {
          'ai.operationId': 'ai.streamText.doStream',
          'ai.model.provider': 'google.generative-ai',
          'ai.model.id': 'gemini-2.5-flash',
          'ai.usage.promptTokens': 40,
          'ai.usage.completionTokens': 4,
          'ai.response.msToFirstChunk': 180.6,
        },
      },
    ]);
    expect(mapped.calls[0]).toMatchObject({
      provider: 'gemini',
      model: 'gemini-2.5-pro',
      inputTokens: 100,
      outputTokens: 20,
      cachedInputTokens: 5,
      reasoningTokens: 7,
      ttftMs: 250,
      finishReason: 'length',
    });
    expect(mapped.calls[1]).toMatchObject({
      provider: 'gemini',
      model: 'gemini-2.5-flash',
      responseModel: null,
      inputTokens: 40,
      outputTokens: 4,
      ttftMs: 181,
    });
  });

  it('takes spans with GenAI attributes as calls, except tool runs, agents and embeddings', async () => {
    const mapped = await map([
      {
        spanId: 'c000000000000001',
        attributes: { 'gen_ai.system': 'anthropic', 'gen_ai.request.model': 'claude-3-5-haiku' },
      },
      {
        spanId: 'c000000000000002',
        attributes: { 'gen_ai.operation.name': 'execute_tool', 'gen_ai.provider.name': 'openai' },
      },
      {
        spanId: 'c000000000000003',
        attributes: { 'gen_ai.operation.name': 'embeddings', 'gen_ai.request.model': 'te-3' },
      },
      {
        spanId: 'c000000000000004',
        attributes: { 'gen_ai.operation.name': 'generate_content', 'gen_ai.request.model': 'g' },
      },
      { spanId: 'c000000000000005', attributes: { 'http.request.method': 'POST', 'url.full': 'https://x' } },
      {
        spanId: 'c000000000000006',
        attributes: { 'ai.operationId': 'ai.toolCall', 'gen_ai.request.model': 'x' },
      },
    ]);
    expect(mapped.calls.map((c) => [c.spanId, c.provider, c.model])).toEqual([
      ['c000000000000001', 'anthropic', 'claude-3-5-haiku'],
      ['c000000000000004', 'unknown', 'g'],
    ]);
    expect(mapped.ignoredSpans).toBe(4);
  });

  it('maps a span sent twice in one export once', async () => {
    const span = {
      spanId: 'cafecafecafecafe',
      attributes: { 'gen_ai.system': 'openai', 'gen_ai.request.model': 'o4' },
    };
    const mapped = await map([span, span]);
    expect(mapped.calls.map((c) => c.spanKey)).toEqual([`${TRACE}:cafecafecafecafe`]);
    expect(mapped.ignoredSpans).toBe(1);
  });

  it('finds the request id on the nearest ancestor in the export; a bad one rejects the call', async () => {
    const chat = { 'gen_ai.provider.name': 'openai', 'gen_ai.request.model': 'gpt-4o' };
    const mapped = await map([
      { spanId: 'd000000000000001', attributes: { 'tripmeter.request_id': 'outer' } },
      {
        spanId: 'd000000000000002',
        parentSpanId: 'd000000000000001',
        attributes: { 'tripmeter.request_id': 'inner' },
      },
      { spanId: 'd000000000000003', parentSpanId: 'd000000000000002' },
      { spanId: 'd000000000000004', parentSpanId: 'd000000000000003', attributes: chat },
      { spanId: 'd000000000000005', parentSpanId: 'd000000000000001', attributes: chat },
      { spanId: 'd000000000000006', parentSpanId: 'ffffffffffffffff', attributes: chat },
      { spanId: 'd000000000000007', attributes: { ...chat, 'tripmeter.request_id': 'has space' } },
    ]);
    expect(mapped.calls.map((c) => [c.spanId, c.requestId])).toEqual([
      ['d000000000000004', 'inner'],
      ['d000000000000005', 'outer'],
      ['d000000000000006', TRACE],
    ]);
    expect(mapped.rejected).toEqual({ spans: 1, reasons: { invalid_request_id: 1 } });
  });

  it('trace_as_attempt: the trace id is the request id; the root span opens and closes the attempt', async () => {
    const mapped = await map(
      [
        { spanId: 'e000000000000001', durationMs: 3000, statusCode: 1 },
        {
          spanId: 'e000000000000002',
          parentSpanId: 'e000000000000001',
          startMs: T0 + 100,
          durationMs: 2500,
          statusCode: 2,
          attributes: {
            'gen_ai.provider.name': 'openai',
            'gen_ai.request.model': 'o3',
            'error.type': 'RateLimitError',
            'http.response.status_code': 429,
          },
        },
        // Another trace whose calls came in an earlier export: its root still closes an attempt.
        { traceId: 'abcdefabcdefabcdefabcdefabcdef01', spanId: 'e000000000000003', statusCode: 2 },
      ],
      asAttempt,
      'json',
    );
    expect(mapped.calls).toMatchObject([
      {
        requestId: TRACE,
        status: 'failed',
        errorCode: 'RATE_LIMIT_ERROR',
        httpStatus: 429,
        durationMs: 2500,
      },
    ]);
    expect(mapped.attempts).toEqual([
      {
        requestId: TRACE,
        rootSpanKey: `${TRACE}:e000000000000001`,
        startedAt: new Date(T0),
        endedAt: new Date(T0 + 3000),
        durationMs: 3000,
        status: 'success',
        errorCode: null,
        callCount: 1,
      },
      {
        requestId: 'abcdefabcdefabcdefabcdefabcdef01',
        rootSpanKey: 'abcdefabcdefabcdefabcdefabcdef01:e000000000000003',
        startedAt: new Date(T0),
        endedAt: new Date(T0 + 100),
        durationMs: 100,
        status: 'failed',
        errorCode: 'OTEL_SPAN_ERROR',
        callCount: 0,
      },
    ]);
    // store_unattached: the trace id is the request id, and no attempt is made.
    const call = { spanId: 'e000000000000009', attributes: { 'gen_ai.system': 'openai' } };
    const stored = await map([call]);
    expect(stored.calls.map((c) => [c.requestId, c.unattached])).toEqual([[TRACE, true]]);
    expect(stored.attempts).toEqual([]);
    // drop: the call is left out and counted.
    const dropped = await map([call], { unattachedSpans: 'drop' });
    expect([dropped.calls, dropped.attempts, dropped.unattachedDropped]).toEqual([[], [], 1]);
  });

  it('reads int64 as strings or numbers and enums as integers from JSON', async () => {
    const body = {
      resourceSpans: [
        {
          scopeSpans: [
            {
              spans: [
                {
                  traceId: TRACE.toUpperCase(),
                  spanId: 'F000000000000001',
                  startTimeUnixNano: (T0 * 1e6).toString(),
                  endTimeUnixNano: (T0 + 42) * 1e6,
                  status: { code: 2 },
                  attributes: [
                    { key: 'gen_ai.system', value: { stringValue: 'openai' } },
                    { key: 'gen_ai.usage.input_tokens', value: { intValue: '1234' } },
                    { key: 'gen_ai.usage.output_tokens', value: { intValue: 56 } },
                    { key: 'gen_ai.usage.reasoning.output_tokens', value: { stringValue: '7' } },
                  ],
                },
              ],
            },
          ],
        },
      ],
    };
    const decoded = await decodeTraceExport(
      new TextEncoder().encode(JSON.stringify(body)),
      'application/json',
      undefined,
      DEFAULT_DECODE_LIMITS,
    );
    const mapped = mapSpans(decoded, unattached);
    expect(mapped.calls).toMatchObject([
      {
        traceId: TRACE,
        spanId: 'f000000000000001',
        inputTokens: 1234,
        outputTokens: 56,
        reasoningTokens: null, // a count sent as a string is not a count
        durationMs: 42,
        status: 'failed',
        errorCode: 'OTEL_SPAN_ERROR',
        occurredAt: new Date(T0),
      },
    ]);
    expect(mapped.droppedAttributeCounts.get('gen_ai.usage.reasoning.output_tokens')).toBe(1);
  });

  it('refuses JSON that is not shaped like an export, naming the path', async () => {
    const bad = { resourceSpans: [{ scopeSpans: [{ spans: [{ spanId: 5 }] }] }] };
    await expect(
      decodeTraceExport(
        new TextEncoder().encode(JSON.stringify(bad)),
        'application/json',
        null,
        DEFAULT_DECODE_LIMITS,
      ),
    ).rejects.toMatchObject({
      code: 'MALFORMED_JSON',
      message: 'resourceSpans[0].scopeSpans[0].spans[0].spanId must be a string',
    });
    await expect(
      decodeTraceExport(
        new TextEncoder().encode('{"resourceSpans":{'),
        'application/json',
        null,
        DEFAULT_DECODE_LIMITS,
      ),
    ).rejects.toMatchObject({ code: 'MALFORMED_JSON', status: 400 });
  });
});
