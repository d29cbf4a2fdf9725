/**
 * Bench: link + backfill of one anonymous id with 1,000 rows in a database of 1M attempts, on
 * PostgreSQL (goal ≤ 50 ms). Runs in its own schema, dropped afterwards.
 *
 *   node --import tsx bench/linkage.ts
 *   TRIPMETER_BENCH_DATABASE_URL=postgres://… node --import tsx bench/linkage.ts
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { sql } from 'kysely';
import { linkIdentity } from '../src/identity/index.js';
import { migrate, openDatabase } from '../src/storage/index.js';
import { dropBenchSchemas } from './support.js';

/** What the linkage bench measured. */
export interface LinkageBenchResult {
  attempts: number;
  rowsPerLink: number;
  /** Wall time of each `linkIdentity` call, in ms. */
  linkMs: number[];
  medianMs: number;
  maxMs: number;
  goalMs: number;
}

const DEFAULT_URL = 'postgres://postgres@127.0.0.1:5432/postgres';

/** Runs the bench; `attempts` rows of background traffic, then `runs` links of `rowsPerLink` rows each. */
export async function runLinkageBench(
  options: { databaseUrl?: string; attempts?: number; rowsPerLink?: number; runs?: number } = {},
): Promise<LinkageBenchResult> {
  const attempts = options.attempts ?? 1_000_000;
  const rowsPerLink = options.rowsPerLink ?? 1_000;
  const runs = options.runs ?? 5;
  const schema = `bench_linkage_${randomBytes(4).toString('hex')}`;
  const database = await openDatabase({
    databaseUrl: options.databaseUrl ?? process.env.TRIPMETER_BENCH_DATABASE_URL ?? DEFAULT_URL,
    dataDir: 'memory://',
    schema,
    poolSize: 2,
  });
  const table = sql.table(`${schema}.trip_creation_attempts`);
  try {
    const now = new Date();
    await migrate(database, now);
    // Background traffic: 1M attempts over the last 7 days, 10 per anonymous id, a third signed in.
    await sql`
      INSERT INTO ${table} (id, created_at, user_id, anon_session_id, status, duration_ms, request_id, provider, model)
      SELECT gen_random_uuid(), ${now.toISOString()}::timestamptz - (g % 604800) * interval '1 second',
        CASE WHEN g % 3 = 0 THEN md5('u' || (g / 10)::text)::uuid END, md5((g / 10)::text)::uuid::text,
        CASE WHEN g % 20 = 0 THEN 'failed' ELSE 'success' END, g % 90000, 'bench-' || g, 'openai', 'gpt-5.4'
      FROM generate_series(1, ${attempts}) AS g`.execute(database.db);
    const targets = Array.from({ length: runs }, () => randomUUID());
    await sql`
      INSERT INTO ${table} (id, created_at, anon_session_id, status, request_id)
      SELECT gen_random_uuid(), ${now.toISOString()}::timestamptz - (g % 1000) * interval '1 minute', t, 'success',
        'target-' || t || '-' || g
      FROM unnest(${targets}::text[]) AS t, generate_series(1, ${rowsPerLink}) AS g`.execute(database.db);
    await sql`ANALYZE ${table}`.execute(database.db);

    const linkMs: number[] = [];
    for (const anonSessionId of targets) {
      const started = performance.now();
      const result = await linkIdentity(database, { anonSessionId, userId: randomUUID() }, { now });
      linkMs.push(performance.now() - started);
      const n = result.rowsBackfilled['product.trip_creation_attempts'];
      if (n !== rowsPerLink) throw new Error(`expected ${rowsPerLink} rows backfilled, got ${n}`);
    }
    const sorted = [...linkMs].sort((a, b) => a - b);
    return {
      attempts,
      rowsPerLink,
      linkMs,
      medianMs: sorted[Math.floor(sorted.length / 2)]!,
      maxMs: sorted.at(-1)!,
      goalMs: 50,
    };
  } finally {
    await dropBenchSchemas(database);
  }
}

/** The section `npm run bench` prints. */
export default async function benchLinkageSection() {
  const r = await runLinkageBench();
  return {
    title: `Linkage: link + backfill of one anon id with ${r.rowsPerLink.toLocaleString('en-US')} rows among ${r.attempts.toLocaleString('en-US')} attempts, Postgres`,
    rows: [
      ['linkIdentity median', `${r.medianMs.toFixed(1)} ms`, `goal ≤ ${r.goalMs} ms`],
      ['linkIdentity max', `${r.maxMs.toFixed(1)} ms`, ''],
    ],
  };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const result = await runLinkageBench();
  const ms = (n: number) => n.toFixed(1);
  console.log(
    `linkage: link + backfill of 1 anon id with ${result.rowsPerLink} rows among ${result.attempts.toLocaleString('en')} attempts ` +
      `(PostgreSQL): median ${ms(result.medianMs)} ms, max ${ms(result.maxMs)} ms over ${result.linkMs.length} runs ` +
      `[${result.linkMs.map(ms).join(', ')}]; goal ≤ ${result.goalMs} ms: ${result.medianMs <= result.goalMs ? 'met' : 'MISSED'}`,
  );
}
