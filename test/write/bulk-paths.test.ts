import { sql } from 'kysely';
import { expect, it } from 'vitest';
import { newId, type TelemetryEvent } from '../../src/domain/index.js';
import { linkIdentity } from '../../src/identity/index.js';
import type { Database } from '../../src/storage/index.js';
import { idList } from '../../src/store/column-sql.js';
import { PostgresSink } from '../../src/store/index.js';
import { describeOnDatabases } from '../support/databases.js';

/**
 * The sink writes new requests as finished rows in bulk (COPY on PostgreSQL from 256 rows, one
 * statement of `unnest` inserts below that and on PGlite) and merges known ones into their rows. These tests
 * hold the paths to the same result.
 */
const T0 = Date.parse('2026-03-10T12:00:00Z');
const USER = '0b4f6d9e-2c3a-4e5f-8a7b-1c2d3e4f5a6b';

/** Text that COPY's text format must escape, and text that merely looks special. */
const AWKWARD = [
  'tab\there',
  'line\nbreak',
  'cr\rhere',
  'back\\slash',
  '\\N',
  'quote "x" \'y\'',
  'emoji 🧳 ñ',
  '',
];

const anonOf = (i: number) => `5b0f3c2e-8f1a-4c1e-9d2b-${(i % 7).toString(16).padStart(12, '0')}`;

/** An attempted event and its terminal event per attempt, with awkward free text in every text field. */
function attempts(count: number, prefix: string, options: { anon?: (i: number) => string } = {}) {
  const events: TelemetryEvent[] = [];
  for (let i = 0; i < count; i++) {
    const requestId = `${prefix}-${i}`;
    const awkward = AWKWARD[i % AWKWARD.length]!;
    const start = new Date(T0 + i * 1_000);
    const anonSessionId = (options.anon ?? anonOf)(i);
    events.push({
      id: newId(),
      type: 'create_trip_attempted',
      requestId,
      occurredAt: start,
      anonSessionId,
      provider: 'openai',
      model: `gpt-5.4 ${awkward}`,
      promptContractVersion: i % 2 ? 'classic_v2' : undefined,
      source: 'app',
      inputSnapshot: { destinationPrompt: `Japan ${awkward}`, notes: awkward, totalDays: i },
      effectiveDefaults: i % 3 ? { pace: 'Balanced' } : undefined,
    });
    const finish = new Date(start.getTime() + 2_000 + i);
    events.push(
      i % 4 === 0
        ? {
            id: newId(),
            type: 'create_trip_failed',
            requestId,
            occurredAt: finish,
            source: 'app',
            errorCode: 'OPENAI_REQUEST_TIMEOUT',
            errorMessage: `timed out ${awkward}`,
            failureKind: 'timeout',
            httpStatus: 504,
          }
        : {
            id: newId(),
            type: 'create_trip_succeeded',
            requestId,
            occurredAt: finish,
            anonSessionId,
            source: 'app',
            tripId: `trip ${awkward} ${i}`,
          },
    );
  }
  return events;
}

/** Every stored column except the attempt row's generated id, in a stable order. */
async function stored(database: Database) {
  const attemptsTable = sql.table(`${database.schema}.trip_creation_attempts`);
  const eventsTable = sql.table(`${database.schema}.trip_creation_events`);
  const a = await sql<Record<string, unknown>>`
    SELECT created_at, user_id, anon_session_id, status, error_code, duration_ms, trip_id, input_snapshot_json,
      effective_defaults_json, request_id, provider, model, prompt_contract_version, failure_kind, fingerprint, source
    FROM ${attemptsTable} ORDER BY request_id`.execute(database.db);
  const e = await sql<Record<string, unknown>>`
    SELECT id, created_at, event_type, trip_id, user_id, anon_session_id, request_id, prompt_contract_version,
      payload_json
    FROM ${eventsTable} ORDER BY request_id, event_type`.execute(database.db);
  return { attempts: a.rows, events: e.rows };
}

