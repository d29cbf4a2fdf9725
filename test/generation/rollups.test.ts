import { sql } from 'kysely';
import { beforeAll, expect, it } from 'vitest';
import { runRetention } from '../../src/lifecycle/retention.js';
import { getCalls, getCost, getPhases, getQueue } from '../../src/metrics/index.js';
import { mergeHistograms, rebuildRollups, recomputeRollups, updateRollups } from '../../src/rollups/index.js';
import type { Database } from '../../src/storage/index.js';
import { type AnatomyAttempt as GenAttempt, seedAnatomy as seedGeneration } from '../support/anatomy.js';
import { describeOnDatabases } from '../support/databases.js';
import { ensurePartitionsBetween } from '../support/ingest.js';

const DAY = 86_400_000;
const T0 = new Date('2026-03-10T00:00:00Z');
const day = (n: number) => new Date(T0.getTime() + n * DAY);

/** 90 attempts over 3 days: 1–3 calls each, odd-cent costs, an unpriced model, phases. */
export function sampleAttempts(): GenAttempt[] {
  return Array.from({ length: 90 }, (_, i): GenAttempt => {
    const calls = 1 + (i % 3);
    return {
      at: new Date(T0.getTime() + i * 47 * 60_000 + 13_000),
      status: i % 7 === 0 ? 'failed' : 'success',
      provider: i % 2 === 0 ? 'openai' : 'google',
      model: i % 2 === 0 ? 'gpt-5.4' : 'gemini-2.5-pro',
      version: i % 5 === 0 ? 'classic_v2' : 'classic_v1',
      durationMs: 20_000 + i * 100,
      calls: Array.from({ length: calls }, (_, j) => ({
        status: j < calls - 1 ? ('failed' as const) : ('success' as const),
        retryReason: j === 0 ? null : j === 2 ? 'fallback' : 'timeout',
        model: j === 2 ? 'claude-sonnet-4.5' : undefined,
        provider: j === 2 ? 'anthropic' : undefined,
        inputTokens: 1200 + i * 7 + j,
        outputTokens: 3000 + i * 13,
        cachedInputTokens: j === 0 ? 256 : null,
        reasoningTokens: i % 4 === 0 ? 800 : null,
        costUsd:
          i % 11 === 0 && j === 0 ? null : `0.${String(1_234_567 + i * 1_013 + j).padStart(9, '0')}123`,
        ttftMs: 300 + i * 9,
        durationMs: 4_000 + i * 50 + j,
        offsetMs: 5_000 + j * 30_000,
      })),
      phases: [
        { phase: 'queue_wait', durationMs: 800 + i, offsetMs: 0 },
        { phase: 'provider_call', durationMs: 15_000 + i * 10, offsetMs: 5_000 },
        { phase: 'parse', durationMs: 120 + i, offsetMs: 19_000 },
      ],
    };
  });
}

type Sums = Record<string, string>;

async function rawSums(database: Database): Promise<Sums> {
  const { rows } = await sql<Sums>`
    SELECT count(*)::text AS calls, coalesce(sum(cost_usd), 0)::numeric(30, 12)::text AS cost,
      count(*) FILTER (WHERE cost_usd IS NULL)::text AS unpriced,
      coalesce(sum(input_tokens), 0)::text AS input, coalesce(sum(output_tokens), 0)::text AS output,
      coalesce(sum(cached_input_tokens), 0)::text AS cached, coalesce(sum(reasoning_tokens), 0)::text AS reasoning
    FROM ${sql.table(`${database.schema}.trip_creation_provider_calls`)}`.execute(database.db);
  return rows[0]!;
}

async function rollupSums(database: Database, grain: 'hourly' | 'daily'): Promise<Sums> {
  const { rows } = await sql<Sums>`
    SELECT coalesce(sum(calls), 0)::text AS calls, coalesce(sum(cost_usd), 0)::numeric(30, 12)::text AS cost,
      coalesce(sum(unpriced_calls), 0)::text AS unpriced,
      coalesce(sum(input_tokens), 0)::text AS input, coalesce(sum(output_tokens), 0)::text AS output,
      coalesce(sum(cached_input_tokens), 0)::text AS cached, coalesce(sum(reasoning_tokens), 0)::text AS reasoning
    FROM ${sql.table(`${database.schema}.call_rollups_${grain}`)}`.execute(database.db);
  return rows[0]!;
}

async function attemptSums(database: Database, from: 'raw' | 'hourly' | 'daily'): Promise<Sums> {
  const table =
    from === 'raw'
      ? 'trip_creation_attempts'
      : `generation_rollups_${from === 'hourly' ? 'hourly' : 'daily'}`;
  const count = from === 'raw' ? sql`count(*)` : sql`sum(attempts)`;
  const cost =
    from === 'raw'
      ? sql`sum(cost_usd) FILTER (WHERE unpriced_calls = 0 AND call_count > 0)`
      : sql`sum(priced_cost_usd)`;
  const { rows } = await sql<Sums>`
    SELECT coalesce(${count}, 0)::text AS attempts, coalesce(${cost}, 0)::numeric(30, 12)::text AS priced_cost,
      coalesce(sum(input_tokens), 0)::text AS input, coalesce(sum(output_tokens), 0)::text AS output
    FROM ${sql.table(`${database.schema}.${table}`)}`.execute(database.db);
  return rows[0]!;
}

