import { expect, it } from 'vitest';
import { createApiKey } from '../../src/auth/index.js';
import { loadConfig } from '../../src/config/index.js';
import { GroupCommitWriter } from '../../src/ingest/index.js';
import { silentLogger } from '../../src/logging/index.js';
import { loadPrices } from '../../src/prices/index.js';
import { createApp } from '../../src/server/app.js';
import { PostgresSink } from '../../src/store/postgres-sink.js';
import { describeOnDatabases } from '../support/databases.js';

const anon = '5b0f3c2e-8f1a-4c1e-9d2b-3a4b5c6d7e8f';

describeOnDatabases('POST /v1/events: provider_call and attempt_phase', (ctx) => {
  async function setup() {
    const database = await ctx.open();
    await loadPrices(database);
    const now = new Date();
    const app = createApp({
      config: loadConfig({ env: {} }),
      database,
      logger: silentLogger,
      now: () => now,
      ingestWriter: new GroupCommitWriter({ sink: new PostgresSink(database) }),
    });
    const { key } = await createApiKey(database, { scope: 'ingest' });
    const post = (body: unknown) =>
      app.request('/v1/events', {
        method: 'POST',
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    const at = (ms: number) => new Date(now.getTime() + ms).toISOString();
    const count = async (table: 'trip_creation_provider_calls' | 'trip_creation_attempt_phases') =>
      (await database.db.withSchema(database.schema).selectFrom(table).selectAll().execute()).length;
    return { database, post, at, count };
  }

  it('stores calls and phases in the same body as events, idempotently, with cost and totals', async () => {
    const t = await setup();
    const body = {
      events: [
        {
          type: 'attempt_phase',
          request_id: 'h-1',
          phase: 'parse',
          started_at: t.at(-5_000),
          duration_ms: 120,
        },
        {
          type: 'provider_call',
          request_id: 'h-1',
          call_index: 0,
          provider: 'openai',
          model: 'gpt-5.4',
          status: 'failed',
          error_code: 'RateLimitError',
          http_status: 429,
          duration_ms: 300,
          occurred_at: t.at(-9_000),
        },
        {
          type: 'provider_call',
          request_id: 'h-1',
          call_index: 1,
          provider: 'openai',
          model: 'gpt-5.4',
          status: 'success',
          duration_ms: 4_000,
          ttft_ms: 500,
          input_tokens: 1_000,
          output_tokens: 500,
          finish_reason: 'stop',
          retry_reason: 'rate_limited',
          occurred_at: t.at(-8_000),
        },
        {
          type: 'create_trip_attempted',
          request_id: 'h-1',
          anon_session_id: anon,
          occurred_at: t.at(-10_000),
        },
        { type: 'create_trip_succeeded', request_id: 'h-1', trip_id: 'trip-h', occurred_at: t.at(-1_000) },
      ],
    };
    const first = await t.post(body);
    expect(first.status).toBe(202);
    expect(await first.json()).toEqual({ accepted: 5, duplicates: 0 });
    const again = await t.post(body);
    expect(await again.json()).toEqual({ accepted: 0, duplicates: 5 });
    const calls = await t.database.db
      .withSchema(t.database.schema)
      .selectFrom('trip_creation_provider_calls')
      .select(['call_index', 'error_code', 'failure_kind', 'cost_usd', 'anon_session_id'])
      .orderBy('call_index')
      .execute();
    // numeric columns come back through the driver's type parser (a number here).
    expect(calls.map((c) => ({ ...c, cost_usd: Number(c.cost_usd) }))).toEqual([
      {
        call_index: 0,
        error_code: 'RATE_LIMIT_ERROR',
        failure_kind: 'rate_limited',
        cost_usd: 0,
        anon_session_id: anon,
      },
      {
        call_index: 1,
        error_code: null,
        failure_kind: null,
        cost_usd: 0.00625,
        anon_session_id: anon,
      },
    ]);
    const attempt = await t.database.db
      .withSchema(t.database.schema)
      .selectFrom('trip_creation_attempts')
      .select(['call_count', 'cost_usd', 'unpriced_calls'])
      .executeTakeFirstOrThrow();
    expect({ ...attempt, cost_usd: Number(attempt.cost_usd) }).toEqual({
      call_count: 2,
      cost_usd: 0.00625,
      unpriced_calls: 0,
    });
    expect(await t.count('trip_creation_attempt_phases')).toBe(1);
  });

  it('refuses prompt or response text by name, and unknown fields, storing nothing', async () => {
    const t = await setup();
    for (const key of ['prompt', 'messages', 'completion', 'response']) {
      const res = await t.post({
        events: [
          {
            type: 'attempt_phase',
            request_id: 'h-2',
            phase: 'parse',
            started_at: t.at(-1_000),
            duration_ms: 1,
          },
          {
            type: 'provider_call',
            request_id: 'h-2',
            call_index: 0,
            provider: 'openai',
            model: 'm',
            status: 'success',
            [key]: 'Plan a trip to Lisbon for Ana',
          },
        ],
      });
      expect(res.status).toBe(422);
      expect(res.headers.get('content-type')).toContain('application/problem+json');
      const problem = (await res.json()) as { code: string; errors: { field: string }[] };
      expect(problem.code).toBe('FORBIDDEN_CONTENT_KEY');
      expect(problem.errors.map((e) => e.field)).toEqual([`events[1].${key}`]);
    }
    const unknown = await t.post({
      type: 'attempt_phase',
      request_id: 'h-2',
      phase: 'parse',
      started_at: t.at(-1_000),
      duration_ms: 1,
      text: 'x',
    });
    expect(unknown.status).toBe(422);
    const problem = (await unknown.json()) as { code: string; errors: { field: string }[] };
    expect(problem.code).toBe('INVALID_EVENTS');
    expect(problem.errors.map((e) => e.field)).toEqual(['text']);
    const bad = await t.post({
      type: 'provider_call',
      request_id: 'h-2',
      call_index: -1,
      provider: 'p',
      model: 'm',
      status: 'ok',
    });
    expect(((await bad.json()) as { errors: { field: string }[] }).errors.map((e) => e.field).sort()).toEqual(
      ['call_index', 'status'],
    );
    expect(await t.count('trip_creation_provider_calls')).toBe(0);
    expect(await t.count('trip_creation_attempt_phases')).toBe(0);
  });
});
