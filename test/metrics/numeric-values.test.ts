import { sql } from 'kysely';
import { beforeAll, expect, it } from 'vitest';
import { getCost } from '../../src/metrics/index.js';
import { rebuildRollups } from '../../src/rollups/index.js';
import type { Database } from '../../src/storage/index.js';
import { seedAnatomy as seedGeneration } from '../support/anatomy.js';
import { describeOnDatabases } from '../support/databases.js';
import { ensurePartitionsBetween } from '../support/ingest.js';

const HOUR = 3_600_000;
const T0 = new Date('2026-06-01T00:00:00Z');
const at = (hours: number) => new Date(T0.getTime() + hours * HOUR);

// 20 significant digits (numeric(20,12) at its widest): a JS number cannot hold them, their sum
// must still come out exact.
const COSTS = ['12345678.123456789012', '22345678.876543210989', '0.000000000001'];
const SUM = '34691357.000000000002';

describeOnDatabases('numeric and bigint values (docs/generation-metrics.md#numbers)', (ctx) => {
  let database: Database;

  beforeAll(async () => {
    database = await ctx.open({ now: T0 });
    await ensurePartitionsBetween(database, at(-24), at(24 * 5));
    await seedGeneration(database, [
      {
        at: at(1.5),
        calls: COSTS.map((costUsd) => ({ costUsd, inputTokens: 2_000_000_000, outputTokens: 7 })),
      },
    ]);
    await rebuildRollups(database, { now: at(24 * 4) });
  }, 120_000);

  it('come back as JS numbers on both engines, through Kysely and through sql``', async () => {
    const attempt = await database.db
      .withSchema(database.schema)
      .selectFrom('trip_creation_attempts')
      .select(['cost_usd', 'input_tokens', 'call_count'])
      .executeTakeFirstOrThrow();
    expect(typeof attempt.cost_usd).toBe('number');
    expect(attempt.input_tokens).toBe(6_000_000_000); // bigint beyond 2^32
    const rollup = await database.db
      .withSchema(database.schema)
      .selectFrom('call_rollups_hourly')
      .select(['cost_usd', 'input_tokens', 'duration_sum_ms'])
      .executeTakeFirstOrThrow();
    expect([typeof rollup.cost_usd, typeof rollup.input_tokens, typeof rollup.duration_sum_ms]).toEqual([
      'number',
      'number',
      'number',
    ]);
    const { rows } = await sql<{ n: unknown; s: unknown }>`
      SELECT sum(cost_usd) AS n, sum(input_tokens) AS s
      FROM ${sql.table(`${database.schema}.trip_creation_provider_calls`)}`.execute(database.db);
    expect([typeof rows[0]!.n, typeof rows[0]!.s]).toEqual(['number', 'number']);
  });

  it('keep cost sums exact where the API promises it: the exact total is the SQL sum as text', async () => {
    const { rows } = await sql<{ exact: string }>`
      SELECT sum(cost_usd)::text AS exact FROM ${sql.table(`${database.schema}.trip_creation_provider_calls`)}`.execute(
      database.db,
    );
    expect(rows[0]!.exact).toBe(SUM);
    // Read as a number (what the drivers return), the decimals are gone.
    const { rows: asNumber } = await sql<{ n: number }>`
      SELECT sum(cost_usd) AS n FROM ${sql.table(`${database.schema}.trip_creation_provider_calls`)}`.execute(
      database.db,
    );
    expect(String(asNumber[0]!.n)).not.toBe(SUM);
    for (const [from, to] of [
      [at(0), at(24)], // raw rows
      [at(-24), at(24 * 3)], // rollups
    ] as const) {
      const cost = await getCost(database, { from, to });
      expect(cost.totalCostUsdExact).toBe(SUM);
      expect(cost.totalCostUsd).toBe(34691357);
      expect(cost.byModel[0]!.tokens?.input).toBe(6_000_000_000);
    }
  });
});
