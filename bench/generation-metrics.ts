import { sql } from 'kysely';
import { createApiKey } from '../src/auth/index.js';
import { loadConfig } from '../src/config/index.js';
import { silentLogger } from '../src/logging/index.js';
import { rebuildRollups } from '../src/rollups/index.js';
import { createApp } from '../src/server/app.js';
import type { Database } from '../src/storage/index.js';
import { fill } from './metrics.js';
import { benchDatabase, fmt, median } from './support.js';

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
/** Attempts to generate; `TRIPMETER_BENCH_COST_SIZE=200000` for a quicker run. */
const SIZE = Number(process.env.TRIPMETER_BENCH_COST_SIZE ?? '1000000');

/**
 * Adds provider calls (1–3 per attempt: a failed first call retried, sometimes on a fallback
 * model; list-price-like costs, every 40th model unpriced) and two phases per attempt to the
 * attempts `fill` made, then the attempts' totals as the writer keeps them.
 */
async function fillGeneration(database: Database) {
  const t = (name: string) => sql.table(`${database.schema}.${name}`);
  await sql`
    INSERT INTO ${t('trip_creation_provider_calls')} (id, created_at, request_id, call_index, provider, model,
      response_model, status, retry_reason, duration_ms, ttft_ms, input_tokens, output_tokens, cost_usd,
      prompt_contract_version, flow, source)
    SELECT gen_random_uuid(), a.created_at + i * interval '20 seconds', a.request_id, i,
      CASE WHEN i = 2 THEN 'openai' ELSE a.provider END, CASE WHEN i = 2 THEN 'gpt-5.4' ELSE a.model END,
      CASE WHEN i = 2 THEN 'gpt-5.4' ELSE a.model END,
      CASE WHEN i < c.n - 1 OR a.status = 'failed' THEN 'failed' ELSE 'success' END,
      CASE WHEN i = 1 THEN 'timeout' WHEN i = 2 THEN 'fallback' END,
      greatest(0, coalesce(a.duration_ms, 30000) / c.n), 200 + (hashtext(a.request_id || i) & 1023),
      1500 + (hashtext(a.request_id) & 1023), 2500 + (hashtext(a.request_id || 'o') & 4095),
      CASE WHEN hashtext(a.request_id) % 40 = 0 THEN NULL
        ELSE round((1500 + (hashtext(a.request_id) & 1023)) * 0.00000125
                 + (2500 + (hashtext(a.request_id || 'o') & 4095)) * 0.00001, 12) END,
      a.prompt_contract_version, 'classic', a.source
    FROM ${t('trip_creation_attempts')} AS a
      CROSS JOIN LATERAL (SELECT CASE WHEN a.status = 'failed' OR hashtext(a.request_id) % 10 = 0 THEN 2
                                      WHEN hashtext(a.request_id) % 25 = 1 THEN 3 ELSE 1 END AS n) AS c
      CROSS JOIN LATERAL generate_series(0, c.n - 1) AS i`.execute(database.db);
  await sql`
    INSERT INTO ${t('trip_creation_attempt_phases')} (id, created_at, request_id, phase, duration_ms, source)
    SELECT gen_random_uuid(), a.created_at + (p.k * interval '1 second'), a.request_id, p.phase,
      CASE WHEN p.k = 0 THEN 300 + (hashtext(a.request_id) & 2047) ELSE coalesce(a.duration_ms, 30000) / 2 END, a.source
    FROM ${t('trip_creation_attempts')} AS a
      CROSS JOIN (VALUES (0, 'queue_wait'), (1, 'provider_call')) AS p(k, phase)`.execute(database.db);
  await sql`
    UPDATE ${t('trip_creation_attempts')} AS a SET call_count = c.n, input_tokens = c.i, output_tokens = c.o,
      cached_input_tokens = 0, reasoning_tokens = 0, cost_usd = c.cost, unpriced_calls = c.unpriced
    FROM (SELECT request_id, count(*)::integer AS n, sum(input_tokens) AS i, sum(output_tokens) AS o,
            sum(cost_usd) AS cost, (count(*) - count(cost_usd))::integer AS unpriced
          FROM ${t('trip_creation_provider_calls')} GROUP BY request_id) AS c
    WHERE a.request_id = c.request_id`.execute(database.db);
  for (const name of [
    'trip_creation_provider_calls',
    'trip_creation_attempt_phases',
    'trip_creation_attempts',
  ])
    await sql`ANALYZE ${t(name)}`.execute(database.db);
}

/** The cost panel's figures computed straight from raw rows by hand-written SQL (the fair baseline). */
async function rawCost(database: Database, from: Date, to: Date) {
  const t = (name: string) => sql.table(`${database.schema}.${name}`);
  const range = sql`created_at >= ${from.toISOString()}::timestamptz AND created_at < ${to.toISOString()}::timestamptz`;
  const calls = (key: string) => sql`
    SELECT ${sql.raw(key)}, count(*), count(cost_usd), sum(cost_usd)::text AS cost, sum(input_tokens), sum(output_tokens),
      sum(cached_input_tokens), sum(reasoning_tokens)
    FROM ${t('trip_creation_provider_calls')} WHERE ${range} GROUP BY ${sql.raw(key)}`;
  const [byModel, byVersion, perTrip] = await Promise.all([
    calls('provider, model').execute(database.db),
    calls('prompt_contract_version').execute(database.db),
    sql<{ cost: string; priced: number }>`
      SELECT count(*) AS successes, count(*) FILTER (WHERE unpriced_calls = 0) AS priced,
        sum(cost_usd) FILTER (WHERE unpriced_calls = 0)::text AS cost,
        percentile_cont(ARRAY[0.5, 0.95]) WITHIN GROUP (ORDER BY cost_usd) FILTER (WHERE unpriced_calls = 0) AS pct
      FROM ${t('trip_creation_attempts')} WHERE ${range} AND status = 'success'`.execute(database.db),
  ]);
  return { byModel: byModel.rows, byVersion: byVersion.rows, perTrip: perTrip.rows[0]! };
}

