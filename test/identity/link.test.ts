import { sql } from 'kysely';
import { beforeAll, expect, it } from 'vitest';
import { linkIdentity, SubjectIdError } from '../../src/identity/index.js';
import { type Database, ensurePartitions } from '../../src/storage/index.js';
import { describeOnDatabases } from '../support/databases.js';
import { countsOf, subjectRows, uuid, writeAttempts } from '../support/subjects.js';

const NOW = new Date('2026-11-25T10:00:00Z');
const daysAgo = (days: number) => new Date(NOW.getTime() - days * 86_400_000);

async function links(database: Database) {
  return database.db
    .withSchema(database.schema)
    .selectFrom('identity_links')
    .select(['anon_session_id', 'user_id', 'outcome', 'rows_backfilled'])
    .orderBy('id')
    .execute();
}

describeOnDatabases('linkIdentity', (ctx) => {
  // Start the engine (PGlite takes seconds on a busy machine) in a hook, not in the first test.
  beforeAll(async () => {
    await ctx.open();
  });

  it('links, backfills rows of the window in both schemas, keeps both ids, and records the counts', async () => {
    const database = await ctx.open({ now: NOW });
    await ensurePartitions(database, daysAgo(40));
    const anon = uuid();
    const user = uuid();
    await writeAttempts(database, { anonSessionId: anon, at: daysAgo(2), count: 3 });
    await writeAttempts(database, { anonSessionId: anon, at: daysAgo(1), source: 'benchmark' });
    await writeAttempts(database, { anonSessionId: anon, at: daysAgo(40) }); // outside the window
    await writeAttempts(database, { anonSessionId: uuid(), at: daysAgo(1) }); // someone else

    const result = await linkIdentity(database, { anonSessionId: anon, userId: user }, { now: NOW });
    const counts = countsOf(
      database,
      {
        'product.trip_creation_attempts': 3,
        'product.trip_creation_events': 6,
        'admin.trip_creation_attempts': 1,
        'admin.trip_creation_events': 2,
      },
      (t) => t.table.kind !== 'link',
    );
    expect(result).toEqual({ outcome: 'linked', linkId: expect.any(String), rowsBackfilled: counts });
    expect(await links(database)).toEqual([
      { anon_session_id: anon, user_id: user, outcome: 'linked', rows_backfilled: counts },
    ]);
    const product = await subjectRows(database, database.schema);
    expect(product.filter((r) => r.user_id === user && r.anon_session_id === anon)).toHaveLength(9);
    expect(product.filter((r) => r.anon_session_id === anon && r.user_id === null)).toHaveLength(3); // 40 days old
    expect(product.filter((r) => r.anon_session_id !== anon).every((r) => r.user_id === null)).toBe(true);
    const admin = await subjectRows(database, database.adminSchema);
    expect(admin.every((r) => r.user_id === user && r.anon_session_id === anon)).toBe(true);
  });

  it('honours backfillDays', async () => {
    const database = await ctx.open({ now: NOW });
    const [anon, user] = [uuid(), uuid()];
    await writeAttempts(database, { anonSessionId: anon, at: daysAgo(3) });
    const result = await linkIdentity(
      database,
      { anonSessionId: anon, userId: user },
      { now: NOW, backfillDays: 2 },
    );
    expect(result.rowsBackfilled['product.trip_creation_attempts']).toBe(0);
  });

  it('is idempotent: the same pair again changes nothing', async () => {
    const database = await ctx.open({ now: NOW });
    const [anon, user] = [uuid(), uuid()];
    await writeAttempts(database, { anonSessionId: anon, at: daysAgo(1) });
    await linkIdentity(database, { anonSessionId: anon, userId: user }, { now: NOW });
    const before = await links(database);
    const again = await linkIdentity(
      database,
      { anonSessionId: anon.toUpperCase(), userId: user },
      { now: NOW },
    );
    expect(again).toEqual({ outcome: 'already_linked', rowsBackfilled: {} });
    expect(await links(database)).toEqual(before);
  });

  it('never reassigns an anonymous id linked to another user (shared device): conflict recorded, nothing rewritten', async () => {
    const database = await ctx.open({ now: NOW });
    const [anon, alice, bob] = [uuid(), uuid(), uuid()];
    await writeAttempts(database, { anonSessionId: anon, at: daysAgo(1) });
    await linkIdentity(database, { anonSessionId: anon, userId: alice }, { now: NOW });
    await writeAttempts(database, { anonSessionId: anon, at: daysAgo(0.5) });
    const result = await linkIdentity(database, { anonSessionId: anon, userId: bob }, { now: NOW });
    expect(result).toEqual({ outcome: 'conflict', linkId: expect.any(String), rowsBackfilled: {} });
    expect((await links(database)).map((l) => [l.user_id, l.outcome])).toEqual([
      [alice, 'linked'],
      [bob, 'conflict'],
    ]);
    const rows = await subjectRows(database, database.schema);
    expect(rows.every((r) => r.user_id === alice)).toBe(true);
  });

  it('lets a user link many anonymous ids (several devices)', async () => {
    const database = await ctx.open({ now: NOW });
    const [phone, laptop, user] = [uuid(), uuid(), uuid()];
    await writeAttempts(database, { anonSessionId: phone, at: daysAgo(1) });
    await writeAttempts(database, { anonSessionId: laptop, at: daysAgo(1) });
    expect((await linkIdentity(database, { anonSessionId: phone, userId: user }, { now: NOW })).outcome).toBe(
      'linked',
    );
    expect(
      (await linkIdentity(database, { anonSessionId: laptop, userId: user }, { now: NOW })).outcome,
    ).toBe('linked');
    const rows = await subjectRows(database, database.schema);
    expect(rows).toHaveLength(6);
    expect(rows.every((r) => r.user_id === user)).toBe(true);
  });

  it('gives rows written after the link the user id at write time (attempt, update and events)', async () => {
    const database = await ctx.open({ now: NOW });
    const [anon, user] = [uuid(), uuid()];
    await linkIdentity(database, { anonSessionId: anon, userId: user }, { now: NOW });
    await writeAttempts(database, { anonSessionId: anon, at: NOW, count: 2 });
    await writeAttempts(database, { anonSessionId: anon, at: NOW, source: 'benchmark' });
    const rows = [
      ...(await subjectRows(database, database.schema)),
      ...(await subjectRows(database, database.adminSchema)),
    ];
    expect(rows).toHaveLength(9);
    expect(rows.every((r) => r.user_id === user && r.anon_session_id === anon)).toBe(true);
  });

  it('does not link a row written after a conflicting link to the refused user', async () => {
    const database = await ctx.open({ now: NOW });
    const [anon, alice, bob] = [uuid(), uuid(), uuid()];
    await linkIdentity(database, { anonSessionId: anon, userId: alice }, { now: NOW });
    await linkIdentity(database, { anonSessionId: anon, userId: bob }, { now: NOW });
    await writeAttempts(database, { anonSessionId: anon, at: NOW });
    expect((await subjectRows(database, database.schema)).every((r) => r.user_id === alice)).toBe(true);
  });

  it.each([
    ['null', 'anon'],
    ['undefined', 'anon'],
    ['anonymous', 'anon'],
    ['guest', 'anon'],
    ['0', 'anon'],
    ['00000000-0000-0000-0000-000000000000', 'anon'],
    ['   ', 'anon'],
    ['', 'anon'],
    ['guest', 'user'],
    ['00000000-0000-0000-0000-000000000000', 'user'],
  ])('refuses the reserved id %j as %s with RESERVED_ID', async (value, role) => {
    const database = await ctx.open({ now: NOW });
    const input =
      role === 'anon' ? { anonSessionId: value, userId: uuid() } : { anonSessionId: uuid(), userId: value };
    const error = await linkIdentity(database, input, { now: NOW }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SubjectIdError);
    expect(error).toMatchObject({
      code: 'RESERVED_ID',
      field: role === 'anon' ? 'anon_session_id' : 'user_id',
    });
    expect(await links(database)).toEqual([]);
  });

  it('refuses a malformed id with INVALID_ID', async () => {
    const database = await ctx.open({ now: NOW });
    const error = await linkIdentity(database, { anonSessionId: 'abc', userId: uuid() }).catch(
      (e: unknown) => e,
    );
    expect(error).toMatchObject({ code: 'INVALID_ID', field: 'anon_session_id' });
  });

  it('ends linked when attempts are written concurrently with the link (no row left behind)', async () => {
    const database = await ctx.open({ now: NOW });
    const [anon, user] = [uuid(), uuid()];
    const { createTripmeter } = await import('../../src/store/index.js');
    let stop = false;
    const writer = async () => {
      const tracker = createTripmeter({ database, batchSize: 5 });
      let written = 0;
      while (!stop || written < 20) {
        tracker.startAttempt({ anonSessionId: anon, input: {} }).succeed({ tripId: `t${written}` });
        written++;
        if (written % 3 === 0) await tracker.flush();
        // PGlite answers within microtasks: yield to timers so the link gets its turn.
        await new Promise((resolve) => setImmediate(resolve));
      }
      await tracker.shutdown();
      return written;
    };
    const writers = [writer(), writer(), writer(), writer()];
    await new Promise((resolve) => setTimeout(resolve, 150));
    const link = await linkIdentity(database, { anonSessionId: anon, userId: user });
    stop = true;
    const written = (await Promise.all(writers)).reduce((a, b) => a + b, 0);
    const rows = await subjectRows(database, database.schema);
    expect(rows).toHaveLength(written * 3);
    expect(rows.filter((r) => r.user_id !== user)).toEqual([]);
    expect(link.outcome).toBe('linked');
    const { rows: counted } = await sql<{ n: number }>`
      SELECT count(*) AS n FROM ${sql.table(`${database.schema}.trip_creation_attempts`)}`.execute(
      database.db,
    );
    expect(counted[0]?.n).toBe(written);
  });
});
