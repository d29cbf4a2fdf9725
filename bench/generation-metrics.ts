import { type RawBuilder, sql } from 'kysely';
import { createApiKey } from '../src/auth/index.js';
import { loadConfig } from '../src/config/index.js';
import { silentLogger } from '../src/logging/index.js';
import { rebuildRollups } from '../src/rollups/index.js';
import { createApp } from '../src/server/app.js';
import type { Database } from '../src/storage/index.js';
import { fill, p95, timed } from './metrics.js';
import { benchDatabase, fmt, median } from './support.js';

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
/**
 * Attempts to generate. The default keeps `npm run bench` to a few minutes on a shared 2-core
 * machine; `TRIPMETER_BENCH_COST_SIZE=1000000` is the issue's 1M figure (docs/benchmarks.md).
 */
const SIZE = Number(process.env.TRIPMETER_BENCH_COST_SIZE ?? '200000');

/**
 * The provider calls of attempt `a` (a row with request_id, created_at, status, duration_ms,
 * provider, model), one row per call, as a function of the request id only so that the attempt
 * totals and the call rows come from this one declaration: 1–3 calls (a failed first call
 * retried on a timeout, the third a fallback to gpt-5.4), list-price-like costs per model, and
 * a quarter of the OpenRouter calls routed to a model without a price (cost NULL).
 */
const callsOf = (a: string) => `
  SELECT i, c.provider, c.model, c.status, c.retry_reason, c.duration_ms, c.ttft_ms, c.input_tokens,
    c.output_tokens, CASE WHEN c.unpriced THEN NULL
      ELSE round(c.input_tokens * c.in_rate / 1e6 + c.output_tokens * c.out_rate / 1e6, 12) END AS cost_usd
  FROM (SELECT hashtext(${a}.request_id) AS h) AS k
    CROSS JOIN LATERAL generate_series(0, CASE WHEN ${a}.status = 'failed' OR k.h % 10 = 0 THEN 1
      WHEN k.h % 25 = 1 THEN 2 ELSE 0 END) AS i
    CROSS JOIN LATERAL (SELECT
      CASE WHEN i = 2 THEN 'openai' ELSE ${a}.provider END AS provider,
      CASE WHEN i = 2 THEN 'gpt-5.4' WHEN ${a}.provider = 'openrouter' AND k.h & 3 = 0 THEN 'qwen/qwen3-max'
        ELSE ${a}.model END AS model,
      CASE WHEN ${a}.status = 'failed' OR i < (CASE WHEN k.h % 10 = 0 THEN 1 WHEN k.h % 25 = 1 THEN 2 ELSE 0 END)
        THEN 'failed' ELSE 'success' END AS status,
      CASE WHEN i = 1 THEN 'timeout' WHEN i = 2 THEN 'fallback' END AS retry_reason,
      coalesce(${a}.duration_ms, 30000) * 7 / 10 / (i + 1) AS duration_ms, 200 + ((k.h >> 4) & 1023) + i AS ttft_ms,
      1500 + (k.h & 1023) + 37 * i AS input_tokens, 2500 + ((k.h >> 10) & 4095) AS output_tokens,
      i <> 2 AND ${a}.provider = 'openrouter' AND k.h & 3 = 0 AS unpriced,
      CASE WHEN i = 2 THEN 1.25 ELSE m.in_rate END AS in_rate, CASE WHEN i = 2 THEN 10 ELSE m.out_rate END AS out_rate
      FROM (SELECT CASE ${a}.provider WHEN 'openai' THEN 1.25 WHEN 'gemini' THEN 2 WHEN 'anthropic' THEN 3 ELSE 0.28 END,
                   CASE ${a}.provider WHEN 'openai' THEN 10 WHEN 'gemini' THEN 12 WHEN 'anthropic' THEN 15 ELSE 0.42 END)
        AS m(in_rate, out_rate)) AS c`;

/**
 * Generates `n` attempts over 30 days with their calls and two phases each, in the database:
 * `fill`'s attempts go to an unlogged staging table without indexes, then one INSERT … SELECT per
 * table writes the attempts with their totals (as the writer keeps them), the calls and the
 * phases from it. No UPDATE of a million indexed rows and no row crosses to Node.
 */
async function fillGeneration(database: Database, n: number, end: Date) {
  const t = (name: string) => sql.table(`${database.schema}.${name}`);
  const run = (query: RawBuilder<unknown>) => query.execute(database.db);
  await run(sql`CREATE UNLOGGED TABLE ${t('bench_attempts')} (LIKE ${t('trip_creation_attempts')})`);
  await fill(database, n, end, 'bench_attempts');
  const columns = `id, created_at, request_id, status, duration_ms, provider, model, prompt_contract_version,
    anon_session_id, user_id, error_code, failure_kind, source`;
  await run(sql`
    INSERT INTO ${t('trip_creation_attempts')} (${sql.raw(columns)}, call_count, input_tokens, output_tokens,
      cached_input_tokens, reasoning_tokens, cost_usd, unpriced_calls)
    SELECT ${sql.raw(columns.replace(/(\w+)/g, 'a.$1'))}, c.n, c.i, c.o, 0, 0, c.cost, c.unpriced
    FROM ${t('bench_attempts')} AS a CROSS JOIN LATERAL (
      SELECT count(*)::integer AS n, sum(input_tokens) AS i, sum(output_tokens) AS o, sum(cost_usd) AS cost,
        (count(*) - count(cost_usd))::integer AS unpriced
      FROM (${sql.raw(callsOf('a'))}) AS x) AS c`);
  await run(sql`
    INSERT INTO ${t('trip_creation_provider_calls')} (id, created_at, request_id, call_index, provider, model,
      response_model, status, retry_reason, duration_ms, ttft_ms, input_tokens, output_tokens, cost_usd,
      prompt_contract_version, flow, source)
    SELECT gen_random_uuid(), a.created_at + x.i * interval '20 seconds', a.request_id, x.i, x.provider, x.model,
      x.model, x.status, x.retry_reason, x.duration_ms, x.ttft_ms, x.input_tokens, x.output_tokens, x.cost_usd,
      a.prompt_contract_version, 'classic', a.source
    FROM ${t('bench_attempts')} AS a CROSS JOIN LATERAL (${sql.raw(callsOf('a'))}) AS x`);
  await run(sql`
    INSERT INTO ${t('trip_creation_attempt_phases')} (id, created_at, request_id, phase, duration_ms, source)
    SELECT gen_random_uuid(), a.created_at + (p.k * interval '1 second'), a.request_id, p.phase,
      CASE WHEN p.k = 0 THEN least(300 + (hashtext(a.request_id) & 2047), coalesce(a.duration_ms, 30000) / 5)
        ELSE coalesce(a.duration_ms, 30000) * 7 / 10 END, a.source
    FROM ${t('bench_attempts')} AS a
      CROSS JOIN (VALUES (0, 'queue_wait'), (1, 'provider_call')) AS p(k, phase)`);
  await run(sql`DROP TABLE ${t('bench_attempts')}`);
  for (const name of [
    'trip_creation_provider_calls',
    'trip_creation_attempt_phases',
    'trip_creation_attempts',
  ])
    await run(sql`ANALYZE ${t(name)}`);
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
    await fillGeneration(database, SIZE, end);
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
