import { type Kysely, sql } from 'kysely';
import type { Database } from '../storage/index.js';

// biome-ignore lint/suspicious/noExplicitAny: raw SQL over tables that may not exist yet
export type AnyDb = Kysely<any>;

/** The classic flow's CTA event (mirrored by tripmeter/client). */
export const CTA_EVENT_NAME = 'create_trip__cta--generate';

/**
 * The client CTA events that open the funnel: one per create-trip flow (classic, wizard), so the
 * funnel counts a click of either.
 */
export const CTA_EVENT_NAMES: readonly string[] = [CTA_EVENT_NAME, 'create_trip_wizard__cta--generate'];

/** How long after a CTA click an attempt of the same anonymous session still counts. */
export const FUNNEL_WINDOW_MINUTES = 30;

/** The raw tables whose rows feed the rollups (product schema only; benchmarks never count). */
export const ROLLUP_SOURCES = [
  'trip_creation_attempts',
  'trip_creation_events',
  'trip_creation_client_events',
  'trip_creation_provider_calls',
  'trip_creation_attempt_phases',
];

/** Which of {@link ROLLUP_SOURCES} exist (some tables arrive with later migrations). */
export async function existingSources(db: AnyDb, schema: string): Promise<string[]> {
  const { rows } = await sql<{ name: string; present: boolean }>`
    SELECT t AS name, to_regclass(${schema} || '.' || t) IS NOT NULL AS present
    FROM unnest(${ROLLUP_SOURCES}::text[]) AS t`.execute(db);
  return rows.filter((row) => row.present).map((row) => row.name);
}

/** The rollup bookkeeping row of the attempts/funnel rollups. */
export const STATE_NAME = 'hourly';

/** Reads `finalized_through` and the xid watermark (null when never run). */
export async function readState(
  db: AnyDb,
  database: Database,
): Promise<{ finalizedThrough: Date | null; xidWatermark: number | null }> {
  const row = await db
    .withSchema(database.schema)
    .selectFrom('rollup_state')
    .select(['finalized_through', 'xid_watermark'])
    .where('name', '=', STATE_NAME)
    .executeTakeFirst();
  return {
    finalizedThrough: (row?.finalized_through as Date | null | undefined) ?? null,
    xidWatermark: (row?.xid_watermark as number | null | undefined) ?? null,
  };
}

/** Upserts the bookkeeping row; fields left undefined keep their value. */
export async function writeState(
  db: AnyDb,
  database: Database,
  patch: { finalizedThrough?: Date; xidWatermark?: number; lastRunAt: Date },
): Promise<void> {
  await sql`
    INSERT INTO ${sql.table(`${database.schema}.rollup_state`)} AS s (name, finalized_through, xid_watermark, last_run_at)
    VALUES (${STATE_NAME}, ${patch.finalizedThrough?.toISOString() ?? null}::timestamptz,
            ${patch.xidWatermark ?? null}::bigint, ${patch.lastRunAt.toISOString()}::timestamptz)
    ON CONFLICT (name) DO UPDATE SET
      finalized_through = coalesce(EXCLUDED.finalized_through, s.finalized_through),
      xid_watermark = coalesce(EXCLUDED.xid_watermark, s.xid_watermark),
      last_run_at = EXCLUDED.last_run_at`.execute(db);
}
