import fc from 'fast-check';
import { sql } from 'kysely';
import { expect, it } from 'vitest';
import { newId, type ProviderCallRecord, type TelemetryRecord } from '../../src/domain/index.js';
import { linkIdentity } from '../../src/identity/index.js';
import { deleteSubject, runRetention } from '../../src/lifecycle/index.js';
import { loadPrices } from '../../src/prices/index.js';
import type { Database } from '../../src/storage/index.js';
import { PostgresSink } from '../../src/store/index.js';
import { anatomyRecords } from '../support/anatomy-records.js';
import { describeOnDatabases } from '../support/databases.js';

/**
 * The hand-made attempt of issue #17: a Gemini call that times out, its retry whose answer does
 * not parse, and a fallback to OpenAI that succeeds; four phases. Priced with the shipped list:
 *   0: 1 200 in × $2                         = 0.0024
 *   1: 1 200 in × $2 + 900 out × $12         = 0.0132
 *   2: 800 in × $1.25 + 200 cached × $0.125 + 800 out × $10 (reasoning billed as output) = 0.009025
 */
const T0 = Date.parse('2026-03-10T12:00:00Z');
const ANON = '5b0f3c2e-8f1a-4c1e-9d2b-00000000000a';
const USER = '0b4f6d9e-2c3a-4e5f-8a7b-1c2d3e4f5a6b';

function attemptRecords(requestId: string, anonSessionId = ANON): TelemetryRecord[] {
  const at = (ms: number) => new Date(T0 + ms);
  const { call, phase } = anatomyRecords(requestId, at);
  return [
    {
      id: newId(),
      type: 'create_trip_attempted',
      requestId,
      occurredAt: at(0),
      anonSessionId,
      provider: 'gemini',
      model: 'gemini-3-pro-preview',
      promptContractVersion: 'classic_v2',
      source: 'app',
    },
    {
      id: newId(),
      type: 'create_trip_succeeded',
      requestId,
      occurredAt: at(50_000),
      tripId: 'trip-1',
      source: 'app',
    },
    call({
      callIndex: 0,
      occurredAt: at(1_000),
      provider: 'gemini',
      model: 'gemini-3-pro-preview',
      status: 'failed',
      errorCode: 'GEMINI_TIMEOUT',
      failureKind: 'timeout',
      durationMs: 30_000,
      inputTokens: 1_200,
    }),
    call({
      callIndex: 1,
      occurredAt: at(31_000),
      provider: 'gemini',
      model: 'gemini-3-pro-preview',
      status: 'failed',
      errorCode: 'PARSE_FAILED',
      failureKind: 'quality',
      durationMs: 9_000,
      ttftMs: 800,
      inputTokens: 1_200,
      outputTokens: 900,
      finishReason: 'stop',
      retryReason: 'timeout',
    }),
    call({
      callIndex: 2,
      occurredAt: at(40_000),
      provider: 'openai',
      model: 'gpt-5.4',
      responseModel: 'gpt-5.4-2026-03-05',
      status: 'success',
      durationMs: 8_000,
      ttftMs: 600,
      inputTokens: 1_000,
      cachedInputTokens: 200,
      outputTokens: 800,
      reasoningTokens: 100,
      finishReason: 'stop',
      retryReason: 'fallback',
    }),
    phase('queue_wait', 0, 1_000),
    phase('provider_call', 1_000, 47_000),
    phase('parse', 48_000, 500),
    phase('persist', 48_500, 1_500),
  ];
}

const calls = (database: Database, schema = database.schema) =>
  database.db.executeQuery(
    sql<Record<string, unknown>>`
      SELECT request_id, call_index, provider, model, response_model, status, error_code, failure_kind, duration_ms, ttft_ms,
        input_tokens, output_tokens, cached_input_tokens, reasoning_tokens, finish_reason, retry_reason,
        cost_usd::text AS cost_usd, price_version, user_id::text AS user_id, anon_session_id, prompt_contract_version
      FROM ${sql.table(`${schema}.trip_creation_provider_calls`)} ORDER BY request_id, call_index`.compile(
      database.db,
    ),
  );

const phases = (database: Database, requestId: string) =>
  database.db.executeQuery(
    sql<Record<string, unknown>>`
      SELECT phase, duration_ms, created_at, anon_session_id FROM ${sql.table(`${database.schema}.trip_creation_attempt_phases`)}
      WHERE request_id = ${requestId} ORDER BY created_at`.compile(database.db),
  );

const totals = (database: Database, requestId: string) =>
  database.db.executeQuery(
    sql<Record<string, unknown>>`
      SELECT status, call_count, input_tokens::text AS input_tokens, output_tokens::text AS output_tokens,
        cached_input_tokens::text AS cached, reasoning_tokens::text AS reasoning, cost_usd::text AS cost_usd, unpriced_calls
      FROM ${sql.table(`${database.schema}.trip_creation_attempts`)} WHERE request_id = ${requestId}`.compile(
      database.db,
    ),
  );

const EXPECTED_TOTALS = {
  status: 'success',
  call_count: 3,
  input_tokens: '3400',
  output_tokens: '1700',
  cached: '200',
  reasoning: '100',
  cost_usd: '0.024625000000',
  unpriced_calls: 0,
};

