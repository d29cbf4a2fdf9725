import { sql } from 'kysely';
import { beforeAll, expect, it } from 'vitest';
import { recomputeCosts, writePrices } from '../../src/prices/index.js';
import { rebuildRollups } from '../../src/rollups/index.js';
import type { Database } from '../../src/storage/index.js';
import { seedAnatomy as seedGeneration } from '../support/anatomy.js';
import { describeOnDatabases } from '../support/databases.js';
import { ensurePartitionsBetween } from '../support/ingest.js';

const HOUR = 3_600_000;
const FROM = new Date('2026-05-11T00:00:00Z');
const at = (hours: number) => new Date(FROM.getTime() + hours * HOUR);
const NOW = at(24 * 3);

type Sums = { cost: string; priced: string; input: string };

/** The rolled-up cost sums from `from` on: calls and attempts, hourly and daily. */
async function rolled(database: Database, grain: 'hourly' | 'daily', from: Date): Promise<Sums> {
  const t = (name: string) => sql.table(`${database.schema}.${name}_rollups_${grain}`);
  const { rows } = await sql<Sums>`
    SELECT (SELECT coalesce(sum(cost_usd), 0)::numeric(30, 12)::text FROM ${t('call')} WHERE bucket >= ${from.toISOString()}::timestamptz) AS cost,
      (SELECT coalesce(sum(priced_cost_usd), 0)::numeric(30, 12)::text FROM ${t('generation')} WHERE bucket >= ${from.toISOString()}::timestamptz) AS priced,
      (SELECT coalesce(sum(input_tokens), 0)::text FROM ${t('call')} WHERE bucket >= ${from.toISOString()}::timestamptz) AS input`.execute(
    database.db,
  );
  return rows[0]!;
}

/** The same sums from raw rows: calls started from `from` on, fully priced attempts begun from `from` on. */
async function raw(database: Database, from: Date): Promise<Sums> {
  const t = (name: string) => sql.table(`${database.schema}.${name}`);
  const { rows } = await sql<Sums>`
    SELECT (SELECT coalesce(sum(cost_usd), 0)::numeric(30, 12)::text FROM ${t('trip_creation_provider_calls')} WHERE created_at >= ${from.toISOString()}::timestamptz) AS cost,
      (SELECT coalesce(sum(cost_usd), 0)::numeric(30, 12)::text FROM ${t('trip_creation_attempts')}
        WHERE created_at >= ${from.toISOString()}::timestamptz AND unpriced_calls = 0 AND call_count > 0) AS priced,
      (SELECT coalesce(sum(input_tokens), 0)::text FROM ${t('trip_creation_provider_calls')} WHERE created_at >= ${from.toISOString()}::timestamptz) AS input`.execute(
    database.db,
  );
  return rows[0]!;
}

/** Each hourly and daily rollup row before `before`, with its row version (a rewrite changes it). */
async function rowsBefore(database: Database, before: Date) {
  const tables = ['call', 'generation', 'phase'].flatMap((f) => [
    `${f}_rollups_hourly`,
    `${f}_rollups_daily`,
  ]);
  const out: Record<string, string[]> = {};
  for (const table of tables) {
    const { rows } = await sql<{ r: string }>`
      SELECT xmin::text || ' ' || bucket::text || ' ' || row_to_json(r)::text AS r
      FROM ${sql.table(`${database.schema}.${table}`)} AS r
      WHERE bucket < ${before.toISOString()}::timestamptz ORDER BY 1`.execute(database.db);
    out[table] = rows.map((row) => row.r);
  }
  return out;
}

describeOnDatabases('prices recompute → ranged rollups', (ctx) => {
  let database: Database;

  beforeAll(async () => {
    database = await ctx.open({ now: FROM });
    await ensurePartitionsBetween(database, at(-24 * 12), at(24 * 4));
    const call = { inputTokens: 1000, outputTokens: 500, costUsd: '0.010000000000' };
    await seedGeneration(database, [
      // Ten days before the range: must keep its rollups as they are.
      { at: at(-240), calls: [call, call], phases: [{ phase: 'parse', durationMs: 100 }] },
      // Begins 10 s before the range, its call starts inside it: its attempt hour is recomputed.
      { at: at(-10 / 3600), calls: [{ ...call, offsetMs: 20_000 }] },
      // Inside the range, over two days; one call of a model without a price.
      { at: at(5.5), calls: [call, { ...call, provider: 'mistral', model: 'unlisted', costUsd: null }] },
      { at: at(30.25), calls: [call, call, call] },
    ]);
    await rebuildRollups(database, { now: NOW });
  }, 120_000);

  it('rewrites no rollup row before the range and makes those inside equal the repriced raw rows', async () => {
    // A marker on a rollup row ten days back: a whole-history rebuild would put the raw sum back.
    await sql`UPDATE ${sql.table(`${database.schema}.call_rollups_hourly`)} SET cost_usd = 123.000000000001
      WHERE bucket = ${at(-240).toISOString()}::timestamptz`.execute(database.db);
    // The range's rollups start at the hour (and day) of the attempt begun before it.
    const earliest = at(-1);
    const before = await rowsBefore(database, at(-24));
    expect(before.call_rollups_hourly!.some((r) => r.includes('123.000000000001'))).toBe(true);

    // gpt-5.4 at 2 / 20 USD per million tokens: 1000 × 2 + 500 × 20 = 0.012 USD a call.
    await writePrices(
      database,
      [{ provider: 'openai', model: 'gpt-5.4', validFrom: '2026-01-01', input: 2, output: 20 }],
      true,
    );
    const result = await recomputeCosts(database, { from: FROM, now: NOW });
    expect(result.calls).toBe(5); // the four gpt-5.4 calls of the range + the one begun before it
    expect(result.attempts).toBe(3);

    expect(await rowsBefore(database, at(-24))).toEqual(before);
    const expected = await raw(database, earliest);
    expect(expected).toEqual({ cost: '0.060000000000', priced: '0.048000000000', input: '6000' });
    expect(await rolled(database, 'hourly', earliest)).toEqual(expected);
    expect(await rolled(database, 'daily', at(-24))).toEqual(await raw(database, at(-24)));
  });
});
