import {
  DummyDriver,
  Kysely,
  PostgresAdapter,
  PostgresIntrospector,
  PostgresQueryCompiler,
  type RawBuilder,
  sql,
} from 'kysely';
import { describe, expect, expectTypeOf, it } from 'vitest';
import type { AttemptStatus, TelemetryEvent } from '../domain/index.js';
import type { CopyRow } from '../storage/index.js';
import { ATTEMPT_PATCH, ATTEMPT_ROW, type AttemptPatch, patchRow } from './attempt-row.js';
import { EVENT_ROW, eventRow, OWN_VALUES } from './event-rows.js';
import { newAttemptRow } from './new-requests.js';

/** Compiles SQL as the write path sends it, connecting to nothing. */
const compiler = new Kysely<unknown>({
  dialect: {
    createAdapter: () => new PostgresAdapter(),
    createDriver: () => new DummyDriver(),
    createIntrospector: (db) => new PostgresIntrospector(db),
    createQueryCompiler: () => new PostgresQueryCompiler(),
  },
});
const compile = (query: RawBuilder<unknown>) => query.compile(compiler);

/** An encoded row as column name → value. */
const byName = (shape: { names: readonly string[] }, row: CopyRow) =>
  Object.fromEntries(shape.names.map((name, k) => [name, row[k]]));

const T0 = Date.parse('2026-03-10T12:00:00.123Z');

/** A patch with every field set, each to a value no other field has. */
const fullPatch: AttemptPatch = {
  id: '0b4f6d9e-2c3a-4e5f-8a7b-000000000001',
  created_at: new Date(T0),
  user_id: '0b4f6d9e-2c3a-4e5f-8a7b-000000000002',
  anon_session_id: 'anon-1',
  status: 'failed',
  error_code: 'OPENAI_REQUEST_TIMEOUT',
  duration_ms: 4_321,
  trip_id: 'trip-1',
  input_snapshot_json: '{"destinationPrompt":"Japan"}',
  effective_defaults_json: '{"budget":"Medium"}',
  request_id: 'request-1',
  provider: 'openai',
  model: 'gpt-5.4',
  prompt_contract_version: 'classic_v2',
  failure_kind: 'timeout',
  fingerprint: 'fp_12345678',
  source: 'app',
  flow: 'wizard',
  start_known: true,
  finished_at: new Date(T0 + 4_321),
};

/**
 * The declarations and what is derived from them agree: every value of a row with all fields set
 * lands under its own column, in COPY rows and in the typed arrays of `unnest`.
 */
describe('the attempt and event rows', () => {
  it('a new attempt row carries each field of the patch under its column', () => {
    const { start_known, finished_at, ...stored } = fullPatch;
    expect(byName(ATTEMPT_ROW, newAttemptRow(fullPatch, new Map()))).toEqual({
      ...stored,
      created_at: '2026-03-10T12:00:00.123Z',
    });
    const anonymous = { ...fullPatch, user_id: null, prompt_contract_version: null };
    const row = byName(ATTEMPT_ROW, newAttemptRow(anonymous, new Map([['anon-1', 'linked-user']])));
    expect(row).toMatchObject({ user_id: 'linked-user', prompt_contract_version: 'classic_v1' });
  });

  it('a patch row adds what the merge needs, after the stored columns', () => {
    expect(ATTEMPT_PATCH.names).toEqual([...ATTEMPT_ROW.names, 'start_known', 'finished_at']);
    expect(byName(ATTEMPT_PATCH, patchRow(fullPatch))).toEqual({
      ...fullPatch,
      created_at: '2026-03-10T12:00:00.123Z',
      finished_at: '2026-03-10T12:00:04.444Z',
    });
  });

  it("the merge's unnest casts each column's array to its declared type, under its name", () => {
    const other = { ...fullPatch, request_id: 'request-2', status: 'pending' as const, finished_at: null };
    const rows = [patchRow(fullPatch), patchRow(other)];
    const query = compile(sql`${ATTEMPT_PATCH.unnest(rows, 'i')}`);
    const [, casts, names] = /^unnest\((.*)\) AS i\((.*)\)$/.exec(query.sql)!;
    expect(names!.split(', ')).toEqual(ATTEMPT_PATCH.names);
    expect(casts!.split(', ')).toEqual(
      ATTEMPT_PATCH.names.map((name, k) => `$${k + 1}::${ATTEMPT_PATCH.columns[name].type}[]`),
    );
    expect(casts).toContain('$1::uuid[], $2::timestamptz[]');
    ATTEMPT_PATCH.names.forEach((name, k) => {
      expect(query.parameters[k], name).toEqual([
        byName(ATTEMPT_PATCH, rows[0]!)[name],
        byName(ATTEMPT_PATCH, rows[1]!)[name],
      ]);
    });
    expect(query.parameters[ATTEMPT_PATCH.names.indexOf('request_id')]).toEqual(['request-1', 'request-2']);
    expect(compile(sql`${ATTEMPT_ROW.columnList()}`).sql).toBe(
      ATTEMPT_ROW.names.map((n) => `"${n}"`).join(', '),
    );
  });

  it('an event row carries the event under its columns, and the fallbacks where it has none', () => {
    const attempted: TelemetryEvent = {
      id: '0b4f6d9e-2c3a-4e5f-8a7b-000000000003',
      type: 'create_trip_attempted',
      requestId: 'request-1',
      occurredAt: new Date(T0),
      userId: '0b4f6d9e-2c3a-4e5f-8a7b-000000000004',
      anonSessionId: 'anon-1',
      tripId: 'trip-1',
      provider: 'openai',
      promptContractVersion: 'classic_v2',
      source: 'app',
    };
    const fallbacks = {
      userId: 'fallback-user',
      anonSessionId: 'fallback-anon',
      promptContractVersion: 'fallback-v',
    };
    expect(byName(EVENT_ROW, eventRow(attempted, fallbacks))).toEqual({
      id: attempted.id,
      created_at: '2026-03-10T12:00:00.123Z',
      event_type: 'create_trip_attempted',
      trip_id: 'trip-1',
      user_id: attempted.userId,
      anon_session_id: 'anon-1',
      request_id: 'request-1',
      prompt_contract_version: 'classic_v2',
      payload_json: '{"source":"app","provider":"openai"}',
    });
    const bare: TelemetryEvent = {
      id: 'e2',
      type: 'create_trip_succeeded',
      requestId: 'r2',
      occurredAt: new Date(T0),
      source: 'app',
    };
    expect(byName(EVENT_ROW, eventRow(bare, fallbacks))).toMatchObject({
      trip_id: null,
      user_id: 'fallback-user',
      anon_session_id: 'fallback-anon',
      prompt_contract_version: 'fallback-v',
    });
    expect(byName(EVENT_ROW, eventRow(bare, OWN_VALUES))).toMatchObject({
      user_id: null,
      prompt_contract_version: null,
    });
  });

  it('derives the patch type from the declaration', () => {
    expectTypeOf<AttemptPatch['status']>().toEqualTypeOf<AttemptStatus>();
    expectTypeOf<AttemptPatch['created_at']>().toEqualTypeOf<Date>();
    expectTypeOf<AttemptPatch['finished_at']>().toEqualTypeOf<Date | null>();
    expectTypeOf<AttemptPatch['duration_ms']>().toEqualTypeOf<number | null>();
  });
});
