import { sql } from 'kysely';
import { type Database, LOCK_KEYS } from '../storage/index.js';
import { rolledUpDays } from './recompute-days.js';
import { GENERATION_ROLLUP_TABLES, relatedHours } from './recompute-generation.js';
import { recomputeHours } from './recompute-hours.js';
import { type AnyDb, existingSources, readState, writeState } from './sources.js';

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;
const LOCK_KEY = LOCK_KEYS.single.rollups; // serialises rollup runs (minute job, rebuild, finalize) across processes
/**
 * A row's full (64-bit) transaction id from its 32-bit `xmin`, relative to the snapshot's next
 * xid (rows are never older than 2^31 transactions unfrozen; frozen rows come out old).
 */
const FULL_XMIN_SQL = `(x.next - (((x.next % 4294967296) - xmin::text::bigint + 4294967296) % 4294967296))`;

/** What a rollup run did. */
export interface RollupResult {
  /** Hours whose aggregates were recomputed from raw rows. */
  hoursRecomputed: number;
  /** Hours before this are final (never recomputed again); null until retention first runs. */
  finalizedThrough: Date | null;
}

/** Options of {@link updateRollups}. */
export interface UpdateRollupsOptions {
  now: Date;
  /** How far back changed raw rows are looked for (default 8 days: the ingest horizon). */
  lookbackDays?: number;
}

const hourOf = (d: Date) => new Date(Math.floor(d.getTime() / HOUR_MS) * HOUR_MS);

async function locked<T>(database: Database, fn: (db: AnyDb) => Promise<T>): Promise<T> {
  return database.db.transaction().execute(async (trx) => {
    await sql`SELECT pg_advisory_xact_lock(${LOCK_KEY})`.execute(trx);
    return fn(trx as AnyDb);
  });
}

/** The oldest transaction that may still be running: everything older is visible to us. */
async function snapshotXids(db: AnyDb): Promise<{ xmin: number }> {
  const { rows } = await sql<{ xmin: number }>`
    SELECT pg_snapshot_xmin(pg_current_snapshot())::text::bigint AS xmin`.execute(db);
  return rows[0]!;
}

/** Hours holding raw rows in `[from, to)`, optionally only rows written by transactions ≥ `minXid`. */
async function rawHours(
  db: AnyDb,
  database: Database,
  range: { from: Date | null; to: Date | null; minXid?: number | null },
): Promise<Date[]> {
  const hours: Date[] = [];
  for (const table of await existingSources(db, database.schema)) {
    const { rows } = await sql<{ h: Date }>`
      SELECT DISTINCT date_trunc('hour', created_at) AS h FROM ${sql.table(`${database.schema}.${table}`)},
        (SELECT pg_snapshot_xmax(pg_current_snapshot())::text::bigint AS next) AS x
      WHERE created_at >= coalesce(${range.from?.toISOString() ?? null}::timestamptz, '-infinity')
        AND created_at < coalesce(${range.to?.toISOString() ?? null}::timestamptz, 'infinity')
        AND (${range.minXid ?? null}::bigint IS NULL OR ${sql.raw(FULL_XMIN_SQL)} >= ${range.minXid ?? null}::bigint)`.execute(
      db,
    );
    hours.push(...rows.map((row) => new Date(row.h)));
  }
  return hours;
}

/**
 * The minute job: recomputes the hours whose raw rows changed since the last run (found by the
 * rows' transaction ids, so late and out-of-order writes are caught), plus the current hour.
 * Idempotent and safe to run concurrently (runs serialise on an advisory lock).
 *
 * @example
 * await updateRollups(database, { now: new Date() });
 */
export async function updateRollups(
  database: Database,
  options: UpdateRollupsOptions,
): Promise<RollupResult> {
  const { now, lookbackDays = 8 } = options;
  return locked(database, async (db) => {
    const state = await readState(db, database);
    const snap = await snapshotXids(db);
    const since = new Date(
      Math.max(now.getTime() - lookbackDays * DAY_MS, state.finalizedThrough?.getTime() ?? 0),
    );
    const touched = await rawHours(db, database, { from: since, to: null, minXid: state.xidWatermark });
    touched.push(...(await relatedHours(db, database.schema, since, state.xidWatermark, FULL_XMIN_SQL)));
    const hoursRecomputed = await recomputeHours(
      db,
      database,
      [...touched, hourOf(now)],
      state.finalizedThrough,
    );
    await writeState(db, database, { xidWatermark: snap.xmin, lastRunAt: now });
    return { hoursRecomputed, finalizedThrough: state.finalizedThrough };
  });
}

