import { beforeAll, expect, it } from 'vitest';
import { getPhases } from '../../src/metrics/index.js';
import { rebuildRollups } from '../../src/rollups/index.js';
import type { Database } from '../../src/storage/index.js';
import { seedAnatomy as seedGeneration } from '../support/anatomy.js';
import { describeOnDatabases } from '../support/databases.js';
import { ensurePartitionsBetween } from '../support/ingest.js';

const HOUR = 3_600_000;
const T0 = new Date('2026-04-06T00:00:00Z');
const at = (hours: number) => new Date(T0.getTime() + hours * HOUR);

/**
 * Three attempts: one whose phases fit in it, one whose provider_call phase outlasts the attempt
 * (the worker kept going after the attempt timed out), one still pending (no end-to-end time).
 */
async function seed(database: Database) {
  await ensurePartitionsBetween(database, at(-48), at(24 * 8));
  await seedGeneration(database, [
    {
      at: at(10.1),
      durationMs: 10_000,
      phases: [
        { phase: 'queue_wait', offsetMs: 0, durationMs: 1_000 },
        { phase: 'provider_call', offsetMs: 1_000, durationMs: 6_000 },
      ],
    },
    {
      at: at(11.2),
      status: 'failed',
      durationMs: 2_000,
      phases: [{ phase: 'provider_call', offsetMs: 0, durationMs: 5_000 }],
    },
    {
      at: at(12.3),
      status: 'pending',
      phases: [{ phase: 'provider_call', offsetMs: 0, durationMs: 3_000 }],
    },
  ]);
}

const shares = async (database: Database, from: Date, to: Date) =>
  Object.fromEntries(
    (await getPhases(database, { from, to })).phases.map((p) => [
      p.phase,
      { share: p.shareOfEndToEnd, count: p.count, meanMs: p.meanMs },
    ]),
  );

describeOnDatabases('phase share of end-to-end', (ctx) => {
  let database: Database;

  beforeAll(async () => {
    database = await ctx.open({ now: T0 });
    await seed(database);
  }, 120_000);

  // provider_call: (6,000 + min(5,000, 2,000)) / (10,000 + 2,000); the pending attempt has no
  // end-to-end time and stays out of the share, not out of the count and mean.
  const expected = {
    queue_wait: { share: 0.1, count: 1, meanMs: 1_000 },
    provider_call: { share: 8_000 / 12_000, count: 3, meanMs: 14_000 / 3 },
  };

  it('caps each phase at its attempt end to end, from raw rows (a short range)', async () => {
    const got = await shares(database, at(0), at(24));
    expect(got.queue_wait).toEqual(expected.queue_wait);
    expect(got.provider_call!.count).toBe(3);
    expect(got.provider_call!.share).toBeCloseTo(expected.provider_call.share, 12);
    expect(got.provider_call!.meanMs).toBeCloseTo(expected.provider_call.meanMs, 0);
  });

  it('gives the same shares from the hourly and daily rollups (a 7-day range), never above 1', async () => {
    await rebuildRollups(database, { now: at(24 * 7) });
    const got = await shares(database, at(-24), at(24 * 6));
    expect(got.queue_wait).toEqual(expected.queue_wait);
    expect(got.provider_call!.share).toBeCloseTo(expected.provider_call.share, 12);
    // Whole days from the daily rollups plus an hourly edge: same answer.
    const edged = await shares(database, at(5.5), at(24 * 3 + 0.5));
    expect(edged.provider_call!.share).toBeCloseTo(expected.provider_call.share, 12);
    for (const { share } of Object.values(got)) expect(share!).toBeLessThanOrEqual(1);
  });
});