async function phaseCells(database: Database, grain: 'hourly' | 'daily') {
  const { rows } = await sql<{ phase: string; n: number; s: string; hist: number[] }>`
    SELECT phase, sum(phases)::integer AS n, sum(duration_sum_ms)::text AS s, array_agg(duration_hist) AS hists
    FROM ${sql.table(`${database.schema}.phase_rollups_${grain}`)} GROUP BY phase ORDER BY phase`.execute(
    database.db,
  );
  return rows.map((r) => ({
    phase: r.phase,
    n: r.n,
    s: r.s,
    hist: mergeHistograms((r as unknown as { hists: number[][] }).hists),
  }));
}

describeOnDatabases('generation rollups', (ctx) => {
  let database: Database;
  let raw: Sums;

  beforeAll(async () => {
    database = await ctx.open({ now: T0 });
    await ensurePartitionsBetween(database, day(-40), day(40));
    await seedGeneration(database, sampleAttempts());
    await updateRollups(database, { now: day(4) });
    raw = await rawSums(database);
  }, 180_000);

  it('hold the exact cost and token sums of the raw calls, hourly and daily', async () => {
    expect(Number(raw.calls)).toBe(180);
    expect(Number(raw.unpriced)).toBe(9);
    expect(await rollupSums(database, 'hourly')).toEqual(raw);
    expect(await rollupSums(database, 'daily')).toEqual(raw);
    const attempts = await attemptSums(database, 'raw');
    expect(await attemptSums(database, 'hourly')).toEqual(attempts);
    expect(await attemptSums(database, 'daily')).toEqual(attempts);
    expect(await phaseCells(database, 'daily')).toEqual(await phaseCells(database, 'hourly'));
  });

  it('give percentiles of cost per successful trip and TTFT within ±5 % of the exact ones', async () => {
    const { rows } = await sql<{ p50: string; p95: string; t50: number; t95: number }>`
      SELECT (SELECT percentile_disc(0.5) WITHIN GROUP (ORDER BY cost_usd) FROM ${sql.table(`${database.schema}.trip_creation_attempts`)}
                WHERE status = 'success' AND unpriced_calls = 0)::text AS p50,
             (SELECT percentile_disc(0.95) WITHIN GROUP (ORDER BY cost_usd) FROM ${sql.table(`${database.schema}.trip_creation_attempts`)}
                WHERE status = 'success' AND unpriced_calls = 0)::text AS p95,
             (SELECT percentile_disc(0.5) WITHIN GROUP (ORDER BY ttft_ms) FROM ${sql.table(`${database.schema}.trip_creation_provider_calls`)}
                WHERE model = 'gpt-5.4') AS t50,
             (SELECT percentile_disc(0.95) WITHIN GROUP (ORDER BY ttft_ms) FROM ${sql.table(`${database.schema}.trip_creation_provider_calls`)}
                WHERE model = 'gpt-5.4') AS t95`.execute(database.db);
    const exact = rows[0]!;
    const range = { from: T0, to: day(3) };
    const cost = await getCost(database, range);
    const calls = await getCalls(database, range);
    const gpt = calls.byModel.find((r) => r.model === 'gpt-5.4')!;
    const near = (got: number | null, want: number) => Math.abs((got ?? Number.NaN) - want) / want;
    expect(near(cost.perSuccessfulTrip.p50Usd, Number(exact.p50))).toBeLessThanOrEqual(0.05);
    expect(near(cost.perSuccessfulTrip.p95Usd, Number(exact.p95))).toBeLessThanOrEqual(0.05);
    expect(near(gpt.ttftP50Ms, Number(exact.t50))).toBeLessThanOrEqual(0.05);
    expect(near(gpt.ttftP95Ms, Number(exact.t95))).toBeLessThanOrEqual(0.05);
  });

  it('keep them after retention deleted the raw rows, and a rebuild or range recompute changes nothing', async () => {
    const before = {
      hourly: await rollupSums(database, 'hourly'),
      daily: await rollupSums(database, 'daily'),
      attempts: await attemptSums(database, 'daily'),
      phases: await phaseCells(database, 'daily'),
    };
    const range = { from: T0, to: day(3) };
    const metrics = async () => ({
      cost: await getCost(database, range),
      calls: await getCalls(database, range),
      phases: await getPhases(database, range),
      queue: await getQueue(database, range),
    });
    const answers = await metrics();
    expect(answers.cost.totalCostUsdExact).toBe(raw.cost);
    expect(answers.cost.unpricedCalls).toBe(9);
    await runRetention(database, { now: day(200) });
    const left = await sql<{ n: number }>`
      SELECT count(*)::integer AS n FROM ${sql.table(`${database.schema}.trip_creation_provider_calls`)}`.execute(
      database.db,
    );
    expect(left.rows[0]!.n).toBe(0);
    await rebuildRollups(database, { now: day(200) });
    const result = await recomputeRollups(database, { from: day(-1), now: day(200) });
    expect(result.hoursRecomputed).toBe(0);
    expect(result.hoursSkippedFinal).toBeGreaterThan(0);
    expect({
      hourly: await rollupSums(database, 'hourly'),
      daily: await rollupSums(database, 'daily'),
      attempts: await attemptSums(database, 'daily'),
      phases: await phaseCells(database, 'daily'),
    }).toEqual(before);
    expect(before.hourly).toEqual(raw);
    // Every generation figure survives the purge unchanged (a new handle: no cached answer).
    const fresh: Database = Object.create(database);
    expect({
      cost: await getCost(fresh, range),
      calls: await getCalls(fresh, range),
      phases: await getPhases(fresh, range),
      queue: await getQueue(fresh, range),
    }).toEqual(answers);
  });
});
