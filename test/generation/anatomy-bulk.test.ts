import { sql } from 'kysely';
import { expect, it } from 'vitest';
import { newId, type ProviderCallRecord, type TelemetryRecord } from '../../src/domain/index.js';
import { linkIdentity } from '../../src/identity/index.js';
import { loadPrices } from '../../src/prices/index.js';
import type { Database } from '../../src/storage/index.js';
import { PostgresSink } from '../../src/store/index.js';
import { anatomyRecords } from '../support/anatomy-records.js';
import { describeOnDatabases } from '../support/databases.js';

/**
 * New requests whose calls and phases come in the same batch as their attempt are written by the
 * bulk path (rows final in JavaScript, priced by `PriceBook`, totals computed in JavaScript; COPY
 * on PostgreSQL from 256 rows). The same records written one at a time, calls and phases before
 * their attempt, go through the SQL path (`insertCalls`, `insertPhases`, `syncAnatomy`). Both
 * must store the same rows: identifiers from the attempt (a linked anonymous id's user
 * included), the price of the model that answered, unpriced calls NULL and counted.
 */
const T0 = Date.parse('2026-03-10T12:00:00Z');
const USER = '0b4f6d9e-2c3a-4e5f-8a7b-1c2d3e4f5a6b';
const OWN_USER = '1c5e7fa0-3d4b-4f60-9b8c-2d3e4f5a6b7c';
const N = 40; // 40 attempts × 10 records: one batch of 400, over COPY_MIN_ROWS

const anonOf = (i: number) => `5b0f3c2e-8f1a-4c1e-9d2b-${String(i).padStart(12, '0')}`;
/** Every fourth attempt's anonymous id is linked to USER before anything is written. */
const linked = (i: number) => i % 4 === 1;

function attemptRecords(i: number): TelemetryRecord[] {
  const requestId = `bulk-${i}`;
  const at = (ms: number) => new Date(T0 + i * 60_000 + ms);
  const { call, phase } = anatomyRecords(requestId, at);
  const phaseAnon = i % 4 === 3 ? { anonSessionId: anonOf(1000 + i) } : {};
  return [
    {
      id: newId(),
      type: 'create_trip_attempted',
      requestId,
      occurredAt: at(0),
      anonSessionId: anonOf(i),
      ...(i % 4 === 2 ? { userId: OWN_USER } : {}),
      provider: 'gemini',
      model: 'gemini-3-pro-preview',
      ...(i % 3 === 0 ? {} : { promptContractVersion: `v${i % 3}` }),
      ...(i % 2 === 0 ? { flow: 'classic' } : {}),
      source: 'app',
    },
    call({
      callIndex: 0,
      occurredAt: at(1_000),
      provider: 'gemini',
      model: 'gemini-3-pro-preview',
      // Answered by another priced model: priced at the answering model's price.
      ...(i % 2 === 1 ? { responseModel: 'gemini-2.5-flash' } : {}),
      status: 'failed',
      errorCode: 'GEMINI_TIMEOUT',
      durationMs: 30_000,
      inputTokens: 1_200 + i,
      promptContractVersion: 'ignored_v9',
      flow: 'call_flow',
    }),
    call({
      callIndex: 1,
      occurredAt: at(31_000),
      provider: i % 5 === 0 ? 'acme' : 'openai',
      model: i % 5 === 0 ? 'acme-1' : 'gpt-5.4',
      status: 'success',
      durationMs: 8_000,
      inputTokens: 1_000,
      cachedInputTokens: 200 + i,
      outputTokens: 800,
      ...(i % 3 === 1 ? { reasoningTokens: 100 } : {}),
      retryReason: 'fallback',
      ...(i % 4 === 3 ? { anonSessionId: anonOf(1000 + i) } : {}),
    }),
    ...(i % 7 === 0
      ? [
          call({
            callIndex: 2,
            occurredAt: at(40_000),
            provider: 'openai',
            model: 'gpt-5.4',
            status: 'success',
          }),
        ]
      : []),
    phase('queue_wait', 0, 1_000, phaseAnon),
    phase('provider_call', 1_000, 38_000, phaseAnon),
    phase('parse', 39_000, 500, phaseAnon),
    phase('persist', 39_500, 1_500, phaseAnon),
    {
      id: newId(),
      type: 'create_trip_succeeded',
      requestId,
      occurredAt: at(41_000),
      tripId: `trip-${i}`,
      source: 'app',
    },
  ];
}

const rows = async (database: Database, table: string, columns: string, order: string) =>
  (
    await sql
      .raw<Record<string, unknown>>(`SELECT ${columns} FROM ${database.schema}.${table} ORDER BY ${order}`)
      .execute(database.db)
  ).rows;

