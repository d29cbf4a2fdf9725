import { expect, it } from 'vitest';
import { createTripmeter } from '../../src/store/index.js';
import { describeOnDatabases } from '../support/databases.js';

const anon = '5b0f3c2e-8f1a-4c1e-9d2b-3a4b5c6d7e8f';
const input = {
  destinationPrompt: 'Japan, South Korea',
  options: {
    budget: 'Medium',
    roundTrip: true,
    travelerType: 'couple',
    travelerDetails: { coupleTravelerA: 'female' },
    notes: 'ramen; reach me at +49 170 1234567',
    aiTarget: { provider: 'openai', model: 'gpt-5.4' },
    secretField: 'x',
  },
};

describeOnDatabases('attempt lifecycle', (ctx) => {
  it('writes pending → success with duration, trip linkage and the two events', async () => {
    const database = await ctx.open();
    let clock = Date.parse('2026-11-25T10:00:00Z');
    const tracker = createTripmeter({ database, now: () => clock });
    const attempt = tracker.startAttempt({ anonSessionId: anon, input, promptContractVersion: 'classic_v2' });
    await tracker.flush();
    const db = database.db.withSchema(database.schema);
    const pending = await db.selectFrom('trip_creation_attempts').selectAll().executeTakeFirstOrThrow();
    expect(pending).toMatchObject({
      status: 'pending',
      request_id: attempt.requestId,
      anon_session_id: anon,
      duration_ms: null,
    });
    clock += 4_321;
    attempt.succeed({ tripId: 'trip_123' });
    await tracker.flush();
    const row = await db.selectFrom('trip_creation_attempts').selectAll().executeTakeFirstOrThrow();
    expect(row).toMatchObject({
      status: 'success',
      duration_ms: 4321,
      trip_id: 'trip_123',
      error_code: null,
      provider: 'openai',
      model: 'gpt-5.4',
      prompt_contract_version: 'classic_v2',
      source: 'app',
      user_id: null,
    });
    expect(row.created_at.toISOString()).toBe('2026-11-25T10:00:00.000Z');
    const snapshot = JSON.stringify(row.input_snapshot_json);
    // The default notes policy keeps no text: a summary that counts the phone number.
    expect(row.input_snapshot_json).toMatchObject({ notes: { words: 7, redactions: { phone: 1 } } });
    expect(snapshot).not.toContain('1234567');
    expect(snapshot).not.toContain('ramen');
    expect(snapshot).not.toContain('female');
    expect(snapshot).not.toContain('secretField');
    const events = await db.selectFrom('trip_creation_events').selectAll().orderBy('created_at').execute();
    expect(events.map((e) => [e.event_type, e.trip_id, e.anon_session_id, e.request_id])).toEqual([
      ['create_trip_attempted', null, anon, attempt.requestId],
      ['create_trip_succeeded', 'trip_123', anon, attempt.requestId],
    ]);
    expect(tracker.stats()).toMatchObject({ written: 2, duplicates: 0, rejected: 0, dropped: 0, queued: 0 });
    await tracker.shutdown();
  });

  it('under the opt-in redact policy, stores notes without names, health terms or the phone', async () => {
    const database = await ctx.open();
    const tracker = createTripmeter({ database, notesPolicy: 'redact' });
    const notes = 'my wife Anna Müller has a nut allergy, call +49 170 1234567';
    tracker.startAttempt({ anonSessionId: anon, input: { destinationPrompt: 'Oslo', notes } });
    await tracker.flush();
    const db = database.db.withSchema(database.schema);
    const row = await db.selectFrom('trip_creation_attempts').selectAll().executeTakeFirstOrThrow();
    expect(row.input_snapshot_json).toMatchObject({
      notes: 'my wife [name] has a nut [health], call [phone]',
    });
    await tracker.shutdown();
  });

  it('writes a failure with error code, redacted message, failure kind and http status', async () => {
    const database = await ctx.open();
    let clock = Date.parse('2026-11-25T11:00:00Z');
    const tracker = createTripmeter({ database, now: () => clock });
    const attempt = tracker.startAttempt({
      anonSessionId: anon,
      input: {},
      provider: 'gemini',
      model: 'gemini-3-pro',
    });
    clock += 120_000;
    attempt.fail({
      errorCode: 'GEMINI_REQUEST_TIMEOUT',
      error: new Error('timed out for jane@example.com'),
      httpStatus: 504,
    });
    await tracker.flush();
    const db = database.db.withSchema(database.schema);
    const row = await db.selectFrom('trip_creation_attempts').selectAll().executeTakeFirstOrThrow();
    expect(row).toMatchObject({
      status: 'failed',
      error_code: 'GEMINI_REQUEST_TIMEOUT',
      failure_kind: 'timeout',
      duration_ms: 120_000,
    });
    const failed = await db
      .selectFrom('trip_creation_events')
      .selectAll()
      .where('event_type', '=', 'create_trip_failed')
      .executeTakeFirstOrThrow();
    expect(failed.payload_json).toMatchObject({
      error_code: 'GEMINI_REQUEST_TIMEOUT',
      failure_kind: 'timeout',
      http_status: 504,
    });
    expect(JSON.stringify(failed.payload_json)).toContain('[email]');
    expect(JSON.stringify(failed.payload_json)).not.toContain('jane@');
    await tracker.shutdown();
  });

  it('trackAttempt succeeds with the result trip id, and rethrows the error untouched', async () => {
    const database = await ctx.open();
    const tracker = createTripmeter({ database });
    const ok = await tracker.trackAttempt({ anonSessionId: anon }, async () => ({ tripId: 'trip_9' }));
    expect(ok).toEqual({ tripId: 'trip_9' });
    const boom = Object.assign(new Error('provider said no'), { code: 'OPENAI_REFUSAL' });
    await expect(
      tracker.trackAttempt({ anonSessionId: anon }, async () => Promise.reject(boom)),
    ).rejects.toBe(boom);
    await tracker.flush();
    const rows = await database.db
      .withSchema(database.schema)
      .selectFrom('trip_creation_attempts')
      .select(['status', 'trip_id', 'error_code', 'failure_kind'])
      .orderBy('status')
      .execute();
    expect(rows).toEqual([
      { status: 'failed', trip_id: null, error_code: 'OPENAI_REFUSAL', failure_kind: 'quality' },
      { status: 'success', trip_id: 'trip_9', error_code: null, failure_kind: null },
    ]);
    await tracker.shutdown();
  });

  it('finishes in another process by request id (resumeAttempt)', async () => {
    const database = await ctx.open();
    const starter = createTripmeter({ database, now: () => Date.parse('2026-11-25T12:00:00Z') });
    const finisher = createTripmeter({ database, now: () => Date.parse('2026-11-25T12:01:30Z') });
    const { requestId } = starter.startAttempt({ requestId: 'job-42', anonSessionId: anon });
    await starter.flush();
    finisher.resumeAttempt(requestId).succeed({ tripId: 't-42' });
    await finisher.flush();
    const db = database.db.withSchema(database.schema);
    const row = await db.selectFrom('trip_creation_attempts').selectAll().executeTakeFirstOrThrow();
    expect(row).toMatchObject({
      request_id: 'job-42',
      status: 'success',
      duration_ms: 90_000,
      trip_id: 't-42',
    });
    const succeeded = await db
      .selectFrom('trip_creation_events')
      .selectAll()
      .where('event_type', '=', 'create_trip_succeeded')
      .executeTakeFirstOrThrow();
    expect(succeeded.anon_session_id).toBe(anon); // filled from the attempt row
  });

  it('routes source "benchmark" to the admin schema only', async () => {
    const database = await ctx.open();
    const tracker = createTripmeter({ database });
    tracker.startAttempt({ source: 'benchmark', anonSessionId: anon }).succeed({ tripId: 'b1' });
    await tracker.flush();
    const count = async (schema: string) =>
      (
        await database.db
          .withSchema(schema)
          .selectFrom('trip_creation_attempts')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow()
      ).n;
    expect(await count(database.schema)).toBe(0);
    expect(await count(database.adminSchema)).toBe(1);
  });

  it('rejects invalid tracker input without throwing, and counts it', async () => {
    const database = await ctx.open();
    const tracker = createTripmeter({ database });
    expect(() => tracker.startAttempt({ anonSessionId: 'guest' })).not.toThrow();
    const handle = tracker.startAttempt({ anonSessionId: anon });
    // biome-ignore lint/suspicious/noExplicitAny: a caller ignoring the types
    expect(() => handle.fail({ errorCode: 42 } as any)).not.toThrow();
    // biome-ignore lint/suspicious/noExplicitAny: a caller ignoring the types
    expect(() => tracker.startAttempt(null as any)).not.toThrow();
    await tracker.flush();
    expect(tracker.stats().rejected).toBe(3);
    expect(tracker.stats().written).toBe(1);
  });

  it('validates a resumed attempt like a started one: request id, subject ids (no placeholders) and source', async () => {
    const database = await ctx.open();
    const tracker = createTripmeter({ database });
    tracker.resumeAttempt('has space').succeed({ tripId: 't-1' });
    tracker.resumeAttempt('x'.repeat(129)).succeed({ tripId: 't-2' });
    tracker.resumeAttempt('r-anon', { anonSessionId: 'guest' }).succeed({ tripId: 't-3' });
    tracker.resumeAttempt('r-user', { userId: 'not-a-uuid' }).fail({ errorCode: 'OPENAI_REQUEST_TIMEOUT' });
    tracker.resumeAttempt('r-source', { source: 'Not A Source' }).succeed({ tripId: 't-4' });
    // The all-zero UUID is a placeholder, refused as HTTP ingest refuses it (on start and finish).
    const nil = '00000000-0000-0000-0000-000000000000';
    tracker.resumeAttempt('r-nil', { userId: nil }).succeed({ tripId: 't-6' });
    tracker.startAttempt({ requestId: 'r-nil-start', anonSessionId: nil });
    tracker.resumeAttempt('r-ok', { anonSessionId: anon.toUpperCase() }).succeed({ tripId: 't-5' });
    await tracker.flush();
    expect(tracker.stats()).toMatchObject({ rejected: 7, written: 1 });
    const rows = await database.db
      .withSchema(database.schema)
      .selectFrom('trip_creation_attempts')
      .select(['request_id', 'anon_session_id'])
      .execute();
    expect(rows).toEqual([{ request_id: 'r-ok', anon_session_id: anon }]);
    await tracker.shutdown();
  });
});
