import { readFileSync } from 'node:fs';
import { sql } from 'kysely';
import { expect, it } from 'vitest';
import { runRetention } from '../../src/lifecycle/index.js';
import { getSummary, getTimeseries } from '../../src/metrics/index.js';
import { updateRollups } from '../../src/rollups/index.js';
import { parseMetricsParams } from '../../src/server/routes/metrics-params.js';
import { loadMigrationFiles, renderMigration } from '../../src/storage/migration-files.js';
import { createTripmeter } from '../../src/store/index.js';
import { describeOnDatabases } from '../support/databases.js';
import { ensurePartitionsBetween } from '../support/ingest.js';

const DAY = 86_400_000;
const T0 = new Date('2026-03-10T00:00:00Z');
const day = (n: number) => new Date(T0.getTime() + n * DAY);
const RANGE = { from: T0, to: day(2) };
const enqueueBody = JSON.parse(
  readFileSync(new URL('../fixtures/enqueue-body.json', import.meta.url), 'utf8'),
).example;

describeOnDatabases('flow as a dimension', (ctx) => {
  it('is stored from the start, survives the snapshot scrub, and filters metrics from rollups after the purge', async () => {
    const database = await ctx.open({ now: T0 });
    await ensurePartitionsBetween(database, day(-40), day(40));
    let clock = T0.getTime() + 3_600_000;
    const tracker = createTripmeter({ database, now: () => clock });
    // Wizard: explicit, or from the input; classic: the app's whole enqueue body; one without a flow.
    const handles = [
      tracker.startAttempt({ requestId: 'w1', flow: 'wizard' }),
      tracker.startAttempt({ requestId: 'w2', input: { flow: 'wizard', options: { budget: 'Low' } } }),
      tracker.startAttempt({ requestId: 'w3', flow: 'wizard', input: { flow: 'classic' } }),
      tracker.startAttempt({ requestId: 'c1', input: enqueueBody }),
      // The app's browser started this one 90 s before it enqueued.
      tracker.startAttempt({ requestId: 'c2', input: enqueueBody, startedAt: clock - 90_000 }),
      tracker.startAttempt({ requestId: 'n1' }),
    ];
    clock += 10_000;
    for (const [i, handle] of handles.entries()) {
      if (i === 1) handle.fail({ errorCode: 'OPENAI_REQUEST_TIMEOUT' });
      else handle.succeed({ tripId: `trip-${i}` });
    }
    await tracker.shutdown();

    const db = database.db.withSchema(database.schema);
    const rows = async () =>
      db
        .selectFrom('trip_creation_attempts')
        .select(['request_id', 'flow', 'input_snapshot_json', 'duration_ms', 'created_at'])
        .orderBy('request_id')
        .execute();
    const stored = await rows();
    expect(stored.map((r) => [r.request_id, r.flow])).toEqual([
      ['c1', 'classic'],
      ['c2', 'classic'],
      ['n1', null],
      ['w1', 'wizard'],
      ['w2', 'wizard'],
      ['w3', 'wizard'],
    ]);
    const c2 = stored.find((r) => r.request_id === 'c2')!;
    expect(c2.created_at.getTime()).toBe(T0.getTime() + 3_600_000 - 90_000);
    expect(c2.duration_ms).toBe(100_000);

    const wizard = { ...RANGE, flow: 'wizard' };
    const classic = { ...RANGE, flow: 'classic' };
    expect(await getSummary(database, wizard)).toMatchObject({ attempts: 3, succeeded: 2, failed: 1 });
    expect(await getSummary(database, classic)).toMatchObject({ attempts: 2, succeeded: 2 });

    // 35 days on: snapshots are scrubbed, the flow stays and still filters.
    await runRetention(database, { now: day(35) });
    const scrubbed = await rows();
    expect(scrubbed.every((r) => r.input_snapshot_json === null)).toBe(true);
    expect(scrubbed.map((r) => r.flow)).toEqual(stored.map((r) => r.flow));
    expect(await getSummary(database, wizard)).toMatchObject({ attempts: 3, exact: true });

    // 200 days on: raw rows are gone, the rollups answer by flow.
    await updateRollups(database, { now: day(36) });
    await runRetention(database, { now: day(200) });
    expect(await rows()).toEqual([]);
    expect(await getSummary(database, wizard)).toMatchObject({ attempts: 3, succeeded: 2, failed: 1 });
    expect(await getSummary(database, classic)).toMatchObject({ attempts: 2, succeeded: 2, failed: 0 });
    expect(await getSummary(database, { ...RANGE, flow: 'surprise' })).toMatchObject({ attempts: 0 });
    expect(await getSummary(database, RANGE)).toMatchObject({ attempts: 6 });
    const series = await getTimeseries(database, { from: T0, to: day(1), flow: 'wizard' }, 'day');
    expect(series.points.map((p) => p.attempts)).toEqual([3]);
  }, 120_000);

  it('migration 0010 gives rows stored before it the flow of their snapshot, and their hours to the rollups', async () => {
    const database = await ctx.open({ now: T0 });
    let clock = T0.getTime();
    const tracker = createTripmeter({ database, now: () => clock });
    tracker.startAttempt({ requestId: 'old-1', input: enqueueBody }).succeed();
    tracker.startAttempt({ requestId: 'old-2', input: { flow: 'wizard' } }).succeed();
    tracker.startAttempt({ requestId: 'old-3', input: { budget: 'Low' } }).succeed();
    await tracker.shutdown();
    await updateRollups(database, { now: day(1) });
    // Stand-in for rows and rollups written before 0010: no flow column values yet.
    const attempts = sql.table(`${database.schema}.trip_creation_attempts`);
    await sql`UPDATE ${attempts} SET flow = NULL`.execute(database.db);
    clock = day(1).getTime();
    await updateRollups(database, { now: day(1) });
    expect(await getSummary(database, { ...RANGE, flow: 'wizard' })).toMatchObject({ attempts: 0 });

    const file = loadMigrationFiles().find((m) => m.version === 10)!;
    const backfill = file.template.slice(
      file.template.indexOf('-- Backfill'),
      file.template.indexOf('-- End of backfill'),
    );
    await database.execScriptInTransaction(renderMigration(backfill, database.schema, database.adminSchema));
    const { rows } = await sql<{ request_id: string; flow: string | null }>`
      SELECT request_id, flow FROM ${attempts} ORDER BY request_id`.execute(database.db);
    expect(rows.map((r) => [r.request_id, r.flow])).toEqual([
      ['old-1', 'classic'],
      ['old-2', 'wizard'],
      ['old-3', null],
    ]);
    await updateRollups(database, { now: day(1) });
    // A long range reads the rollups: the incremental run saw the updated rows.
    const long = { from: day(-10), to: day(2) };
    expect(await getSummary(database, { ...long, flow: 'wizard' })).toMatchObject({
      attempts: 1,
      exact: false,
    });
    expect(await getSummary(database, { ...long, flow: 'classic' })).toMatchObject({ attempts: 1 });
  }, 120_000);
});

it('the metrics routes take flow= as a snake_case identifier', () => {
  const now = new Date('2026-03-10T00:00:00Z');
  expect(parseMetricsParams('http://x/v1/metrics/summary?flow=wizard', now).query.flow).toBe('wizard');
  expect(() => parseMetricsParams('http://x/v1/metrics/summary?flow=Wizard%20Flow', now)).toThrow(/flow/);
});
