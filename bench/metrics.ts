import { sql } from 'kysely';
import { createApiKey } from '../src/auth/index.js';
import { loadConfig } from '../src/config/index.js';
import { silentLogger } from '../src/logging/index.js';
import { rebuildRollups } from '../src/rollups/index.js';
import { createApp } from '../src/server/app.js';
import type { Database } from '../src/storage/index.js';
import { benchDatabase, fmt, median } from './support.js';

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
/** Sizes to run; `TRIPMETER_BENCH_METRICS_SIZES=1000000,10000000` adds 10M. */
const SIZES = (process.env.TRIPMETER_BENCH_METRICS_SIZES ?? '1000000').split(',').map(Number);

/**
 * Fills the product table (or `table`, a copy of its columns) with `n` attempts over 30 days in one INSERT … SELECT per chunk:
 * a daily curve, four provider/models with their own latency (log-normal) and failure rates, two
 * prompt versions, random anonymous sessions (~3 attempts each) and 30 % signed in.
 */
export async function fill(database: Database, n: number, end: Date, table = 'trip_creation_attempts') {
  const start = end.getTime() - 30 * DAY_MS;
  await sql`SELECT ${sql.ref(`${database.schema}.ensure_partitions`)}(${new Date(start - DAY_MS).toISOString()}::timestamptz, ${end.toISOString()}::timestamptz)`.execute(
    database.db,
  );
  const chunk = 500_000;
  for (let offset = 0; offset < n; offset += chunk) {
    await sql`
      INSERT INTO ${sql.table(`${database.schema}.${table}`)}
        (id, created_at, request_id, status, duration_ms, provider, model, prompt_contract_version,
         anon_session_id, user_id, error_code, failure_kind, source)
      SELECT gen_random_uuid(), t, 'r' || g, CASE WHEN fail THEN 'failed' ELSE 'success' END,
        round(exp(ln(m.median) + m.sigma * z))::integer, m.provider, m.model,
        CASE WHEN g % 3 = 0 THEN 'classic_v2' ELSE 'classic_v1' END,
        md5((g / 3)::text)::uuid::text, CASE WHEN g % 10 < 3 THEN md5('u' || (g / 3))::uuid END,
        CASE WHEN fail THEN m.code END, CASE WHEN fail THEN m.kind END, 'app'
      FROM (
        SELECT g,
          to_timestamp(${start / 1000} + 2592000 * (0.85 * random() + 0.15 * sqrt(random())))  AS t,
          (random() + random() + random() + random() - 2) * 1.73 AS z, g % 4 AS k, random() AS u
        FROM generate_series(${offset}::bigint, ${Math.min(n, offset + chunk) - 1}::bigint) AS g
      ) AS x
      JOIN (VALUES (0, 'openai', 'gpt-5.4', 38000, 0.35, 0.04, 'OPENAI_REQUEST_TIMEOUT', 'timeout'),
                   (1, 'gemini', 'gemini-3-pro-preview', 52000, 0.45, 0.06, 'GEMINI_PARSE_FAILED', 'quality'),
                   (2, 'anthropic', 'claude-sonnet-4.5', 45000, 0.3, 0.025, 'ANTHROPIC_REQUEST_FAILED', 'provider'),
                   (3, 'openrouter', 'deepseek/deepseek-v3.2', 70000, 0.6, 0.12, 'OPENROUTER_REQUEST_TIMEOUT', 'timeout'))
        AS m(k, provider, model, median, sigma, rate, code, kind) ON m.k = x.k
      CROSS JOIN LATERAL (SELECT x.u < m.rate AS fail) AS f`.execute(database.db);
  }
  await sql`ANALYZE ${sql.table(`${database.schema}.${table}`)}`.execute(database.db);
}

/** Runs `fn` `samples` times in a row; the wall time of each run in ms. */
export async function timed(samples: number, fn: () => Promise<unknown>): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < samples; i++) {
    const t0 = performance.now();
    await fn();
    out.push(performance.now() - t0);
  }
  return out;
}

