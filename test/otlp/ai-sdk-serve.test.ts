import { context } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { BatchSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import { generateText } from 'ai';
import { sql } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Service } from '../../src/server/service.js';
import { describeOnDatabases } from '../support/databases.js';
import { dumpAllText } from '../support/dump-text.js';
import { ANSWER, generatingModel, PROMPT } from './ai-sdk-model.js';
import { startServeWithKey, storedCalls } from './serve.js';

/**
 * The Vercel AI SDK (`generateText`, telemetry on, its mock model) inside an app span carrying
 * `tripmeter.request_id`, exported by the OTLP protobuf exporter to a running `serve`: one stored
 * call per provider call with its model, tokens, duration and cost from the price table, and no
 * prompt or answer text in any text or jsonb column.
 */

describeOnDatabases('Vercel AI SDK → OTLP → tripmeter serve', (ctx) => {
  let service: Service;
  let key: string;
  const contextManager = new AsyncLocalStorageContextManager();
  beforeAll(async () => {
    context.setGlobalContextManager(contextManager.enable());
    const database = await ctx.open();
    ({ service, key } = await startServeWithKey(database));
    // A price of our own, so the expected cost does not follow list-price updates.
    await sql`INSERT INTO ${sql.table(`${database.schema}.model_prices`)}
      (provider, model, valid_from, input_per_mtok, output_per_mtok, version)
      VALUES ('openai', 'gpt-test-mini', '2020-01-01', 0.15, 0.6, 'test-1')`.execute(database.db);
  });
  afterAll(async () => {
    context.disable();
    await service?.close();
  });

  it('stores the provider call with model, tokens, duration and cost, and no text', async () => {
    const exporter = new OTLPTraceExporter({
      url: `${service.url}/v1/traces`,
      headers: { Authorization: `Bearer ${key}` },
    });
    const provider = new TracerProvider({ spanProcessors: [new BatchSpanProcessor({ exporter })] });
    const model = generatingModel({
      provider: 'openai.chat',
      modelId: 'gpt-test-mini',
      inputTokens: 812,
      outputTokens: 143,
    });
    await provider
      .getTracer('trip-app')
      .startActiveSpan(
        'create trip',
        { attributes: { 'tripmeter.request_id': 'req-ai-sdk' } },
        async (span) => {
          const result = await generateText({
            model,
            prompt: PROMPT,
            experimental_telemetry: { isEnabled: true, tracer: provider.getTracer('ai') },
          });
          expect(result.text).toBe(ANSWER);
          span.end();
        },
      );
    await provider.shutdown();

    const rows = await storedCalls(service);
    expect(rows).toHaveLength(1); // the SDK's outer ai.generateText span is not a second call
    const [call] = rows;
    expect(call).toMatchObject({
      request_id: 'req-ai-sdk',
      provider: 'openai',
      model: 'gpt-test-mini',
      status: 'success',
      input_tokens: 812,
      output_tokens: 143,
      finish_reason: 'stop',
      price_version: 'test-1',
    });
    expect(call!.duration_ms).toBeGreaterThanOrEqual(39);
    expect(call!.duration_ms).toBeLessThan(5_000);
    expect(Number(call!.cost_usd)).toBeCloseTo((812 * 0.15 + 143 * 0.6) / 1e6, 12);

    const text = await dumpAllText(service.database);
    for (const secret of ['Porto', 'Maria', '912 345', 'vegan', 'Ribeira', 'cellar'])
      expect(text).not.toContain(secret);
  });
});
