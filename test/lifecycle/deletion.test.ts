import { beforeAll, expect, it } from 'vitest';
import { linkIdentity } from '../../src/identity/index.js';
import { deleteSubject } from '../../src/lifecycle/deletion.js';
import { storedSubjectSecret, subjectHmac } from '../../src/lifecycle/subject-hmac.js';
import { type Database, ensurePartitions } from '../../src/storage/index.js';
import { describeOnDatabases } from '../support/databases.js';
import { countsOf, scanForIds, subjectRows, uuid, writeAttempts } from '../support/subjects.js';

const NOW = new Date('2026-11-25T10:00:00Z');
const daysAgo = (days: number) => new Date(NOW.getTime() - days * 86_400_000);
const SECRET = 'test-secret-0123456789';

async function receipts(database: Database) {
  return database.db
    .withSchema(database.schema)
    .selectFrom('deletion_receipts')
    .selectAll()
    .orderBy('id')
    .execute();
}

/** A user with two linked devices, one of them with rows older than the backfill window, and a bystander. */
async function seedUser(database: Database) {
  await ensurePartitions(database, daysAgo(60));
  const [user, phone, laptop, other] = [uuid(), uuid(), uuid(), uuid()];
  await writeAttempts(database, { anonSessionId: phone, at: daysAgo(50) }); // never gets the user id
  await writeAttempts(database, { anonSessionId: phone, at: daysAgo(2), count: 2 });
  await writeAttempts(database, { anonSessionId: laptop, at: daysAgo(1), source: 'benchmark' });
  await writeAttempts(database, { userId: user, at: daysAgo(1) }); // signed in, no anonymous id
  await writeAttempts(database, { anonSessionId: other, at: daysAgo(1) });
  await linkIdentity(database, { anonSessionId: phone, userId: user }, { now: NOW });
  await linkIdentity(database, { anonSessionId: laptop, userId: user }, { now: NOW });
  await writeAttempts(database, { anonSessionId: phone, at: NOW }); // after the link
  return { user, phone, laptop, other };
}

describeOnDatabases('deleteSubject', (ctx) => {
  // Start the engine (PGlite takes seconds on a busy machine) in a hook, not in the first test.
  beforeAll(async () => {
    await ctx.open();
  });

  it('deletes every row of a user, through its links, in both schemas; leaves no trace of its ids', async () => {
    const database = await ctx.open({ now: NOW });
    const { user, phone, laptop, other } = await seedUser(database);
    const stranger = uuid();
    await linkIdentity(database, { anonSessionId: phone, userId: stranger }, { now: NOW }); // conflict row

    const receipt = await deleteSubject(database, { userId: user }, { now: NOW, secret: SECRET });
    expect(receipt.counts).toEqual(
      countsOf(database, {
        'product.trip_creation_attempts': 5,
        'product.trip_creation_events': 10,
        'product.identity_links': 3,
        'admin.trip_creation_attempts': 1,
        'admin.trip_creation_events': 2,
      }),
    );
    expect(receipt).toMatchObject({ subjectKind: 'user', subjectHmac: subjectHmac(SECRET, 'user', user) });
    expect(receipt.requestedAt).toEqual(NOW);
    expect(receipt.completedAt.getTime()).toBeGreaterThanOrEqual(NOW.getTime());

    expect(await scanForIds(database, [user, phone, laptop])).toEqual([]);
    const left = await subjectRows(database, database.schema);
    expect(left).toHaveLength(3);
    expect(left.every((r) => r.anon_session_id === other)).toBe(true);
    const [stored] = await receipts(database);
    expect(stored).toMatchObject({
      id: receipt.id,
      subject_kind: 'user',
      subject_hmac: receipt.subjectHmac,
      counts: receipt.counts,
    });
  });

  it('deletes one anonymous id: its rows and links, not the user’s other devices', async () => {
    const database = await ctx.open({ now: NOW });
    const { user, phone, laptop } = await seedUser(database);
    const receipt = await deleteSubject(database, { anonSessionId: phone }, { now: NOW, secret: SECRET });
    expect(receipt.counts).toMatchObject({
      'product.trip_creation_attempts': 4,
      'product.trip_creation_events': 8,
      'product.identity_links': 1,
      'admin.trip_creation_attempts': 0,
    });
    expect(receipt.subjectHmac).toBe(subjectHmac(SECRET, 'anon', phone));
    expect(await scanForIds(database, [phone])).toEqual([]);
    const admin = await subjectRows(database, database.adminSchema);
    expect(admin.every((r) => r.anon_session_id === laptop && r.user_id === user)).toBe(true);
  });

  it('is idempotent, and an unknown subject gets a receipt with zero counts', async () => {
    const database = await ctx.open({ now: NOW });
    const { user } = await seedUser(database);
    await deleteSubject(database, { userId: user }, { now: NOW, secret: SECRET });
    const again = await deleteSubject(database, { userId: user }, { now: NOW, secret: SECRET });
    const unknown = await deleteSubject(database, { anonSessionId: uuid() }, { now: NOW, secret: SECRET });
    for (const receipt of [again, unknown]) {
      expect(receipt.counts).toEqual(countsOf(database, {}));
    }
    expect(await receipts(database)).toHaveLength(3);
  });

  it('keys receipts with a generated secret kept in server_secrets when none is configured', async () => {
    const database = await ctx.open({ now: NOW });
    const user = uuid();
    const first = await deleteSubject(database, { userId: user }, { now: NOW });
    const second = await deleteSubject(database, { userId: user.toUpperCase() }, { now: NOW });
    expect(second.subjectHmac).toBe(first.subjectHmac);
    const secret = await storedSubjectSecret(database.db, database.schema);
    expect(secret.length).toBeGreaterThanOrEqual(32);
    expect(first.subjectHmac).toBe(subjectHmac(secret, 'user', user));
    expect(first.subjectHmac).not.toBe(subjectHmac(SECRET, 'user', user));
    expect(await scanForIds(database, [user])).toEqual([]);
  });

  it('refuses reserved and malformed ids', async () => {
    const database = await ctx.open({ now: NOW });
    for (const [subject, code] of [
      [{ userId: '00000000-0000-0000-0000-000000000000' }, 'RESERVED_ID'],
      [{ anonSessionId: 'guest' }, 'RESERVED_ID'],
      [{ anonSessionId: ' ' }, 'RESERVED_ID'],
      [{ userId: 'not-a-uuid' }, 'INVALID_ID'],
    ] as const)
      await expect(deleteSubject(database, subject, { secret: SECRET })).rejects.toMatchObject({ code });
    expect(await receipts(database)).toEqual([]);
  });
});
