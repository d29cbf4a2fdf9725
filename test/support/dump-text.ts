import { sql } from 'kysely';
import type { Database } from '../../src/storage/index.js';

/**
 * Every text-like value stored in both schemas of `database` (text, varchar, json, jsonb, arrays,
 * bytea), one `table.column=value` line each: what a scan for data that must never be stored reads.
 */
export async function dumpAllText(database: Database): Promise<string> {
  const { rows: columns } = await sql<{ schema: string; table: string; column: string }>`
    SELECT c.table_schema AS schema, c.table_name AS table, c.column_name AS column
    FROM information_schema.columns c JOIN pg_class k ON k.relname = c.table_name
    JOIN pg_namespace n ON n.oid = k.relnamespace AND n.nspname = c.table_schema
    WHERE c.table_schema IN (${database.schema}, ${database.adminSchema})
      AND c.data_type IN ('text', 'jsonb', 'character varying', 'json', 'ARRAY', 'bytea')
      AND k.relkind IN ('r', 'p') AND NOT k.relispartition`.execute(database.db);
  const parts: string[] = [];
  for (const c of columns) {
    const { rows } = await sql<{ v: string | null }>`
      SELECT ${sql.ref(c.column)}::text AS v FROM ${sql.table(`${c.schema}.${c.table}`)}`.execute(
      database.db,
    );
    for (const r of rows) if (r.v !== null) parts.push(`${c.table}.${c.column}=${r.v}`);
  }
  return parts.join('\n');
}