describeOnDatabases('bulk write paths', (ctx) => {
  const open = () => ctx.open({ now: new Date(T0) });

  it('one large batch stores exactly what the same events give written one attempt at a time', async () => {
    const events = attempts(150, 'bulk');
    const bulk = await open();
    const single = await open();
    const result = await new PostgresSink(bulk).write(events);
    expect(result).toMatchObject({ written: 300, duplicates: 0 });
    const sink = new PostgresSink(single);
    for (let i = 0; i < events.length; i += 2) await sink.write(events.slice(i, i + 2));
    const a = await stored(bulk);
    const b = await stored(single);
    expect(a.attempts).toHaveLength(150);
    expect(a.events).toHaveLength(300);
    expect(a).toEqual(b);
    // The awkward text survived the trip byte for byte.
    const notes = a.attempts.map((row) => (row.input_snapshot_json as { notes: string }).notes);
    expect(new Set(notes)).toEqual(new Set(AWKWARD));
    expect(a.attempts.filter((row) => row.model === 'gpt-5.4 \\N')).toHaveLength(19);
    expect(a.events.filter((row) => row.trip_id === 'trip line\nbreak 9')).toHaveLength(1);
  });

  it('gives rows of an already linked anonymous id its user, on every path', async () => {
    const database = await open();
    const anon = '9c8d7e6f-5a4b-4c3d-8e2f-1a0b9c8d7e6f';
    await linkIdentity(database, { anonSessionId: anon, userId: USER }, { now: new Date(T0 - 60_000) });
    const events = attempts(200, 'linked', { anon: (i) => (i % 2 ? anon : anonOf(i)) });
    const sink = new PostgresSink(database);
    await sink.write(events.slice(0, 300)); // 150 new requests: COPY on PostgreSQL
    await sink.write(events.slice(300, 302)); // one new request
    await sink.write(events.slice(302)); // 49 new requests: one statement
    const { attempts: rows, events: eventRows } = await stored(database);
    expect(rows).toHaveLength(200);
    for (const row of rows) expect(row.user_id).toBe(row.anon_session_id === anon ? USER : null);
    // Failed events carry no anonymous id: theirs comes from the attempt, and with it the user.
    for (const row of eventRows) expect(row.user_id).toBe(row.anon_session_id === anon ? USER : null);
    expect(eventRows.every((row) => row.anon_session_id !== null)).toBe(true);
  });

  it('a batch mixing new requests, known ones and redeliveries stores each event once', async () => {
    const database = await open();
    const sink = new PostgresSink(database);
    const first = attempts(50, 'mix');
    const later = attempts(50, 'new');
    const starts = first.filter((e) => e.type === 'create_trip_attempted');
    const ends = first.filter((e) => e.type !== 'create_trip_attempted');
    expect(await sink.write(starts)).toMatchObject({ written: 50, duplicates: 0 });
    const mixed = [...ends, ...later, ...starts.slice(0, 10).map((e) => ({ ...e, id: newId() }))];
    const result = await sink.write(mixed);
    expect(result).toMatchObject({ written: 150, duplicates: 10 });
    expect(result.inserted?.size).toBe(150);
    const { attempts: rows, events } = await stored(database);
    expect(rows).toHaveLength(100);
    expect(events).toHaveLength(200);
    expect(rows.filter((row) => row.status === 'pending')).toHaveLength(0);
    // Known attempts got their outcome and duration from the terminal event.
    const known = rows.filter((row) => String(row.request_id).startsWith('mix-'));
    expect(
      known.every((row) => typeof row.duration_ms === 'number' && (row.duration_ms as number) >= 2_000),
    ).toBe(true);
  });

  it('id lists: ids with quotes, commas, braces and backslashes come back as sent; an empty list is empty; ids the split cannot carry come back whole', async () => {
    const database = await open();
    const ids = ['r-1', 'a,b', '{x}', '"q"', 'back\\slash', "it's", 'NULL', '~'];
    const back = await sql<{ id: string }>`SELECT unnest(${idList(ids)}) AS id`.execute(database.db);
    expect(back.rows.map((row) => row.id)).toEqual(ids);
    const none = await sql<{ n: number }>`SELECT count(*)::int AS n FROM unnest(${idList([])})`.execute(
      database.db,
    );
    expect(none.rows[0]!.n).toBe(0);
    // Ids the split cannot carry go as an array literal, whole.
    const odd = ['ok', 'bad\u001fid', ''];
    const oddBack = await sql<{ id: string }>`SELECT unnest(${idList(odd)}) AS id`.execute(database.db);
    expect(oddBack.rows.map((row) => row.id)).toEqual(odd);
  });
});
