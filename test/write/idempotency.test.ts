import { expect, it } from 'vitest';
import { newId, type TelemetryEvent } from '../../src/domain/index.js';
import { type Database, openDatabase } from '../../src/storage/index.js';
import { PostgresSink } from '../../src/store/index.js';
import { createTracker, type SinkResult } from '../../src/tracker/index.js';
import { describeOnDatabases } from '../support/databases.js';

/** Partitions are created around this time (migrate's `now`); all events fall near it. */
const T0 = Date.parse('2026-03-10T12:00:00Z');
const anon = '5b0f3c2e-8f1a-4c1e-9d2b-3a4b5c6d7e8f';
const ATTEMPTS = 200;

/** What one attempt should end up as. */
interface Expected {
  requestId: string;
  start: Date;
  finish: Date;
  status: 'success' | 'failed';
}

/** The attempted and terminal events of `count` attempts; every other terminal carries `durationMs`. */
function buildAttempts(count: number, prefix = 'req') {
  const expected: Expected[] = [];
  const attempted: TelemetryEvent[] = [];
  const terminal: TelemetryEvent[] = [];
  for (let i = 0; i < count; i++) {
    const requestId = `${prefix}-${i}`;
    const start = new Date(T0 + i * 1_000);
    const duration = 1_000 + i * 7;
    const finish = new Date(start.getTime() + duration);
    const failedAttempt = i % 3 === 0;
    expected.push({ requestId, start, finish, status: failedAttempt ? 'failed' : 'success' });
    attempted.push({
      id: newId(),
      type: 'create_trip_attempted',
      requestId,
      occurredAt: start,
      anonSessionId: anon,
      provider: 'openai',
      model: 'gpt-5.4',
      promptContractVersion: 'classic_v2',
      source: 'app',
      inputSnapshot: { destinationPrompt: `place ${i}` },
    });
    const base = {
      id: newId(),
      requestId,
      occurredAt: finish,
      source: 'app',
      durationMs: i % 2 === 0 ? duration : undefined,
    };
    terminal.push(
      failedAttempt
        ? {
            ...base,
            type: 'create_trip_failed',
            errorCode: 'OPENAI_REQUEST_TIMEOUT',
            failureKind: 'timeout',
            httpStatus: 504,
          }
        : { ...base, type: 'create_trip_succeeded', tripId: `trip-${i}` },
    );
  }
  return { expected, attempted, terminal, all: [...attempted, ...terminal] };
}

/** A small seeded PRNG (mulberry32), so a failing shuffle can be replayed. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

function shuffled<T>(items: T[], random: () => number): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

function randomBatches<T>(items: T[], random: () => number, maxSize: number): T[][] {
  const batches: T[][] = [];
  for (let i = 0; i < items.length; ) {
    const size = 1 + Math.floor(random() * maxSize);
    batches.push(items.slice(i, i + size));
    i += size;
  }
  return batches;
}

/** Copies of the events, as a redelivery would carry them (same ids, fresh objects). */
const redelivered = (events: TelemetryEvent[]) =>
  events.map((e) => ({ ...e, occurredAt: new Date(e.occurredAt) }));

const total = (results: SinkResult[]) =>
  results.reduce(
    (sum, r) => ({ written: sum.written + r.written, duplicates: sum.duplicates + r.duplicates }),
    {
      written: 0,
      duplicates: 0,
    },
  );

