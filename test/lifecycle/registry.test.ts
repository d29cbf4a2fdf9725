import { sql } from 'kysely';
import { beforeAll, expect, it } from 'vitest';
import { RAW_TABLES } from '../../src/storage/index.js';
import { describeOnDatabases } from '../support/databases.js';

describeOnDatabases('raw-table registry', (ctx) => {
  // Start the engine (PGlite takes seconds on a busy machine) in a hook, not in the first test.
  beforeAll(async () => {
    await ctx.open();
  });

  it('lists every table of both schemas with a user_id or anon_session_id column (from the catalog)', async () => {
    const database = await ctx.open();
    // Parent tables only: partitions (relispartition) are covered through their parent.
    const { rows } = await sql<{ schema: string; name: string; columns: string[] }>`
      SELECT c.table_schema AS schema, c.table_name AS name, array_agg(c.column_name::text ORDER BY c.column_name) AS columns
      FROM information_schema.columns c
      JOIN pg_namespace n ON n.nspname = c.table_schema
      JOIN pg_class k ON k.relnamespace = n.oid AND k.relname = c.table_name
      WHERE c.table_schema IN (${database.schema}, ${database.adminSchema})
        AND c.column_name IN ('user_id', 'anon_session_id')
        AND k.relkind IN ('r', 'p') AND NOT k.relispartition
      GROUP BY 1, 2 ORDER BY 1, 2`.execute(database.db);
    expect(rows.length).toBeGreaterThanOrEqual(3);
    const registered = new Set(
      RAW_TABLES.flatMap((t) =>
        t.schemas.map((role) => `${role === 'product' ? database.schema : database.adminSchema}.${t.name}`),
      ),
    );
    const missing = rows.map((r) => `${r.schema}.${r.name}`).filter((name) => !registered.has(name));
    expect(missing, 'tables with subject columns missing from src/storage/raw-tables.ts').toEqual([]);
    for (const row of rows) {
      const entry = RAW_TABLES.find((t) => t.name === row.name);
      expect([...(entry?.subjectColumns ?? [])].sort(), `${row.name} subjectColumns`).toEqual(row.columns);
    }
  });

  it('lists no table that does not exist', async () => {
    const database = await ctx.open();
    for (const table of RAW_TABLES)
      for (const role of table.schemas) {
        const schema = role === 'product' ? database.schema : database.adminSchema;
        const { rows } = await sql<{ oid: string | null }>`
          SELECT to_regclass(${`${schema}.${table.name}`})::text AS oid`.execute(database.db);
        expect(rows[0]?.oid, `${schema}.${table.name}`).not.toBeNull();
      }
  });

  it('marks identity_links as a link table, kept apart by retention', () => {
    expect(RAW_TABLES.find((t) => t.name === 'identity_links')).toMatchObject({
      kind: 'link',
      partitioned: false,
    });
  });
});
