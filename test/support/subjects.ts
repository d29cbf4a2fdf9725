import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import type { Database } from '../../src/storage/index.js';
import { type RawTableTarget, rawTableTargets } from '../../src/storage/raw-table-targets.js';
import { createTripmeter } from '../../src/store/index.js';

/** A fresh random subject id (UUIDv4). */
export const uuid = (): string => randomUUID();

/** Writes one finished attempt (attempted + succeeded events) through the real tracker. */
export async function writeAttempts(
  database: Database,
  rows: { anonSessionId?: string; userId?: string; at: Date; source?: string; count?: number },
): Promise<void> {
  const tracker = createTripmeter({ database, now: () => rows.at.getTime() });
  for (let i = 0; i < (rows.count ?? 1); i++) {
    const { anonSessionId, userId, source } = rows;
    tracker.startAttempt({ anonSessionId, userId, source, input: {} }).succeed({ tripId: `trip_${i}` });
  }
  await tracker.flush();
  await tracker.shutdown();
}

/** `(user_id, anon_session_id)` of every attempt and event row of a schema. */
export async function subjectRows(database: Database, schema: string) {
  const { rows } = await sql<{ t: string; user_id: string | null; anon_session_id: string | null }>`
    SELECT 'attempts' AS t, user_id::text, anon_session_id FROM ${sql.table(`${schema}.trip_creation_attempts`)}
    UNION ALL
    SELECT 'events', user_id::text, anon_session_id FROM ${sql.table(`${schema}.trip_creation_events`)}`.execute(
    database.db,
  );
  return rows;
}

/**
 * Every (schema.table.column) of every table of both schemas (partitions included: they are where
 * the rows live) whose text, uuid or jsonb value contains one of `needles`, driven by the catalog.
 */
export async function scanForIds(database: Database, needles: string[]): Promise<string[]> {
  const { rows: columns } = await sql<{ s: string; t: string; c: string }>`
    SELECT c.table_schema AS s, c.table_name AS t, c.column_name AS c
    FROM information_schema.columns c
    JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name
    WHERE c.table_schema IN (${database.schema}, ${database.adminSchema}) AND t.table_type = 'BASE TABLE'
      AND c.data_type IN ('text', 'uuid', 'jsonb', 'character varying', 'json', 'ARRAY')
    ORDER BY 1, 2, 3`.execute(database.db);
  const hits: string[] = [];
  for (const { s, t, c } of columns) {
    const { rows } = await sql<{ n: number }>`
      SELECT count(*) AS n FROM ${sql.table(`${s}.${t}`)}
      WHERE ${sql.ref(c)}::text ILIKE ANY(${needles.map((n) => `%${n}%`)}::text[])`.execute(database.db);
    if ((rows[0]?.n ?? 0) > 0) hits.push(`${s}.${t}.${c}`);
  }
  return hits;
}

/** Counts per table as results and receipts report them: every registered table, zero unless given. */
export function countsOf(
  database: Database,
  counts: Record<string, number>,
  filter: (t: RawTableTarget) => boolean = () => true,
): Record<string, number> {
  const all = Object.fromEntries(
    rawTableTargets(database)
      .filter(filter)
      .map((t) => [t.key, 0]),
  );
  return { ...all, ...counts };
}
