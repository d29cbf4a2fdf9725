import { randomUUID } from 'node:crypto';
import { beforeAll, expect, it } from 'vitest';
import { runRetention } from '../../src/lifecycle/retention.js';
import {
  getFailures,
  getFunnel,
  getModels,
  getRetries,
  getSummary,
  getTimeseries,
  getVersions,
  PURGED_BY_RETENTION,
} from '../../src/metrics/index.js';
import { updateRollups } from '../../src/rollups/index.js';
import type { Database } from '../../src/storage/index.js';
import { describeOnDatabases } from '../support/databases.js';
import { ensurePartitionsBetween } from '../support/ingest.js';
import { seedAttempts, seedClicks, seedLink } from './seed.js';

const DAY = 86_400_000;
const T0 = new Date('2026-03-10T00:00:00Z');
const day = (n: number) => new Date(T0.getTime() + n * DAY);
/** The 48-hour range of the issue: short, so it reads raw rows while they exist. */
const RANGE = { from: T0, to: day(2) };
const SESSION_FIGURES = ['sessions.anonSessions', 'sessions.attemptsPerAnonSession', 'sessions.linkedShare'];

describeOnDatabases('figures after retention purged the raw rows', (ctx) => {
  let database: Database;
  const sessions = Array.from({ length: 5 }, () => randomUUID());

  beforeAll(async () => {
    database = await ctx.open({ now: T0 });
    await ensurePartitionsBetween(database, day(-40), day(40));
    // 20 attempts over 48 hours from 5 sessions (4 each, the third 2 minutes after a failure),
    // 3 of them signed in; 2 sessions linked at login; a CTA click before each session's first.
    await seedAttempts(
      database,
      Array.from({ length: 20 }, (_, i) => ({
        at: new Date(T0.getTime() + (i % 5) * 9 * 3_600_000 + Math.floor(i / 5) * 60_000 + 30_000),
        status: Math.floor(i / 5) === 1 ? ('failed' as const) : ('success' as const),
        durationMs: 800 + i * 150,
        anon: sessions[i % 5]!,
        user: i < 3 ? randomUUID() : null,
        provider: i % 2 === 0 ? 'openai' : 'gemini',
      })),
    );
    await seedLink(database, sessions[0]!);
    await seedLink(database, sessions[1]!);
    await seedClicks(
      database,
      sessions.map((anon, i) => ({ at: new Date(T0.getTime() + i * 9 * 3_600_000), anon })),
    );
    await updateRollups(database, { now: day(3) });
  }, 180_000);

  it('keeps counts, rates and percentiles (±5 %) and reports session figures unknown, never 0', async () => {
    const before = await getSummary(database, RANGE);
    expect(before).toMatchObject({ attempts: 20, succeeded: 15, failed: 5, exact: true, unavailable: {} });
    expect(before.sessions).toMatchObject({ anonSessions: 5, attemptsPerAnonSession: 4, linkedShare: 0.4 });
    const rollupBacked = async () => ({
      series: (await getTimeseries(database, RANGE, 'day')).points.map((p) => [p.t, p.attempts, p.failed]),
      failures: (await getFailures(database, RANGE)).rows.map((r) => [r.errorCode, r.count, r.rate]),
      models: (await getModels(database, RANGE)).rows.map((r) => [r.provider, r.attempts, r.successRate]),
      versions: (await getVersions(database, RANGE)).rows.map((r) => [r.promptContractVersion, r.attempts]),
    });
    const figuresBefore = await rollupBacked();
    expect(figuresBefore.series.map((p) => p[1])).toEqual([12, 8]);
    const retriesBefore = await getRetries(database, RANGE);
    expect(retriesBefore).toMatchObject({ sessions: 5, retries: 15, unavailable: {} });

    await runRetention(database, { now: day(200) });
    const after = await getSummary(database, RANGE);
    expect(after).toMatchObject({
      attempts: 20,
      succeeded: 15,
      failed: 5,
      pending: 0,
      successRate: before.successRate,
      failureRate: before.failureRate,
      signedInShare: before.signedInShare,
      exact: false,
    });
    for (const p of ['p50', 'p95', 'p99'] as const)
      expect(Math.abs(after.durationMs[p]! - before.durationMs[p]!) / before.durationMs[p]!).toBeLessThan(
        0.05,
      );
    expect(after.sessions).toEqual({
      anonSessions: null,
      attemptsPerAnonSession: null,
      linkedShare: null,
      sampled: 1,
    });
    expect(after.unavailable).toEqual(
      Object.fromEntries(SESSION_FIGURES.map((f) => [f, PURGED_BY_RETENTION])),
    );

    const retries = await getRetries(database, RANGE);
    expect(retries).toMatchObject({
      sessions: null,
      sessionsWithRetry: null,
      retries: null,
      retrySuccessRate: null,
    });
    expect(retries.unavailable.retries).toBe(PURGED_BY_RETENTION);

    // The same answers from the other rollup-backed figures.
    expect(await rollupBacked()).toEqual(figuresBefore);

    const funnel = await getFunnel(database, RANGE);
    expect(funnel.steps.map((s) => s.count)).toEqual([5, expect.any(Number), expect.any(Number)]);
    expect(funnel).toMatchObject({ estimated: true, timeToConvertSeconds: { p50: null, p95: null } });
    expect(funnel.unavailable).toEqual({ timeToConvertSeconds: PURGED_BY_RETENTION });
    const filtered = await getFunnel(database, { ...RANGE, provider: 'openai' });
    expect(filtered.steps.map((s) => s.count)).toEqual([5, null, null]);
    expect(filtered.overallConversion).toBeNull();
    expect(Object.keys(filtered.unavailable).sort()).toEqual([
      'overallConversion',
      'steps.attempted',
      'steps.succeeded',
      'timeToConvertSeconds',
    ]);
  });

  it('does not call a figure unknown where retention deleted nothing it would count', async () => {
    // After the finalized hours: raw rows, all known.
    const later = { from: day(150), to: day(152) };
    expect((await getSummary(database, later)).unavailable).toEqual({});
    expect((await getRetries(database, later)).unavailable).toEqual({});
    // Finalized hours that held no attempt of the filter: nothing was lost to it.
    const other = await getSummary(database, { ...RANGE, provider: 'mistral' });
    expect(other).toMatchObject({ attempts: 0, unavailable: {} });
    expect(other.sessions.anonSessions).toBe(0);
  });
});