describeOnDatabases('generation anatomy: writing calls and phases', ({ open }) => {
  const openPriced = async () => {
    const database = await open({ now: new Date(T0) });
    await loadPrices(database);
    return database;
  };

  it('gives the exact rows, costs and totals in any arrival order, however often redelivered', async () => {
    const database = await openPriced();
    const sink = new PostgresSink(database);
    let run = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.nat(8), { minLength: 9, maxLength: 14 }),
        fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 1, maxLength: 14 }),
        async (order, sizes) => {
          const requestId = `anatomy-${run++}`;
          const records = attemptRecords(requestId);
          // Every record at least once, in the drawn order, then redeliveries, in drawn batch sizes.
          const seq = [...new Set([...order, 0, 1, 2, 3, 4, 5, 6, 7, 8])].map((i) => records[i]!);
          for (const i of order) seq.push({ ...records[i]!, id: newId() } as TelemetryRecord);
          for (let k = 0, b = 0; k < seq.length; b++) {
            const size = sizes[b % sizes.length]!;
            await sink.write(seq.slice(k, k + size));
            k += size;
          }
          const mine = (await calls(database)).rows.filter((c) => c.request_id === requestId);
          expect(mine.map((c) => [c.call_index, c.status, c.error_code, c.retry_reason, c.cost_usd])).toEqual(
            [
              [0, 'failed', 'GEMINI_TIMEOUT', null, '0.002400000000'],
              [1, 'failed', 'PARSE_FAILED', 'timeout', '0.013200000000'],
              [2, 'success', null, 'fallback', '0.009025000000'],
            ],
          );
          for (const c of mine) {
            expect(c.anon_session_id).toBe(ANON);
            expect(c.prompt_contract_version).toBe('classic_v2');
          }
          expect(mine[2]!.price_version).toBe('openai/gpt-5.4@2025-08-07');
          expect((await totals(database, requestId)).rows).toEqual([EXPECTED_TOTALS]);
          const ph = (await phases(database, requestId)).rows;
          expect(ph.map((p) => [p.phase, p.duration_ms, p.anon_session_id])).toEqual([
            ['queue_wait', 1_000, ANON],
            ['provider_call', 47_000, ANON],
            ['parse', 500, ANON],
            ['persist', 1_500, ANON],
          ]);
        },
      ),
      { numRuns: 12 },
    );
  });

  it('stores an unpriced model with cost NULL and counts it, never as 0', async () => {
    const database = await openPriced();
    const records = attemptRecords('unpriced-1');
    const unknown = {
      ...(records[4] as ProviderCallRecord),
      provider: 'acme',
      model: 'acme-1',
      responseModel: undefined,
    };
    await new PostgresSink(database).write([...records.slice(0, 4), unknown]);
    const rows = (await calls(database)).rows;
    expect(rows.map((c) => c.cost_usd)).toEqual(['0.002400000000', '0.013200000000', null]);
    expect(rows[2]!.price_version).toBeNull();
    expect((await totals(database, 'unpriced-1')).rows[0]).toMatchObject({
      call_count: 3,
      cost_usd: '0.015600000000',
      unpriced_calls: 1,
    });
  });

  it('routes benchmark calls and phases to the admin schema', async () => {
    const database = await openPriced();
    const records = attemptRecords('bench-1').map((r) => ({ ...r, source: 'benchmark' }));
    await new PostgresSink(database).write(records);
    expect((await calls(database)).rows).toEqual([]);
    expect((await calls(database, database.adminSchema)).rows.map((c) => c.cost_usd)).toEqual([
      '0.002400000000',
      '0.013200000000',
      '0.009025000000',
    ]);
  });

  it('linkage backfills calls and phases; deleting the user removes them', async () => {
    const database = await openPriced();
    const anon = '5b0f3c2e-8f1a-4c1e-9d2b-0000000000bb';
    await new PostgresSink(database).write(attemptRecords('link-1', anon));
    await linkIdentity(database, { anonSessionId: anon, userId: USER }, { now: new Date(T0 + 60_000) });
    expect((await calls(database)).rows.map((c) => c.user_id)).toEqual([USER, USER, USER]);
    const linkedPhases = await database.db.executeQuery(
      sql<{
        n: number;
      }>`SELECT count(*)::integer AS n FROM ${sql.table(`${database.schema}.trip_creation_attempt_phases`)}
        WHERE user_id = ${USER}`.compile(database.db),
    );
    expect(linkedPhases.rows[0]!.n).toBe(4);
    // A call arriving after the link takes the user from its attempt.
    const late = {
      ...(attemptRecords('link-1', anon)[4] as ProviderCallRecord),
      callIndex: 3,
      anonSessionId: undefined,
    };
    await new PostgresSink(database).write([late]);
    expect((await calls(database)).rows.map((c) => c.user_id)).toEqual([USER, USER, USER, USER]);
    const receipt = await deleteSubject(database, { userId: USER }, { now: new Date(T0 + 120_000) });
    expect(receipt.counts[`product.trip_creation_provider_calls`]).toBe(4);
    expect(receipt.counts[`product.trip_creation_attempt_phases`]).toBe(4);
    expect((await calls(database)).rows).toEqual([]);
  });

  it('retention deletes calls and phases past the row window', async () => {
    const database = await openPriced();
    await new PostgresSink(database).write(attemptRecords('old-1'));
    await runRetention(database, { now: new Date(T0 + 100 * 86_400_000), rowDays: 90, snapshotDays: 30 });
    expect((await calls(database)).rows).toEqual([]);
    expect((await phases(database, 'old-1')).rows).toEqual([]);
  });
});
