import { sql } from 'kysely';
import { expect, it } from 'vitest';
import { linkIdentity } from '../../src/identity/index.js';
import { runRetention } from '../../src/lifecycle/retention.js';
import { getSummary, getTimeseries, PURGED_BY_RETENTION } from '../../src/metrics/index.js';
import { updateRollups } from '../../src/rollups/index.js';
import type { Database } from '../../src/storage/index.js';
import { rolledUp } from '../rollups/rolled-up.js';
import { describeOnDatabases } from '../support/databases.js';
import { durations, ensurePartitionsBetween, seedAttempts } from '../support/ingest.js';

const DAY = 86_400_000;
const T0 = new Date('2026-03-10T12:00:00Z');
const LATER = new Date('2026-03-25T12:00:00Z'); // same monthly partition, keeps it alive
const day = (n: number, from = T0) => new Date(from.getTime() + n * DAY);

async function attempts(database: Database, schema = database.schema) {
  const { rows } = await sql<{
    created_at: Date;
    input_snapshot_json: unknown;
    effective_defaults_json: unknown;
  }>`SELECT created_at, input_snapshot_json, effective_defaults_json
     FROM ${sql.table(`${schema}.trip_creation_attempts`)} ORDER BY created_at`.execute(database.db);
  return rows;
}

async function failedPayloads(database: Database) {
  const { rows } = await sql<{ payload_json: Record<string, unknown> }>`
    SELECT payload_json FROM ${sql.table(`${database.schema}.trip_creation_events`)}
    WHERE event_type = 'create_trip_failed' ORDER BY created_at`.execute(database.db);
  return rows.map((row) => row.payload_json);
}

async function partitions(database: Database) {
  const { rows } = await sql<{ name: string }>`
    SELECT c.relname AS name FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
    WHERE i.inhparent = to_regclass(${`${database.schema}.trip_creation_attempts`}) ORDER BY 1`.execute(
    database.db,
  );
  return rows.map((row) => row.name);
}

async function seeded(ctx: { open(o?: { now?: Date }): Promise<Database> }) {
  const database = await ctx.open({ now: T0 });
  await ensurePartitionsBetween(database, day(-40), day(40));
  await seedAttempts(database, [
    { at: T0, durationMs: 1200, outcome: 'failed', error: new Error('upstream 503 at edge') },
    { at: LATER, durationMs: 900, outcome: 'success' },
  ]);
  return database;
}