/**
 * Recomputes every hour that is not final from the raw rows (and clears rollup rows of
 * non-final hours whose raw rows are gone), then every daily rollup from the hourly ones (final
 * days included: they derive from hourly rows, which are kept). `tripmeter rollup --rebuild`.
 */
export async function rebuildRollups(database: Database, options: { now: Date }): Promise<RollupResult> {
  return locked(database, async (db) => {
    const state = await readState(db, database);
    const snap = await snapshotXids(db);
    const hours = await rawHours(db, database, { from: state.finalizedThrough, to: null });
    const { rows } = await sql<{ h: Date }>`
      SELECT bucket AS h FROM ${sql.table(`${database.schema}.attempt_rollups_hourly`)}
      UNION SELECT bucket FROM ${sql.table(`${database.schema}.funnel_rollups_hourly`)}
      ${sql.join(
        GENERATION_ROLLUP_TABLES.filter((t) => t.endsWith('_hourly')).map(
          (t) => sql`UNION SELECT bucket FROM ${sql.table(`${database.schema}.${t}`)}`,
        ),
        sql` `,
      )}`.execute(db);
    hours.push(...rows.map((row) => new Date(row.h)));
    const days = await rolledUpDays(db, database.schema);
    const hoursRecomputed = await recomputeHours(db, database, hours, state.finalizedThrough, days);
    await writeState(db, database, { xidWatermark: snap.xmin, lastRunAt: options.now });
    return { hoursRecomputed, finalizedThrough: state.finalizedThrough };
  });
}

/**
 * Makes every hour before `through` (rounded up to the hour) final: recomputes the not yet
 * final ones from their raw rows one last time, then records them as final so nothing
 * recomputes them after their raw rows are deleted. Retention calls this before deleting.
 */
export async function finalizeRollups(
  database: Database,
  options: { through: Date; now: Date },
): Promise<RollupResult> {
  const through = new Date(Math.ceil(options.through.getTime() / HOUR_MS) * HOUR_MS);
  return locked(database, async (db) => {
    const state = await readState(db, database);
    if (state.finalizedThrough && state.finalizedThrough >= through)
      return { hoursRecomputed: 0, finalizedThrough: state.finalizedThrough };
    const hours = await rawHours(db, database, { from: state.finalizedThrough, to: through });
    const hoursRecomputed = await recomputeHours(db, database, hours, state.finalizedThrough);
    await writeState(db, database, { finalizedThrough: through, lastRunAt: options.now });
    return { hoursRecomputed, finalizedThrough: through };
  });
}

/**
 * Recomputes the rollups of `[from, to)` (default: up to now) from the raw rows, every rollup
 * family included: each hour that is not final and holds raw rows or rollup rows, then its days.
 * For a change that reaches back further than the minute job looks (8 days), e.g. stored costs
 * recomputed after a price change (`tripmeter prices recompute --from DATE`). Final hours (raw
 * rows possibly purged) are left as they are and counted in `hoursSkippedFinal`.
 *
 * @example
 * await recomputeRollups(database, { from: new Date('2026-10-01T00:00:00Z'), now: new Date() });
 */
export async function recomputeRollups(
  database: Database,
  options: { from: Date; to?: Date; now: Date },
): Promise<RollupResult & { hoursSkippedFinal: number }> {
  const to = options.to ?? new Date(options.now.getTime() + HOUR_MS);
  return locked(database, async (db) => {
    const state = await readState(db, database);
    const hours = await rawHours(db, database, { from: hourOf(options.from), to });
    const tables = [
      'attempt_rollups_hourly',
      'funnel_rollups_hourly',
      ...GENERATION_ROLLUP_TABLES.filter((t) => t.endsWith('_hourly')),
    ];
    const { rows } = await sql<{ h: Date }>`
      SELECT bucket AS h FROM (${sql.join(
        tables.map((t) => sql`SELECT bucket FROM ${sql.table(`${database.schema}.${t}`)}`),
        sql` UNION `,
      )}) AS b
      WHERE bucket >= ${hourOf(options.from).toISOString()}::timestamptz AND bucket < ${to.toISOString()}::timestamptz`.execute(
      db,
    );
    hours.push(...rows.map((row) => new Date(row.h)));
    const floor = state.finalizedThrough?.getTime() ?? Number.NEGATIVE_INFINITY;
    const skipped = new Set(hours.map((h) => hourOf(h).getTime()).filter((t) => t < floor)).size;
    const hoursRecomputed = await recomputeHours(db, database, hours, state.finalizedThrough);
    return { hoursRecomputed, finalizedThrough: state.finalizedThrough, hoursSkippedFinal: skipped };
  });
}
