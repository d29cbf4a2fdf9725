/**
 * Retention bench: 1M expired attempt rows removed by partition DROP vs by DELETE, same run,
 * same rows, on PostgreSQL (`TRIPMETER_BENCH_DATABASE_URL`, default
 * postgres://postgres@127.0.0.1:5432/postgres) in a schema of its own, dropped after.
 *
 *   node --import tsx bench/retention.ts            # BENCH_ROWS=1000000 by default
 */
import { randomBytes } from 'node:crypto';
import { open, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { sql } from 'kysely';
import { type Database, migrate, openDatabase } from '../src/storage/index.js';
import { dropBenchSchemas } from './support.js';

/** What the bench measured. */
export interface RetentionBenchResult {
  rows: number;
  dropMs: number;
  deleteMs: number;
  /** VACUUM after the DELETE, which actually removes the dead rows' bytes. */
  vacuumMs: number;
  /** (deleteMs + vacuumMs) / dropMs: how many times faster dropping the partition is. */
  ratio: number;
  /** The partition's bytes on disk (heap, TOAST, indexes). */
  bytes: number;
  /** The filesystem removing one file of that size: the floor of any DROP of the partition. */
  unlinkMs: number;
}

const MONTH_START = '2025-01-01T00:00:00Z';
const MONTH_END = '2025-02-01T00:00:00Z';
const PARTITION = 'trip_creation_attempts_p2025_01';

async function fill(database: Database, rows: number): Promise<void> {
  await sql`SELECT ${sql.ref(`${database.schema}.ensure_partitions`)}(${MONTH_START}::timestamptz, ${MONTH_START}::timestamptz)`.execute(
    database.db,
  );
  // 1M rows spread over 23 days of January 2025; the same rows every time (deterministic).
  await sql`
    INSERT INTO ${sql.table(`${database.schema}.trip_creation_attempts`)}
      (id, created_at, status, request_id, duration_ms, provider, model, input_snapshot_json)
    SELECT md5(g::text)::uuid, ${MONTH_START}::timestamptz + g * interval '2 seconds',
      CASE WHEN g % 10 = 0 THEN 'failed' ELSE 'success' END, 'bench-' || g, ((g::bigint * 7919) % 60000)::integer,
      'openai', 'gpt-5.4', '{"destinationPrompt": "Japan", "budget": "Medium"}'::jsonb
    FROM generate_series(1, ${rows}::integer) AS g`.execute(database.db);
  // VACUUM now, as autovacuum long has for a month-old partition: a fresh 1M-row insert would
  // otherwise wake autovacuum, and the DROP would wait up to a second for it to give way.
  await sql`VACUUM (ANALYZE) ${sql.table(`${database.schema}.${PARTITION}`)}`.execute(database.db);
  // Flush the fill's dirty pages first, so neither timed step pays for writing them.
  await sql`CHECKPOINT`.execute(database.db).catch(() => {});
}

/**
 * Writes a file of `bytes` (synced to disk) beside the system's temporary files and times its
 * removal: what the filesystem alone needs to free that much, which no DROP can beat.
 */
async function unlinkFloor(bytes: number): Promise<number> {
  const path = join(tmpdir(), `tripmeter-unlink-${randomBytes(4).toString('hex')}`);
  const file = await open(path, 'w');
  const chunk = Buffer.alloc(8 << 20, 1);
  for (let written = 0; written < bytes; written += chunk.length) {
    await file.write(chunk, 0, Math.min(chunk.length, bytes - written));
  }
  await file.sync();
  await file.close();
  return timed(() => rm(path));
}

async function timed(fn: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await fn();
  return performance.now() - started;
}

/** Runs the bench and prints rows, drop ms, delete ms and the ratio. */
export async function benchRetention(
  rows = Number(process.env.BENCH_ROWS ?? 1_000_000),
  url = process.env.TRIPMETER_BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres',
): Promise<RetentionBenchResult> {
  const schema = `bench_retention_${randomBytes(4).toString('hex')}`;
  const database = await openDatabase({ databaseUrl: url, dataDir: 'memory://', schema, poolSize: 2 });
  try {
    await migrate(database, new Date(MONTH_START));
    const part = sql.table(`${schema}.${PARTITION}`);

    await fill(database, rows);
    const { rows: size } = await sql<{ bytes: number }>`
      SELECT pg_total_relation_size(${`${schema}.${PARTITION}`}::regclass) AS bytes`.execute(database.db);
    const bytes = Number(size[0]!.bytes);
    const dropMs = await timed(() => sql`DROP TABLE ${part}`.execute(database.db));
    const unlinkMs = await unlinkFloor(bytes);

    await fill(database, rows); // the same rows again, in a fresh partition
    let deleted = 0;
    const deleteMs = await timed(async () => {
      const result = await sql`DELETE FROM ${sql.table(`${schema}.trip_creation_attempts`)}
        WHERE created_at < ${MONTH_END}::timestamptz`.execute(database.db);
      deleted = Number(result.numAffectedRows ?? 0);
    });
    if (deleted !== rows) throw new Error(`DELETE removed ${deleted} rows, expected ${rows}`);
    // A DELETE only marks the rows dead: their bytes (notes, snapshots) stay on disk until a
    // VACUUM reclaims them. For a privacy purge that is part of the cost; DROP frees at once.
    const vacuumMs = await timed(() => sql`VACUUM ${part}`.execute(database.db));

    const result = {
      rows,
      dropMs,
      deleteMs,
      vacuumMs,
      ratio: (deleteMs + vacuumMs) / dropMs,
      bytes,
      unlinkMs,
    };
    console.log(
      `retention bench (PostgreSQL): ${rows} expired rows; partition DROP ${dropMs.toFixed(1)} ms, ` +
        `DELETE ${deleteMs.toFixed(1)} ms + VACUUM ${vacuumMs.toFixed(1)} ms; DROP is ${result.ratio.toFixed(0)}× faster ` +
        `(${(deleteMs / dropMs).toFixed(0)}× against the DELETE alone)`,
    );
    return result;
  } finally {
    await dropBenchSchemas(database);
  }
}

/** The section `npm run bench` prints. */
export default async function benchRetentionSection() {
  const r = await benchRetention();
  return {
    title: `Retention: ${r.rows.toLocaleString('en-US')} expired attempt rows, Postgres`,
    rows: [
      ['partition DROP', `${r.dropMs.toFixed(0)} ms`, '1×'],
      [
        'DELETE of the same rows',
        `${r.deleteMs.toFixed(0)} ms`,
        `${(r.deleteMs / r.dropMs).toFixed(1)}× slower`,
      ],
      [
        'DELETE + VACUUM (bytes gone from disk)',
        `${(r.deleteMs + r.vacuumMs).toFixed(0)} ms`,
        `${r.ratio.toFixed(1)}× slower`,
      ],
      [
        `floor: the filesystem removing one file of the partition's size (${(r.bytes / 2 ** 20).toFixed(0)} MB)`,
        `${r.unlinkMs.toFixed(0)} ms`,
        `DROP = ${(r.dropMs / r.unlinkMs).toFixed(1)}× the floor`,
      ],
    ],
  };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await benchRetention();
}
