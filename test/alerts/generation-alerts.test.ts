import { expect, it } from 'vitest';
import { evaluateAlerts, listIncidents } from '../../src/alerts/index.js';
import { loadConfig } from '../../src/config/index.js';
import type { Database } from '../../src/storage/index.js';
import { type AnatomyAttempt, seedAnatomy } from '../support/anatomy.js';
import { describeOnDatabases } from '../support/databases.js';
import { ensurePartitionsBetween } from '../support/ingest.js';

const MIN = 60_000;
const T = Date.UTC(2026, 10, 25, 12, 0);
const config = loadConfig({ env: {} });

describeOnDatabases('stuck attempts and cost per successful trip, from raw rows', (ctx) => {
  const open = async () => {
    const database = await ctx.open({ now: new Date(T) });
    await ensurePartitionsBetween(database, new Date(T - 3 * 86_400_000), new Date(T + 86_400_000));
    return database;
  };
  const evaluate = (database: Database, at: number, generationTimeoutMs = config.generationTimeoutMs) =>
    evaluateAlerts({
      database,
      config: config.alerts,
      now: new Date(at),
      notifiers: [],
      generationTimeoutMs,
    });
  const opened = (result: Awaited<ReturnType<typeof evaluate>>, rule: string) =>
    result.transitions.filter((t) => t.rule === rule).map((t) => t.kind);

  it('fires on attempts pending longer than 2 × generationTimeoutMs after the pending period, and resolves', async () => {
    const database = await open();
    expect(config.generationTimeoutMs).toBe(120_000);
    await seedAnatomy(database, [
      { at: new Date(T - 3 * MIN), status: 'pending', requestId: 'req-young' }, // 3 min: not stuck yet
      { at: new Date(T - 10 * MIN), status: 'success' },
    ]);
    expect(opened(await evaluate(database, T), 'stuck_attempts')).toEqual([]);
    expect(opened(await evaluate(database, T + 2 * MIN), 'stuck_attempts')).toEqual([]); // 5 min: pending
    expect(opened(await evaluate(database, T + 3 * MIN), 'stuck_attempts')).toEqual(['opened']);
    const [incident] = await listIncidents(database.db, database.schema, { state: 'firing' });
    expect(incident).toMatchObject({ rule: 'stuck_attempts', scope: 'overall' });
    // A 10-minute timeout makes the same attempt not stuck: two clear evaluations resolve it.
    expect(opened(await evaluate(database, T + 4 * MIN, 600_000), 'stuck_attempts')).toEqual([]);
    expect(opened(await evaluate(database, T + 5 * MIN, 600_000), 'stuck_attempts')).toEqual(['resolved']);
  });

  it('pages when a prompt change doubles the cost per successful trip, with minimum volume', async () => {
    const database = await open();
    const success = (minutesAgo: number, costUsd: string, version: string): AnatomyAttempt => ({
      at: new Date(T - minutesAgo * MIN),
      version,
      calls: [{ offsetMs: 0, costUsd }],
    });
    // The baseline day: $0.002 per success, every 10 minutes; one unpriced success that must not count.
    await seedAnatomy(database, [
      ...Array.from({ length: 140 }, (_, i) => success(61 + i * 10, '0.002', 'classic_v1')),
      { at: new Date(T - 90 * MIN), calls: [{ offsetMs: 0, costUsd: null }] },
    ]);
    // The last hour: only 10 successes at $0.006 (below the minimum volume of 20): nothing fires.
    await seedAnatomy(
      database,
      Array.from({ length: 10 }, (_, i) => success(55 - i * 5, '0.006', 'classic_v2')),
    );
    expect(opened(await evaluate(database, T), 'cost_per_success')).toEqual([]);
    expect(opened(await evaluate(database, T + 1), 'cost_per_success')).toEqual([]);
    // 20 more successes at twice the price: enough volume, 1.5× exceeded, pending then firing.
    await seedAnatomy(
      database,
      Array.from({ length: 20 }, (_, i) => success(50 - i * 2, '0.004', 'classic_v2')),
    );
    const first = await evaluate(database, T + 2);
    expect(opened(first, 'cost_per_success')).toEqual([]);
    expect(opened(await evaluate(database, T + 3), 'cost_per_success')).toEqual(['opened']);
    const firing = await listIncidents(database.db, database.schema, { state: 'firing' });
    const incident = firing.find((i) => i.rule === 'cost_per_success');
    expect(incident?.baselineRate).toBeCloseTo(0.002, 9);
    expect(incident?.threshold).toBeCloseTo(0.003, 9);
  });
});