/** Everything the writer stores of the anatomy, but the row ids. */
const stored = async (database: Database) => ({
  calls: await rows(
    database,
    'trip_creation_provider_calls',
    `created_at, request_id, call_index, user_id::text, anon_session_id, provider, model, response_model, status,
     error_code, duration_ms, input_tokens, output_tokens, cached_input_tokens, reasoning_tokens, retry_reason,
     cost_usd::text, price_version, prompt_contract_version, flow, source`,
    'request_id, call_index',
  ),
  phases: await rows(
    database,
    'trip_creation_attempt_phases',
    'created_at, request_id, phase, duration_ms, user_id::text, anon_session_id, source',
    'request_id, phase',
  ),
  attempts: await rows(
    database,
    'trip_creation_attempts',
    `request_id, status, user_id::text, anon_session_id, prompt_contract_version, flow, call_count,
     input_tokens::text, output_tokens::text, cached_input_tokens::text, reasoning_tokens::text,
     cost_usd::text, unpriced_calls`,
    'request_id',
  ),
});

describeOnDatabases('generation anatomy: the bulk path of new requests', ({ open }) => {
  const openLinked = async () => {
    const database = await open({ now: new Date(T0) });
    await loadPrices(database);
    for (let i = 0; i < N; i++) {
      if (linked(i))
        await linkIdentity(database, { anonSessionId: anonOf(i), userId: USER }, { now: new Date(T0) });
    }
    return database;
  };

  it('stores in one batch exactly what the SQL path stores from the records one at a time', async () => {
    const records = Array.from({ length: N }, (_, i) => attemptRecords(i));
    const bulk = await openLinked();
    const result = await new PostgresSink(bulk).write(records.flat());
    expect(result).toMatchObject({ written: records.flat().length, duplicates: 0 });

    const oneByOne = await openLinked();
    const sink = new PostgresSink(oneByOne);
    // Calls and phases first, then the events: every call is stored before its attempt.
    for (const r of records.flat().reverse()) await sink.write([r]);

    const a = await stored(bulk);
    const b = await stored(oneByOne);
    expect(a.calls).toHaveLength(N * 2 + Math.ceil(N / 7));
    expect(a.phases).toHaveLength(N * 4);
    expect(a).toEqual(b);

    // What both agree on is what the issue asks for.
    const call = (i: number, k: number) =>
      a.calls.find((c) => c.request_id === `bulk-${i}` && c.call_index === k)!;
    const attempt = (i: number) => a.attempts.find((x) => x.request_id === `bulk-${i}`)!;
    expect(call(1, 0)).toMatchObject({ user_id: USER, price_version: 'gemini/gemini-2.5-flash@2025-06-17' });
    expect(call(2, 0)).toMatchObject({
      user_id: OWN_USER,
      price_version: 'gemini/gemini-3-pro-preview@2025-11-18',
    });
    expect(call(3, 1)).toMatchObject({
      anon_session_id: anonOf(1003),
      prompt_contract_version: 'classic_v1',
    });
    expect(call(4, 0)).toMatchObject({ flow: 'classic', prompt_contract_version: 'v1' });
    expect(call(5, 0)).toMatchObject({ flow: 'call_flow', prompt_contract_version: 'v2' });
    expect(call(5, 1)).toMatchObject({ cost_usd: null, price_version: null });
    expect(attempt(5)).toMatchObject({ call_count: 2, unpriced_calls: 1, reasoning_tokens: null });
    expect(attempt(0)).toMatchObject({ call_count: 3, unpriced_calls: 1 });
    expect(attempt(1)).toMatchObject({
      user_id: USER,
      call_count: 2,
      unpriced_calls: 0,
      reasoning_tokens: '100',
    });
    expect(a.phases.filter((p) => p.user_id === USER)).toHaveLength((N / 4) * 4);
  });

  it('keeps attempt totals NULL for a new request without calls, and counts only its phases', async () => {
    const database = await openLinked();
    const records = attemptRecords(6).filter((r) => (r as ProviderCallRecord).kind !== 'provider_call');
    expect(await new PostgresSink(database).write(records)).toMatchObject({ written: 6, duplicates: 0 });
    const { attempts, phases } = await stored(database);
    expect(attempts).toEqual([
      expect.objectContaining({
        request_id: 'bulk-6',
        call_count: null,
        cost_usd: null,
        unpriced_calls: null,
      }),
    ]);
    expect(phases.map((p) => p.anon_session_id)).toEqual([anonOf(6), anonOf(6), anonOf(6), anonOf(6)]);
  });
});
