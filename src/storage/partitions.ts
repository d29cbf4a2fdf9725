import { sql } from 'kysely';
import type { Database } from './database.js';

const DAY_MS = 86_400_000;

/** How far back and ahead partitions must exist: the ingest window plus a safety margin. */
export const PARTITION_HORIZON = { backDays: 8, aheadDays: 45 } as const;

function horizon(now: Date): { from: string; to: string } {
  return {
    from: new Date(now.getTime() - PARTITION_HORIZON.backDays * DAY_MS).toISOString(),
    to: new Date(now.getTime() + PARTITION_HORIZON.aheadDays * DAY_MS).toISOString(),
  };
}

/** The SQL statement that creates the partitions covering the horizon around `now`. */
export function ensurePartitionsSql(schema: string, now: Date): string {
  const { from, to } = horizon(now);
  return `SELECT ${schema}.ensure_partitions('${from}'::timestamptz, '${to}'::timestamptz);\n`;
}

/**
 * Creates any missing monthly partition from 8 days before `now` to 45 days after it, for every
 * partitioned table of both schemas (run by `migrate` and hourly by `serve`). Returns the
 * partitions it created.
 */
export async function ensurePartitions(database: Database, now: Date): Promise<string[]> {
  const { from, to } = horizon(now);
  const { rows } = await sql<{ name: string }>`
    SELECT ${sql.ref(`${database.schema}.ensure_partitions`)}(${from}::timestamptz, ${to}::timestamptz) AS name
  `.execute(database.db);
  return rows.map((row) => row.name);
}
