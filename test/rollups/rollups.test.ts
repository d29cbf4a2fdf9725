import { sql } from 'kysely';
import { expect, it } from 'vitest';
import { rebuildRollups, updateRollups } from '../../src/rollups/index.js';
import type { Database } from '../../src/storage/index.js';
import { describeOnDatabases } from '../support/databases.js';
import { durations, seedAttempts } from '../support/ingest.js';
import { rolledUp } from './rolled-up.js';

const T0 = new Date('2026-11-25T10:00:00Z');
const HOUR = 3_600_000;
const anon = (i: number) => `5b0f3c2e-8f1a-4c1e-9d2b-${String(i).padStart(12, '0')}`;

async function rollupRows(database: Database) {
  const { rows } = await sql`
    SELECT bucket, status, error_code, provider, signed_in, attempts, duration_count, duration_sum_ms, duration_hist
    FROM ${sql.table(`${database.schema}.attempt_rollups_hourly`)} ORDER BY 1, 2, 3, 4, 5`.execute(
    database.db,
  );
  return rows;
}

describeOnDatabases('hourly rollups', (ctx) => {
  it('aggregates attempts per hour and dimension, incrementally and idempotently', async () => {
    const database = await ctx.open({ now: T0 });
    const ds = durations(60);
    await seedAttempts(
      database,
      ds.map((d, i) => ({
        at: new Date(T0.getTime() + i * 60_000),
        durationMs: d,
        outcome: i % 5 === 0 ? 'failed' : 'success',
        anonSessionId: anon(i),
        userId: i % 2 === 0 ? '7c9e6679-7425-40de-944b-e07fc1f90ae7' : undefined,
      })),
    );
    const first = await updateRollups(database, { now: new Date(T0.getTime() + 2 * HOUR) });
    expect(first.hoursRecomputed).toBeGreaterThanOrEqual(1);
    const summary = await rolledUp(database, { from: T0, to: new Date(T0.getTime() + 2 * HOUR) });
    expect(summary.attempts).toBe(60);
    // By status: 48 success, 12 failed, and no other status.
    expect([summary.succeeded, summary.failed, summary.pending]).toEqual([48, 12, 0]);
    expect(summary.byErrorCode).toEqual({ OPENAI_REQUEST_TIMEOUT: 12 });
    expect(summary.durationSumMs).toBe(ds.reduce((a, b) => a + b, 0));
    const sorted = [...ds].sort((a, b) => a - b);
    expect(Math.abs(summary.p50! - sorted[29]!) / sorted[29]!).toBeLessThanOrEqual(0.05);

    // Nothing changed: the next run recomputes only the current hour and changes nothing.
    const before = await rollupRows(database);
    const second = await updateRollups(database, { now: new Date(T0.getTime() + 2 * HOUR + 60_000) });
    expect(second.hoursRecomputed).toBe(1);
    expect(await rollupRows(database)).toEqual(before);

    // A late write into an old hour is picked up by the next run.
    await seedAttempts(database, [
      { at: new Date(T0.getTime() - 5 * HOUR), durationMs: 500, outcome: 'success' },
    ]);
    await updateRollups(database, { now: new Date(T0.getTime() + 2 * HOUR + 120_000) });
    const late = await rolledUp(database, { from: new Date(T0.getTime() - 6 * HOUR), to: T0 });
    expect(late.attempts).toBe(1);

    // A rebuild from scratch yields exactly what the incremental runs built.
    const incremental = await rollupRows(database);
    await sql`DELETE FROM ${sql.table(`${database.schema}.attempt_rollups_hourly`)}`.execute(database.db);
    await rebuildRollups(database, { now: new Date(T0.getTime() + 3 * HOUR) });
    expect(await rollupRows(database)).toEqual(incremental);
  });

  it('counts the funnel, with CTA clicks once the client events table exists', async () => {
    const database = await ctx.open({ now: T0 });
    // A database from before migration 0004: no client events table yet.
    await sql`DROP TABLE IF EXISTS ${sql.table(`${database.schema}.trip_creation_client_events`)}`.execute(
      database.db,
    );
    await seedAttempts(database, [
      { at: new Date(T0.getTime() + 60_000), durationMs: 1000, outcome: 'success', anonSessionId: anon(1) },
      { at: new Date(T0.getTime() + 120_000), durationMs: 1000, outcome: 'failed', anonSessionId: anon(2) },
    ]);
    await updateRollups(database, { now: new Date(T0.getTime() + HOUR) });
    const funnel = sql.table(`${database.schema}.funnel_rollups_hourly`);
    const { rows: without } = await sql`SELECT * FROM ${funnel}`.execute(database.db);
    expect(without).toMatchObject([
      { cta_clicks: 0, attempts: 2, successes: 1, attempt_to_success: 1, client_events_available: false },
    ]);

    // Stand-in for migration 0004: same columns, unpartitioned.
    await sql`CREATE TABLE ${sql.table(`${database.schema}.trip_creation_client_events`)} (
      id uuid PRIMARY KEY, created_at timestamptz NOT NULL, anon_session_id text, user_id uuid,
      name text NOT NULL, props jsonb)`.execute(database.db);
    const clicks = [anon(1), anon(2), anon(3)].map((a, i) => ({
      id: `00000000-0000-4000-8000-00000000000${i}`,
      at: new Date(T0.getTime() + 30_000).toISOString(),
      a,
    }));
    for (const c of clicks)
      await sql`INSERT INTO ${sql.table(`${database.schema}.trip_creation_client_events`)}
        VALUES (${c.id}, ${c.at}, ${c.a}, NULL, 'create_trip__cta--generate', '{}')`.execute(database.db);
    await rebuildRollups(database, { now: new Date(T0.getTime() + HOUR) });
    const { rows: withClient } = await sql`SELECT * FROM ${funnel}`.execute(database.db);
    expect(withClient).toMatchObject([
      { cta_clicks: 3, cta_to_attempt: 2, attempts: 2, successes: 1, client_events_available: true },
    ]);
  });
});