describeOnDatabases('retention', (ctx) => {
  it('scrubs snapshots and note-bearing keys on day 31, not on day 29', async () => {
    const database = await seeded(ctx);
    const on29 = await runRetention(database, { now: day(29) });
    expect(on29.tables.reduce((n, t) => n + t.rowsScrubbed, 0)).toBe(0);
    expect((await attempts(database))[0]!.input_snapshot_json).not.toBeNull();
    expect((await failedPayloads(database))[0]).toHaveProperty('error_message');

    const on31 = await runRetention(database, { now: day(31) });
    const product = on31.tables.filter(
      (t) =>
        t.schema === database.schema && ['trip_creation_attempts', 'trip_creation_events'].includes(t.table),
    );
    expect(product.map((t) => [t.table, t.rowsScrubbed])).toEqual([
      ['trip_creation_attempts', 1],
      ['trip_creation_events', 1], // the failed event's error_message (the others carry no notes)
    ]);
    const [old, recent] = await attempts(database);
    expect(old).toMatchObject({ input_snapshot_json: null, effective_defaults_json: null });
    expect(recent!.input_snapshot_json).not.toBeNull();
    const payload = (await failedPayloads(database))[0]!;
    expect(payload).not.toHaveProperty('error_message');
    expect(payload).toMatchObject({ error_code: 'OPENAI_REQUEST_TIMEOUT' });
    // Idempotent: nothing left to scrub.
    const again = await runRetention(database, { now: day(31) });
    expect(again.tables.reduce((n, t) => n + t.rowsScrubbed, 0)).toBe(0);
  });

  it('deletes rows on day 91, not on day 89, by DELETE in the boundary partition', async () => {
    const database = await seeded(ctx);
    const on89 = await runRetention(database, { now: day(89) });
    expect(await attempts(database)).toHaveLength(2);
    // The empty January and February partitions lie wholly before the cutoff: dropped.
    const first = on89.tables.find(
      (t) => t.schema === database.schema && t.table === 'trip_creation_attempts',
    )!;
    expect(first.droppedPartitions.map((p) => p.split('.')[1])).toEqual([
      'trip_creation_attempts_p2026_01',
      'trip_creation_attempts_p2026_02',
    ]);
    const on91 = await runRetention(database, { now: day(91) });
    const rows = await attempts(database);
    expect(rows.map((r) => r.created_at.toISOString())).toEqual([LATER.toISOString()]);
    const table = on91.tables.find(
      (t) => t.schema === database.schema && t.table === 'trip_creation_attempts',
    )!;
    expect(table.rowsDeleted).toBe(1);
    expect(table.droppedPartitions).toEqual([]);
    expect(await partitions(database)).toContain('trip_creation_attempts_p2026_03');
  });

  it('drops a partition once all of it is expired, in both schemas', async () => {
    const database = await seeded(ctx);
    const result = await runRetention(database, { now: new Date('2026-07-01T00:00:00Z') });
    expect(await attempts(database)).toHaveLength(0);
    expect(await partitions(database)).not.toContain('trip_creation_attempts_p2026_03');
    const dropped = result.tables.flatMap((t) => t.droppedPartitions);
    expect(dropped).toContain(`${database.schema}.trip_creation_events_p2026_03`);
    expect(dropped).toContain(`${database.adminSchema}.trip_creation_attempts_p2026_03`);
    expect(result.tables.every((t) => t.rowsDeleted === 0)).toBe(true);
  });

  it('keeps the metrics of a period identical after its raw rows are purged', async () => {
    const database = await ctx.open({ now: T0 });
    await ensurePartitionsBetween(database, day(-40), day(40));
    const ds = durations(120, 11);
    await seedAttempts(
      database,
      ds.map((d, i) => ({
        at: new Date(T0.getTime() + i * 5 * 60_000), // ten hours
        durationMs: d,
        outcome: i % 7 === 0 ? 'failed' : 'success',
      })),
    );
    const period = { from: day(-1), to: day(2) };
    await updateRollups(database, { now: day(1) });
    const before = await rolledUp(database, period);
    expect(before.attempts).toBe(120);
    // The API answers too: whole days from the daily rollups, edge hours from the hourly ones.
    const daily = sql`SELECT * FROM ${sql.table(`${database.schema}.attempt_rollups_daily`)} ORDER BY bucket, status`;
    const dailyBefore = (await daily.execute(database.db)).rows;
    expect(dailyBefore.length).toBeGreaterThan(0);
    const summaryBefore = await getSummary(database, period);
    const seriesBefore = await getTimeseries(database, period, 'day');
    expect(summaryBefore).toMatchObject({ attempts: 120, exact: false });
    await runRetention(database, { now: day(200) });
    expect(await attempts(database)).toHaveLength(0);
    expect(await rolledUp(database, period)).toEqual(before);
    expect((await daily.execute(database.db)).rows).toEqual(dailyBefore);
    // Every figure the rollups hold keeps its value; the session figures need raw rows (rollups
    // hold no identifiers), so after the purge they are unknown, with the reason, never 0.
    const { sessions, unavailable, ...kept } = await getSummary(database, period);
    const { sessions: sessionsBefore, unavailable: unavailableBefore, ...keptBefore } = summaryBefore;
    expect(kept).toEqual(keptBefore);
    expect(unavailableBefore).toEqual({});
    expect(sessionsBefore.anonSessions).toBe(0);
    expect(sessions).toMatchObject({ anonSessions: null, attemptsPerAnonSession: null, linkedShare: null });
    expect(Object.values(unavailable)).toEqual(Array(3).fill(PURGED_BY_RETENTION));
    expect(await getTimeseries(database, period, 'day')).toEqual(seriesBefore);
  });

  it('finalizes rollups before purging even when the minute job never ran', async () => {
    const database = await seeded(ctx);
    await runRetention(database, { now: day(200) });
    const summary = await rolledUp(database, { from: day(-1), to: day(20) });
    // By status: 1 failed, 1 success, and no other status.
    expect([summary.failed, summary.succeeded, summary.pending]).toEqual([1, 1, 0]);
    expect(summary.durationSumMs).toBe(2100);
  });

  it('deletes identity links older than the row window once their rows are gone, not before', async () => {
    const database = await ctx.open({ now: T0 });
    await ensurePartitionsBetween(database, day(-40), day(200));
    const gone = '11111111-1111-4111-8111-111111111111';
    const kept = '22222222-2222-4222-8222-222222222222';
    const user = '33333333-3333-4333-8333-333333333333';
    await seedAttempts(database, [
      { at: T0, durationMs: 100, outcome: 'success', anonSessionId: gone },
      { at: T0, durationMs: 100, outcome: 'success', anonSessionId: kept },
      { at: day(95), durationMs: 100, outcome: 'success', anonSessionId: kept }, // still has rows later
    ]);
    await linkIdentity(database, { anonSessionId: gone, userId: user }, { now: day(1) });
    await linkIdentity(database, { anonSessionId: kept, userId: user }, { now: day(1) });
    const links = async () =>
      (
        await sql<{
          anon_session_id: string;
        }>`SELECT anon_session_id FROM ${sql.table(`${database.schema}.identity_links`)}
        ORDER BY 1`.execute(database.db)
      ).rows.map((r) => r.anon_session_id);
    await runRetention(database, { now: day(90) }); // link is 89 days old: stays
    expect(await links()).toEqual([gone, kept]);
    await runRetention(database, { now: day(92) }); // 91 days old, rows of `gone` purged
    expect(await links()).toEqual([kept]);
  });

  it('validates the windows', async () => {
    const database = await ctx.open({ now: T0 });
    await expect(runRetention(database, { now: T0, snapshotDays: 100, rowDays: 90 })).rejects.toThrow(
      /snapshotRetentionDays \(100\) must not exceed rowRetentionDays \(90\)/,
    );
    await expect(runRetention(database, { now: T0, rowDays: 400 })).rejects.toThrow(/from 1 to 365/);
  });
});
