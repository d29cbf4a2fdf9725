import { sql } from 'kysely';
import { beforeAll, expect, it } from 'vitest';
import { getSummary, getTimeseries } from '../../src/metrics/index.js';
import { rebuildRollups, updateRollups } from '../../src/rollups/index.js';
import { describeOnDatabases } from '../support/databases.js';
import { seedAttempts } from './seed.js';

const NOW = new Date('2026-11-25T12:00:00Z');
const T = (iso: string) => new Date(iso);
const MIN = 60_000;
/** Five days and a bit, partial hours at both ends: raw edges, hourly edge hours, daily middle. */
const RANGE = { from: T('2026-11-19T05:30:00Z'), to: T('2026-11-24T07:45:00Z') };

/** 1,000 attempts every ~8 minutes from 2026-11-19T00:00 on, three providers, 10 % failed. */
const attempts = Array.from({ length: 1000 }, (_, i) => ({
  at: new Date(T('2026-11-19T00:00:00Z').getTime() + i * 8 * MIN + 13_000),
  durationMs: 800 + ((i * 7919) % 500) * 60,
  status: (i % 10 === 0 ? 'failed' : 'success') as 'failed' | 'success',
  provider: ['openai', 'gemini', 'anthropic'][i % 3]!,
  user: i % 4 === 0 ? '7c9e6679-7425-40de-944b-e07fc1f90ae7' : null,
}));

describeOnDatabases('metrics over daily rollups', (ctx) => {
  beforeAll(() => ctx.open({ now: NOW }), 180_000);

  it('whole days, edge hours and raw edges add up to the raw answer; series too', async () => {
    const database = await ctx.open({ now: NOW });
    await seedAttempts(database, attempts);
    const filters = [{}, { provider: 'gemini' }];
    const raw = await Promise.all(filters.map((filter) => getSummary(database, { ...RANGE, ...filter })));
    const rawDaily = await getTimeseries(database, RANGE, 'day');
    const rawHourly = await getTimeseries(database, RANGE, 'hour');
    expect(raw[0]!.exact).toBe(true);
    await rebuildRollups(database, { now: NOW });
    for (const [i, filter] of filters.entries()) {
      const rolled = await getSummary(database, { ...RANGE, ...filter });
      const want = raw[i]!;
      expect(rolled.exact).toBe(false);
      expect(rolled).toMatchObject({
        attempts: want.attempts,
        succeeded: want.succeeded,
        failed: want.failed,
        signedInShare: want.signedInShare,
      });
      for (const p of ['p50', 'p95', 'p99'] as const)
        expect(
          Math.abs(rolled.durationMs[p]! - want.durationMs[p]!) / want.durationMs[p]!,
        ).toBeLessThanOrEqual(0.05);
    }
    expect(raw[1]!.attempts).toBeGreaterThan(100);
    const daily = await getTimeseries(database, RANGE, 'day');
    expect(daily.exact).toBe(false);
    expect(daily.points.map((p) => [p.t, p.attempts, p.failed])).toEqual(
      rawDaily.points.map((p) => [p.t, p.attempts, p.failed]),
    );
    const hourly = await getTimeseries(database, RANGE, 'hour');
    expect(hourly.points.map((p) => [p.t, p.attempts, p.failed])).toEqual(
      rawHourly.points.map((p) => [p.t, p.attempts, p.failed]),
    );
  });

  it('reads whole days from the daily table and re-reads a cached day when its generation changes', async () => {
    const database = await ctx.open({ now: NOW });
    await seedAttempts(database, attempts);
    await rebuildRollups(database, { now: NOW });
    const before = await getSummary(database, RANGE);
    expect((await getSummary(database, RANGE)).attempts).toBe(before.attempts); // cached

    // A late write into a whole day of the range: the minute job rewrites that day, the next read sees it.
    await seedAttempts(database, [
      { at: '2026-11-21T10:00:00Z' },
      { at: '2026-11-21T23:59:59Z', status: 'failed' },
    ]);
    await updateRollups(database, { now: NOW });
    const after = await getSummary(database, RANGE);
    expect(after).toMatchObject({ attempts: before.attempts + 2, failed: before.failed + 1 });

    // Whole days come from attempt_rollups_daily: a change there (with a new generation) shows.
    await sql`UPDATE ${sql.table(`${database.schema}.attempt_rollups_daily`)} SET attempts = attempts + 1000
      WHERE bucket = '2026-11-22T00:00:00Z' AND status = 'success' AND provider = 'openai' AND NOT signed_in`.execute(
      database.db,
    );
    const unchanged = await getSummary(database, RANGE);
    expect(unchanged.attempts).toBe(after.attempts); // same generation: the cached day stands
    await sql`UPDATE ${sql.table(`${database.schema}.rollup_day_generations`)} SET generation = generation + 1
      WHERE day = '2026-11-22T00:00:00Z'`.execute(database.db);
    expect((await getSummary(database, RANGE)).attempts).toBe(after.attempts + 1000);
  });

  it('reuses the session figures of a long range until its days are rolled up again', async () => {
    const database = await ctx.open({ now: NOW });
    const anon = (i: number) => `1b9d6bcd-bbfd-4b2d-9b5d-ab8dfbbd${String(i).padStart(4, '0')}`;
    await seedAttempts(
      database,
      attempts.map((a, i) => ({ ...a, anon: anon(i % 40) })),
    );
    await rebuildRollups(database, { now: NOW });
    const before = await getSummary(database, RANGE);
    expect(before.sessions.anonSessions).toBe(40);
    // A late attempt of a new session: not in the figures until the minute job rolls its day up.
    await seedAttempts(database, [{ at: '2026-11-21T10:00:00Z', anon: anon(99) }]);
    expect((await getSummary(database, RANGE)).sessions.anonSessions).toBe(40);
    await updateRollups(database, { now: NOW });
    const after = await getSummary(database, RANGE);
    expect(after.sessions.anonSessions).toBe(41);
    expect(after.attempts).toBe(before.attempts + 1);
  });
});