/** The summary fields the bench compares. */
interface Summ {
  attempts: number;
  durationMs: { p95: number };
  exact: boolean;
}

/** The 95th percentile (nearest rank) of a set of timings. */
export const p95 = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.ceil(0.95 * xs.length) - 1]!;

async function benchSize(n: number): Promise<string[][]> {
  const database = await benchDatabase('metrics');
  try {
    const end = new Date(Math.floor(Date.now() / HOUR_MS) * HOUR_MS);
    const t0 = performance.now();
    await fill(database, n, end);
    const filled = performance.now();
    await rebuildRollups(database, { now: end });
    const rolled = performance.now();
    const { key } = await createApiKey(database, { scope: 'admin' });
    const app = createApp({ config: loadConfig(), database, logger: silentLogger, now: () => end });
    const qs = `from=${new Date(end.getTime() - 30 * DAY_MS).toISOString()}&to=${end.toISOString()}`;
    const get = async (path: string) => {
      const res = await app.request(`${path}?${qs}`, { headers: { authorization: `Bearer ${key}` } });
      if (res.status !== 200) throw new Error(`${path}: ${res.status} ${await res.text()}`);
      return res.json();
    };
    const both = () => Promise.all([get('/v1/metrics/summary'), get('/v1/metrics/timeseries')]);
    const [cold] = await timed(1, both);
    const fast = await timed(40, both);
    const [summary] = (await both()) as [Summ, unknown];
    // The same answer from the raw table, same run: hide the rollups (planRange then reads raw rows).
    const state = sql.table(`${database.schema}.rollup_state`);
    const { rows } = await sql<{ last_run_at: Date }>`SELECT last_run_at FROM ${state}`.execute(database.db);
    await sql`UPDATE ${state} SET last_run_at = NULL`.execute(database.db);
    const raw = await timed(3, both);
    const [rawSummary] = (await both()) as [Summ, unknown];
    await sql`UPDATE ${state} SET last_run_at = ${rows[0]!.last_run_at}`.execute(database.db);
    const label = n >= 1e6 ? `${n / 1e6}M` : fmt(n);
    const agree =
      summary.attempts === rawSummary.attempts &&
      Math.abs(summary.durationMs.p95 - rawSummary.durationMs.p95) / rawSummary.durationMs.p95 <= 0.05;
    return [
      [
        `${label} attempts: generate (INSERT … SELECT generate_series)`,
        `${fmt((filled - t0) / 1000, 1)} s`,
        '',
      ],
      [
        `${label}: build hourly + daily rollups (rebuildRollups)`,
        `${fmt((rolled - filled) / 1000, 1)} s`,
        '',
      ],
      [
        `${label}: 30-day summary + daily time series via API, rollups, first call (cold day cache)`,
        `${fmt(cold!, 1)} ms`,
        '',
      ],
      [
        `${label}: same, rollups, warm: p50 / p95 of 40`,
        `${fmt(median(fast), 1)} / ${fmt(p95(fast), 1)} ms`,
        `${fmt(median(raw) / median(fast), 0)}× faster than raw`,
      ],
      [
        `${label}: same answer from the raw table (exact percentile_cont), p50 of 3`,
        `${fmt(median(raw), 0)} ms`,
        '1×',
      ],
      [
        `${label}: answers agree (attempts equal, p95 within 5 %)`,
        agree ? `yes (p95 ${summary.durationMs.p95} vs ${rawSummary.durationMs.p95} ms)` : 'NO',
        '',
      ],
    ];
  } finally {
    await database.drop();
  }
}

/** The 30-day summary + time series through the HTTP API: rollups vs raw rows, same run. */
export default async function benchMetrics() {
  const rows: string[][] = [];
  for (const n of SIZES) rows.push(...(await benchSize(n)));
  return { title: 'metrics: 30-day summary + time series through the API (PostgreSQL)', rows };
}