/** Asserts one attempt row and one event per type for every expected attempt, with the right outcome. */
async function expectExactlyOnce(database: Database, expected: Expected[]) {
  const db = database.db.withSchema(database.schema);
  const rows = await db.selectFrom('trip_creation_attempts').selectAll().execute();
  expect(rows).toHaveLength(expected.length);
  const byRequest = new Map(rows.map((row) => [row.request_id, row]));
  expect(byRequest.size).toBe(expected.length);
  for (const e of expected) {
    const row = byRequest.get(e.requestId);
    expect(row, e.requestId).toBeDefined();
    const i = Number(e.requestId.split('-').at(-1));
    expect(
      {
        status: row!.status,
        created_at: row!.created_at.toISOString(),
        duration_ms: row!.duration_ms,
        trip_id: row!.trip_id,
        error_code: row!.error_code,
        failure_kind: row!.failure_kind,
        prompt_contract_version: row!.prompt_contract_version,
        anon_session_id: row!.anon_session_id,
      },
      e.requestId,
    ).toEqual({
      status: e.status,
      created_at: e.start.toISOString(),
      duration_ms: e.finish.getTime() - e.start.getTime(),
      trip_id: e.status === 'success' ? `trip-${i}` : null,
      error_code: e.status === 'failed' ? 'OPENAI_REQUEST_TIMEOUT' : null,
      failure_kind: e.status === 'failed' ? 'timeout' : null,
      prompt_contract_version: 'classic_v2',
      anon_session_id: anon,
    });
  }
  const events = await db.selectFrom('trip_creation_events').select(['request_id', 'event_type']).execute();
  expect(events).toHaveLength(expected.length * 2);
  const keys = new Set(events.map((e) => `${e.request_id} ${e.event_type}`));
  expect(keys.size).toBe(events.length);
  for (const e of expected) {
    expect(keys.has(`${e.requestId} create_trip_attempted`)).toBe(true);
    const type = e.status === 'success' ? 'create_trip_succeeded' : 'create_trip_failed';
    expect(keys.has(`${e.requestId} ${type}`)).toBe(true);
  }
}

