import { sql } from 'kysely';
import {
  cellSumSql,
  FAMILIES,
  familyColumns,
  familyRowsSql,
  type GenerationFamily,
} from './generation-rows.js';
import type { AnyDb } from './sources.js';

const HOUR_MS = 3_600_000;
const FAMILY_NAMES = Object.keys(FAMILIES) as GenerationFamily[];

/** The generation rollup tables (migration 0013), hourly and daily. */
export const GENERATION_ROLLUP_TABLES: readonly string[] = FAMILY_NAMES.flatMap((f) => [
  `${f}_rollups_hourly`,
  `${f}_rollups_daily`,
]);

/** `true` once migration 0013 ran (older schemas skip the generation rollups). */
async function present(db: AnyDb, schema: string): Promise<boolean> {
  const { rows } = await sql<{ ok: boolean }>`
    SELECT to_regclass(${`${schema}.generation_rollups_hourly`}) IS NOT NULL
      AND to_regclass(${`${schema}.trip_creation_provider_calls`}) IS NOT NULL AS ok`.execute(db);
  return rows[0]?.ok === true;
}

/**
 * Recomputes whole hours (ISO instants of hour starts) of the call, phase and generation
 * rollups from raw rows: deletes the hours' rows and inserts fresh aggregates (idempotent).
 * Called by `recomputeHours`, in the same transaction as the attempt rollups.
 */
export async function recomputeGenerationHours(db: AnyDb, schema: string, hours: string[]): Promise<void> {
  if (hours.length === 0 || !(await present(db, schema))) return;
  const segments = hours.map((h) => ({ from: new Date(h), to: new Date(Date.parse(h) + HOUR_MS) }));
  for (const family of FAMILY_NAMES) {
    const table = sql.table(`${schema}.${family}_rollups_hourly`);
    const columns = sql.raw(familyColumns(family).join(', '));
    await sql`DELETE FROM ${table} WHERE bucket = ANY(${hours}::timestamptz[])`.execute(db);
    await sql`INSERT INTO ${table} (bucket, ${columns})
      SELECT bucket, ${columns} FROM (${familyRowsSql(family, schema, segments)}) AS r`.execute(db);
  }
}

/**
 * Re-derives the daily generation rollups of whole UTC days (ISO midnights) from the hourly
 * ones (never from raw rows: final days whose raw rows are purged come out the same). Called by
 * `recomputeDays`, which stamps the days' generation for readers' caches.
 */
export async function recomputeGenerationDays(db: AnyDb, schema: string, days: string[]): Promise<void> {
  if (days.length === 0 || !(await present(db, schema))) return;
  for (const family of FAMILY_NAMES) {
    const shape = FAMILIES[family];
    const daily = sql.table(`${schema}.${family}_rollups_daily`);
    const dims = sql.raw(shape.dimensions.map((d) => `h.${d}`).join(', '));
    const sums = shape.sums.map((s) => `sum(h.${s})`);
    const hists = shape.hists.map((h) => `${cellSumSql(`h.${h.column}`, h.cells)}::integer[]`);
    await sql`DELETE FROM ${daily} WHERE bucket = ANY(${days}::timestamptz[])`.execute(db);
    await sql`
      INSERT INTO ${daily} (bucket, ${sql.raw(familyColumns(family).join(', '))})
      SELECT d.day, ${dims}, ${sql.raw([...sums, ...hists].join(', '))}
      FROM unnest(${days}::timestamptz[]) AS d(day)
        JOIN ${sql.table(`${schema}.${family}_rollups_hourly`)} AS h
          ON h.bucket >= d.day AND h.bucket < d.day + interval '24 hours'
      GROUP BY d.day, ${dims}`.execute(db);
  }
}

/**
 * Hours a change reaches beyond its own hour: the attempts' hours of calls and phases written by
 * transactions ≥ `minXid` (an attempt's generation figures count its calls and phases), and the
 * phases' hours of changed attempts (a phase's dimensions are its attempt's).
 */
export async function relatedHours(
  db: AnyDb,
  schema: string,
  since: Date,
  minXid: number | null,
  fullXminSql: string,
): Promise<Date[]> {
  if (minXid === null || !(await present(db, schema))) return [];
  const t = (name: string) => sql.table(`${schema}.${name}`);
  const changed = (alias: string) =>
    sql.raw(
      `${alias}.created_at >= '${since.toISOString()}'::timestamptz AND ${fullXminSql.replaceAll('xmin', `${alias}.xmin`)} >= ${Number(minXid)}`,
    );
  const { rows } = await sql<{ h: Date }>`
    WITH x AS (SELECT pg_snapshot_xmax(pg_current_snapshot())::text::bigint AS next)
    SELECT DISTINCT date_trunc('hour', a.created_at) AS h
    FROM x, ${t('trip_creation_provider_calls')} AS c
      JOIN ${t('trip_creation_attempts')} AS a ON a.request_id = c.request_id
    WHERE ${changed('c')}
    UNION
    SELECT DISTINCT date_trunc('hour', a.created_at)
    FROM x, ${t('trip_creation_attempt_phases')} AS p
      JOIN ${t('trip_creation_attempts')} AS a ON a.request_id = p.request_id
    WHERE ${changed('p')}
    UNION
    SELECT DISTINCT date_trunc('hour', p.created_at)
    FROM x, ${t('trip_creation_attempts')} AS a
      JOIN ${t('trip_creation_attempt_phases')} AS p ON p.request_id = a.request_id
    WHERE ${changed('a')}`.execute(db);
  return rows.map((row) => new Date(row.h));
}
