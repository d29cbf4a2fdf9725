import { sql } from 'kysely';
import type { Database } from '../../src/storage/index.js';

/**
 * A normalised description of everything in the given schemas (tables, columns with types,
 * defaults and nullability, constraints, indexes, partitioning, functions), with the schema
 * names replaced by placeholders so two schemas can be compared.
 */
export async function describeCatalog(database: Database, schemas: string[]): Promise<string[]> {
  const rename = (text: string) =>
    schemas.reduce((acc, schema, i) => acc.replaceAll(schema, `<schema${i}>`), text);
  const list = sql.join(schemas.map((s) => sql.lit(s)));
  const queries = [
    sql<{ line: string }>`
      SELECT format('relation %s.%s kind=%s partkey=%s bound=%s', n.nspname, c.relname, c.relkind,
        coalesce(pg_get_partkeydef(c.oid), '-'), coalesce(pg_get_expr(c.relpartbound, c.oid), '-')) AS line
      FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname IN (${list}) AND c.relkind IN ('r', 'p', 'v', 'm', 'S')`,
    sql<{ line: string }>`
      SELECT format('column %s.%s.%s %s notnull=%s default=%s generated=%s', table_schema, table_name, column_name,
        data_type, is_nullable, coalesce(column_default, '-'), coalesce(generation_expression, '-')) AS line
      FROM information_schema.columns WHERE table_schema IN (${list})`,
    sql<{ line: string }>`
      SELECT format('constraint %s.%s %s %s', n.nspname, c.conname, rel.relname, pg_get_constraintdef(c.oid)) AS line
      FROM pg_constraint c JOIN pg_namespace n ON n.oid = c.connamespace JOIN pg_class rel ON rel.oid = c.conrelid
      WHERE n.nspname IN (${list})`,
    sql<{ line: string }>`
      SELECT format('index %s', pg_get_indexdef(i.indexrelid)) AS line
      FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname IN (${list})`,
    sql<{ line: string }>`
      SELECT format('function %s.%s(%s) %s', n.nspname, p.proname, pg_get_function_arguments(p.oid), p.prosrc) AS line
      FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname IN (${list})`,
  ];
  const lines: string[] = [];
  for (const query of queries) {
    const { rows } = await query.execute(database.db);
    lines.push(...rows.map((row) => rename(row.line)));
  }
  return lines.sort();
}
