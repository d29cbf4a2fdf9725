import { type Kysely, sql } from 'kysely';

/** One partition of a range-partitioned table, with its bounds (null for a DEFAULT partition). */
export interface PartitionBounds {
  schema: string;
  name: string;
  from: Date | null;
  to: Date | null;
}

/**
 * The partitions of `schema.table` with their `FOR VALUES FROM (…) TO (…)` bounds, read from
 * the catalog (bounds print as UTC timestamps: both engines run with `TimeZone=UTC`).
 */
export async function partitionsOf(
  db: Kysely<unknown>,
  schema: string,
  table: string,
): Promise<PartitionBounds[]> {
  const { rows } = await sql<{ schema: string; name: string; from: Date | null; to: Date | null }>`
    SELECT n.nspname AS schema, c.relname AS name,
      substring(pg_get_expr(c.relpartbound, c.oid) FROM 'FROM \\(''([^'']+)''\\)')::timestamptz AS "from",
      substring(pg_get_expr(c.relpartbound, c.oid) FROM 'TO \\(''([^'']+)''\\)')::timestamptz AS "to"
    FROM pg_inherits i
    JOIN pg_class c ON c.oid = i.inhrelid
    JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE i.inhparent = to_regclass(${`${schema}.${table}`})
    ORDER BY 3 NULLS LAST`.execute(db);
  return rows.map((row) => ({
    schema: row.schema,
    name: row.name,
    from: row.from ? new Date(row.from) : null,
    to: row.to ? new Date(row.to) : null,
  }));
}