describeOnDatabases('write idempotency', (ctx) => {
  const open = () => ctx.open({ now: new Date(T0) });

  it('redelivery: 3 shuffled copies in random batches through 4 concurrent sinks → exactly once', async () => {
    const database = await open();
    const { expected, all } = buildAttempts(ATTEMPTS);
    const random = prng(20261125);
    const deliveries = shuffled([...all, ...redelivered(all), ...redelivered(all)], random);
    const batches = randomBatches(deliveries, random, 40);
    const sinks = Array.from({ length: 4 }, () => new PostgresSink(database));
    const results = await Promise.all(
      sinks.map(async (sink, s) => {
        const mine: SinkResult[] = [];
        for (let b = s; b < batches.length; b += sinks.length) mine.push(await sink.write(batches[b]!));
        return total(mine);
      }),
    );
    expect(total(results)).toEqual({ written: ATTEMPTS * 2, duplicates: ATTEMPTS * 4 });
    await expectExactlyOnce(database, expected);
  });

  it('redelivery through trackers: duplicates are reported in the stats', async () => {
    const database = await open();
    const { expected, all } = buildAttempts(50, 'trk');
    await new PostgresSink(database).write(all);
    // Trackers replaying the same attempts (same request ids) in another process.
    let clock = T0;
    const replay = createTracker({ sink: new PostgresSink(database), now: () => clock, batchSize: 7 });
    for (const e of expected) {
      clock = e.start.getTime();
      const handle = replay.startAttempt({
        requestId: e.requestId,
        anonSessionId: anon,
        promptContractVersion: 'classic_v2',
      });
      clock = e.finish.getTime();
      if (e.status === 'success') handle.succeed({ tripId: `trip-${e.requestId.split('-')[1]}` });
      else handle.fail({ errorCode: 'OPENAI_REQUEST_TIMEOUT', httpStatus: 504 });
    }
    expect(await replay.shutdown(10_000)).toBe(0);
    expect(replay.stats()).toMatchObject({ written: 0, duplicates: 100, rejected: 0, dropped: 0 });
    await expectExactlyOnce(database, expected);
  });

  it.each([
    ['with', 2_500],
    ['without', undefined],
  ])('out of order: terminal committed before its attempted event, %s durationMs', async (_, durationMs) => {
    const database = await open();
    const sink = new PostgresSink(database);
    const start = new Date(T0 + 60_000);
    const finish = new Date(start.getTime() + 2_500);
    const requestId = `ooo-${durationMs ?? 'none'}`;
    const terminal: TelemetryEvent = {
      id: newId(),
      type: 'create_trip_succeeded',
      requestId,
      occurredAt: finish,
      source: 'app',
      tripId: 'trip-ooo',
      durationMs,
    };
    const attempted: TelemetryEvent = {
      id: newId(),
      type: 'create_trip_attempted',
      requestId,
      occurredAt: start,
      anonSessionId: anon,
      promptContractVersion: 'classic_v2',
      source: 'app',
    };
    expect(await sink.write([terminal])).toMatchObject({ written: 1, duplicates: 0 });
    expect(await sink.write([attempted])).toMatchObject({ written: 1, duplicates: 0 });
    expect(await sink.write([attempted, terminal])).toMatchObject({ written: 0, duplicates: 2 });
    const db = database.db.withSchema(database.schema);
    const rows = await db.selectFrom('trip_creation_attempts').selectAll().execute();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      request_id: requestId,
      status: 'success',
      duration_ms: 2_500,
      trip_id: 'trip-ooo',
      anon_session_id: anon,
      prompt_contract_version: 'classic_v2',
    });
    expect(rows[0]!.created_at.toISOString()).toBe(start.toISOString());
    const events = await db
      .selectFrom('trip_creation_events')
      .select(['event_type', 'created_at'])
      .orderBy('created_at')
      .execute();
    expect(events.map((e) => [e.event_type, e.created_at.toISOString()])).toEqual([
      ['create_trip_attempted', start.toISOString()],
      ['create_trip_succeeded', finish.toISOString()],
    ]);
  });

  it('out of order across a month boundary: the row moves to the start month', async () => {
    const database = await open();
    const sink = new PostgresSink(database);
    const start = new Date('2026-03-31T23:59:50Z');
    const finish = new Date('2026-04-01T00:00:20Z');
    await sink.write([
      { id: newId(), type: 'create_trip_failed', requestId: 'month', occurredAt: finish, source: 'app' },
    ]);
    await sink.write([
      { id: newId(), type: 'create_trip_attempted', requestId: 'month', occurredAt: start, source: 'app' },
    ]);
    const rows = await database.db
      .withSchema(database.schema)
      .selectFrom('trip_creation_attempts')
      .select(['status', 'created_at', 'duration_ms'])
      .execute();
    expect(rows).toEqual([{ status: 'failed', created_at: start, duration_ms: 30_000 }]);
  });

  it('out of order through trackers: resumeAttempt finishes before startAttempt is flushed', async () => {
    const database = await open();
    const started = T0 + 120_000;
    const finisher = createTracker({ sink: new PostgresSink(database), now: () => started + 90_000 });
    finisher.resumeAttempt('job-7', { anonSessionId: anon }).fail({ errorCode: 'RATE_LIMITED' });
    await finisher.flush();
    const starter = createTracker({ sink: new PostgresSink(database), now: () => started });
    starter.startAttempt({ requestId: 'job-7', anonSessionId: anon });
    await starter.flush();
    const row = await database.db
      .withSchema(database.schema)
      .selectFrom('trip_creation_attempts')
      .selectAll()
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({
      request_id: 'job-7',
      status: 'failed',
      failure_kind: 'rate_limited',
      duration_ms: 90_000,
    });
    expect(row.created_at.getTime()).toBe(started);
    expect(finisher.stats().written + starter.stats().written).toBe(2);
  });

  it('concurrent writers: 8 sinks each writing the full set at once → exactly once', async () => {
    const database = await open();
    const { expected, all } = buildAttempts(ATTEMPTS, 'race');
    const random = prng(8);
    const results = await Promise.all(
      Array.from({ length: 8 }, () => new PostgresSink(database).write(shuffled(redelivered(all), random))),
    );
    expect(total(results)).toEqual({ written: ATTEMPTS * 2, duplicates: ATTEMPTS * 2 * 7 });
    await expectExactlyOnce(database, expected);
  });

  it.runIf(ctx.kind === 'postgres')(
    'concurrent writers on two separately opened handles, racing starts against finishes',
    async () => {
      const database = await open();
      const other = await openDatabase({
        databaseUrl: ctx.url,
        dataDir: 'memory://',
        schema: database.schema,
        poolSize: 4,
      });
      try {
        const { expected, all, attempted, terminal } = buildAttempts(ATTEMPTS, 'dual');
        const random = prng(2);
        // Per handle: one sink with everything, one with only starts, one with only finishes.
        const work = [database, other].flatMap((handle) =>
          [all, attempted, terminal].map((events) =>
            new PostgresSink(handle).write(shuffled(redelivered(events), random)),
          ),
        );
        const results = await Promise.all(work);
        expect(total(results)).toEqual({ written: ATTEMPTS * 2, duplicates: ATTEMPTS * 2 * 3 });
        await expectExactlyOnce(database, expected);
        await expectExactlyOnce(other, expected);
      } finally {
        await other.close();
      }
    },
  );
});