async function timed(samples: number, fn: () => Promise<unknown>): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < samples; i++) {
    const t0 = performance.now();
    await fn();
    out.push(performance.now() - t0);
  }
  return out;
}

const p95 = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.ceil(0.95 * xs.length) - 1]!;

/**
 * "30-day cost panel at 1M attempts": `GET /v1/metrics/cost` over 30 days from the daily
 * rollups (day cache cold, then warm), against the same figures from raw rows in the same run,
 * both by the route with the rollups hidden and by hand-written SQL.
 */
export default async function benchGenerationMetrics() {
  const database = await benchDatabase('cost');
  try {
    const end = new Date(Math.floor(Date.now() / HOUR_MS) * HOUR_MS);
    const from = new Date(end.getTime() - 30 * DAY_MS);
    const t0 = performance.now();
    await fill(database, SIZE, end);
    await fillGeneration(database);
    const filled = performance.now();
    await rebuildRollups(database, { now: end });
    const rolled = performance.now();
    const { rows: counts } = await sql<{ calls: number }>`
      SELECT count(*)::integer AS calls FROM ${sql.table(`${database.schema}.trip_creation_provider_calls`)}`.execute(
      database.db,
    );
    const { key } = await createApiKey(database, { scope: 'admin' });
    const app = createApp({ config: loadConfig(), database, logger: silentLogger, now: () => end });
    const get = async () => {
      const res = await app.request(`/v1/metrics/cost?from=${from.toISOString()}&to=${end.toISOString()}`, {
        headers: { authorization: `Bearer ${key}` },
      });
      if (res.status !== 200) throw new Error(`cost: ${res.status} ${await res.text()}`);
      return (await res.json()) as { totalCostUsdExact: string; perSuccessfulTrip: { meanUsd: number } };
    };
    const [cold] = await timed(1, get);
    const warm = await timed(40, get);
    const rolledAnswer = await get();
    const handWritten = await timed(3, () => rawCost(database, from, end));
    const hand = await rawCost(database, from, end);
    const handTotal = hand.byVersion.reduce<number>(
      (s, r) => s + Number((r as { cost: string }).cost ?? 0),
      0,
    );
    // The route with the rollups hidden (planRange then reads raw rows through the rollups' SQL).
    const state = sql.table(`${database.schema}.rollup_state`);
    const { rows } = await sql<{ last_run_at: Date }>`SELECT last_run_at FROM ${state}`.execute(database.db);
    await sql`UPDATE ${state} SET last_run_at = NULL`.execute(database.db);
    const viaRoute = await timed(1, get);
    const rawAnswer = await get();
    await sql`UPDATE ${state} SET last_run_at = ${rows[0]!.last_run_at}`.execute(database.db);
    const label = SIZE >= 1e6 ? `${SIZE / 1e6}M` : fmt(SIZE);
    const ratio = (base: number) => `${fmt(base / median(warm), 0)}× faster`;
    return {
      title: `generation metrics: 30-day cost panel at ${label} attempts (PostgreSQL)`,
      rows: [
        [
          `${label} attempts, ${fmt(counts[0]!.calls)} calls, 2 phases each: generate`,
          `${fmt((filled - t0) / 1000, 1)} s`,
          '',
        ],
        [`${label}: build every rollup (rebuildRollups)`, `${fmt((rolled - filled) / 1000, 1)} s`, ''],
        [
          `${label}: GET /v1/metrics/cost 30 days, rollups, first call (cold day cache)`,
          `${fmt(cold!, 1)} ms`,
          '',
        ],
        [
          `${label}: same, rollups, warm: p50 / p95 of 40`,
          `${fmt(median(warm), 1)} / ${fmt(p95(warm), 1)} ms`,
          `${ratio(median(handWritten))} than hand-written raw SQL; ${ratio(viaRoute[0]!)} than the route on raw rows`,
        ],
        [
          `${label}: the cost figures by hand-written SQL on raw rows, p50 of 3`,
          `${fmt(median(handWritten), 0)} ms`,
          '1×',
        ],
        [`${label}: the route with rollups hidden (raw rows), 1 call`, `${fmt(viaRoute[0]!, 0)} ms`, ''],
        [
          `${label}: answers agree (exact total)`,
          rolledAnswer.totalCostUsdExact === rawAnswer.totalCostUsdExact &&
          Math.abs(Number(rolledAnswer.totalCostUsdExact) - handTotal) < 1e-6
            ? `yes ($${rolledAnswer.totalCostUsdExact})`
            : `NO (${rolledAnswer.totalCostUsdExact} vs ${rawAnswer.totalCostUsdExact} vs ${handTotal})`,
          '',
        ],
      ],
    };
  } finally {
    await database.drop();
  }
}
