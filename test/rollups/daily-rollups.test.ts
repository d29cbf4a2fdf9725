import { sql } from 'kysely';
import { expect, it } from 'vitest';
import { mergeHistograms, rebuildRollups, updateRollups } from '../../src/rollups/index.js';
import type { Database } from '../../src/storage/index.js';
import { loadMigrationFiles, renderMigration } from '../../src/storage/migration-files.js';
import { describeOnDatabases } from '../support/databases.js';
import { durations, seedAttempts } from '../support/ingest.js';

const T0 = new Date('2026-11-24T20:00:00Z'); // attempts run over midnight into 2026-11-25
const HOUR = 3_600_000;
const MIN = 60_000;

type Row = Record<string, unknown> & { duration_hist: number[]; attempts: number };
const DIMS = 'status, error_code, failure_kind, provider, model, prompt_contract_version, source, signed_in';

async function daily(database: Database): Promise<Row[]> {
  const { rows } = await sql<Row>`
    SELECT bucket, ${sql.raw(DIMS)}, attempts, duration_count, duration_sum_ms, duration_hist
    FROM ${sql.table(`${database.schema}.attempt_rollups_daily`)} ORDER BY 1, 2, 3, 4, 5, 6, 7, 8, 9`.execute(
    database.db,
  );
  return rows;
}

/** The daily rows a reader expects: the hourly rows summed per UTC day, in JS. */
async function summedHourly(database: Database): Promise<Row[]> {
  const { rows } = await sql<Row & { day: Date }>`
    SELECT date_trunc('day', bucket, 'UTC') AS day, ${sql.raw(DIMS)}, attempts, duration_count,
      duration_sum_ms, duration_hist
    FROM ${sql.table(`${database.schema}.attempt_rollups_hourly`)}`.execute(database.db);
  const groups = new Map<string, Row[]>();
  for (const { day, ...row } of rows) {
    const key = JSON.stringify([new Date(day).getTime(), ...DIMS.split(', ').map((d) => row[d])]);
    groups.set(key, [...(groups.get(key) ?? []), { ...row, bucket: day }]);
  }
  return [...groups.values()]
    .map((list) => ({
      ...list[0]!,
      attempts: list.reduce((n, r) => n + r.attempts, 0),
      duration_count: list.reduce((n, r) => n + Number(r.duration_count), 0),
      duration_sum_ms: list.reduce((n, r) => n + Number(r.duration_sum_ms), 0),
      duration_hist: mergeHistograms(list.map((r) => r.duration_hist)),
    }))
    .sort(byKey);
}

const keyOf = (row: Row) =>
  JSON.stringify([new Date(row.bucket as Date).getTime(), ...DIMS.split(', ').map((d) => row[d])]);
const byKey = (a: Row, b: Row) => (keyOf(a) < keyOf(b) ? -1 : 1);
const sortRows = (rows: Row[]) => [...rows].sort(byKey);

async function generations(database: Database): Promise<Map<string, string>> {
  const { rows } = await sql<{ day: Date; generation: string }>`
    SELECT day, generation::text AS generation FROM ${sql.table(`${database.schema}.rollup_day_generations`)}`.execute(
    database.db,
  );
  return new Map(rows.map((row) => [new Date(row.day).toISOString(), row.generation]));
}

describeOnDatabases('daily rollups', (ctx) => {
  it('are the hourly rollups summed per UTC day, kept in step by the minute job and rebuilt', async () => {
    const database = await ctx.open({ now: T0 });
    const ds = durations(90, 3);
    await seedAttempts(
      database,
      ds.map((d, i) => ({
        at: new Date(T0.getTime() + i * 5 * MIN), // 7.5 hours: 20:00 → 03:25 the next day
        durationMs: d,
        outcome: i % 6 === 0 ? 'failed' : 'success',
        provider: i % 2 === 0 ? 'openai' : 'gemini',
      })),
    );
    await updateRollups(database, { now: new Date(T0.getTime() + 8 * HOUR) });
    const first = await daily(database);
    expect(first.reduce((n, r) => n + r.attempts, 0)).toBe(90);
    expect(new Set(first.map((r) => new Date(r.bucket as Date).toISOString()))).toEqual(
      new Set(['2026-11-24T00:00:00.000Z', '2026-11-25T00:00:00.000Z']),
    );
    expect(sortRows(first)).toEqual(await summedHourly(database));
    const gens = await generations(database);
    expect([...gens.keys()].sort()).toEqual(['2026-11-24T00:00:00.000Z', '2026-11-25T00:00:00.000Z']);

    // A late write into the first day: the next run rewrites that day.
    await seedAttempts(database, [
      { at: new Date(T0.getTime() + 10 * MIN), durationMs: 700, outcome: 'success' },
    ]);
    await updateRollups(database, { now: new Date('2026-11-26T10:00:00Z') });
    const after = await generations(database);
    expect(after.get('2026-11-24T00:00:00.000Z')).not.toBe(gens.get('2026-11-24T00:00:00.000Z'));
    // (The other day may be rewritten too: the job re-reads rows of transactions open at its last
    // run, which on a shared Postgres can include that day's; its rows stay the same.)
    const late = await daily(database);
    expect(late.reduce((n, r) => n + r.attempts, 0)).toBe(91);
    expect(sortRows(late)).toEqual(await summedHourly(database));

    // `tripmeter rollup --rebuild` restores lost daily rows from the hourly ones.
    await sql`DELETE FROM ${sql.table(`${database.schema}.attempt_rollups_daily`)}`.execute(database.db);
    await rebuildRollups(database, { now: new Date('2026-11-26T10:00:00Z') });
    expect(await daily(database)).toEqual(late);
  });

  it('migration 0007 backfills the same daily rows from existing hourly rollups', async () => {
    const database = await ctx.open({ now: T0 });
    await seedAttempts(
      database,
      durations(40, 5).map((d, i) => ({
        at: new Date(T0.getTime() + i * 11 * MIN),
        durationMs: d,
        outcome: i % 4 === 0 ? 'failed' : 'success',
      })),
    );
    await rebuildRollups(database, { now: new Date(T0.getTime() + 9 * HOUR) });
    const built = await daily(database);
    // Stand-in for a database that had only hourly rollups when 0007 arrived.
    await sql`DELETE FROM ${sql.table(`${database.schema}.attempt_rollups_daily`)}`.execute(database.db);
    await sql`DELETE FROM ${sql.table(`${database.schema}.rollup_day_generations`)}`.execute(database.db);
    const file = loadMigrationFiles().find((m) => m.version === 7)!;
    const template = file.template.slice(file.template.indexOf('-- Backfill'));
    await database.execScriptInTransaction(renderMigration(template, database.schema, database.adminSchema));
    expect(await daily(database)).toEqual(built);
    expect((await generations(database)).size).toBe(2);
  });
});
