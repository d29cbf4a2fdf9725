import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { ensurePartitions, migrate, schemaVersion } from '../../src/storage/index.js';
import { describeOnDatabases } from '../support/databases.js';

const uuid = () => crypto.randomUUID();

describeOnDatabases('migrate', (ctx) => {
  it('applies every migration once, and a second run is a no-op', async () => {
    const database = await ctx.open({ migrate: false });
    const first = await migrate(database);
    expect(first.applied.length).toBeGreaterThan(0);
    expect(first.alreadyApplied).toBe(0);
    const second = await migrate(database);
    expect(second.applied).toEqual([]);
    expect(second.alreadyApplied).toBe(first.applied.length);
    expect(second.partitionsCreated).toEqual([]);
    expect(await schemaVersion(database)).toBe(first.schemaVersion);
  });

  it('puts the tables in the configured schema and its admin schema, never public', async () => {
    const database = await ctx.open();
    const { rows } = await sql<{ table_schema: string; table_name: string }>`
      SELECT table_schema, table_name FROM information_schema.tables
      WHERE table_name IN ('trip_creation_attempts', 'trip_creation_events') ORDER BY 1, 2`.execute(
      database.db,
    );
    const mine = rows.filter((r) => r.table_schema.startsWith(database.schema));
    expect(mine.map((r) => `${r.table_schema}.${r.table_name}`)).toEqual([
      `${database.schema}.trip_creation_attempts`,
      `${database.schema}.trip_creation_events`,
      `${database.adminSchema}.trip_creation_attempts`,
      `${database.adminSchema}.trip_creation_events`,
    ]);
    expect(rows.some((r) => r.table_schema === 'public')).toBe(false);
  });

  it('rejects an unknown event_type and status with the CHECK constraints', async () => {
    const database = await ctx.open();
    const events = sql.table(`${database.schema}.trip_creation_events`);
    const attempts = sql.table(`${database.schema}.trip_creation_attempts`);
    await expect(
      sql`INSERT INTO ${events} (id, event_type, request_id) VALUES (${uuid()}, 'create_trip_exploded', 'r1')`.execute(
        database.db,
      ),
    ).rejects.toThrow(/event_type_check/);
    await expect(
      sql`INSERT INTO ${attempts} (id, status, request_id) VALUES (${uuid()}, 'done', 'r2')`.execute(
        database.db,
      ),
    ).rejects.toThrow(/status_check/);
    await sql`INSERT INTO ${events} (id, event_type, request_id) VALUES (${uuid()}, 'create_trip_failed', 'r3')`.execute(
      database.db,
    );
    const { rows } = await sql<{ n: number }>`SELECT count(*) AS n FROM ${events}`.execute(database.db);
    expect(rows[0]?.n).toBe(1); // count(*) is a JS number on both engines
  });

  it('finds a partition for every timestamp of the ingest window (7 days back, minutes ahead)', async () => {
    // A month boundary inside the window is the interesting case.
    const now = new Date('2026-12-03T00:30:00Z');
    const database = await ctx.open({ now });
    const table = database.db.withSchema(database.schema);
    const times: Date[] = [];
    for (let minutes = -7 * 24 * 60; minutes <= 5; minutes += 97)
      times.push(new Date(now.getTime() + minutes * 60_000));
    times.push(new Date(now.getTime() - 7 * 86_400_000), new Date(now.getTime() + 5 * 60_000));
    for (const schema of [database.schema, database.adminSchema]) {
      await database.db
        .withSchema(schema)
        .insertInto('trip_creation_attempts')
        .values(
          times.map((created_at, i) => ({ id: uuid(), created_at, status: 'pending', request_id: `r${i}` })),
        )
        .execute();
    }
    const counted = await table
      .selectFrom('trip_creation_attempts')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    expect(counted.n).toBe(times.length);
  });

  it('creates partitions ahead as time moves on, idempotently', async () => {
    const database = await ctx.open({ now: new Date('2026-01-15T00:00:00Z') });
    const created = await ensurePartitions(database, new Date('2026-06-15T00:00:00Z'));
    expect(created).toContain(`${database.schema}.trip_creation_attempts_p2026_06`);
    expect(created).toContain(`${database.adminSchema}.trip_creation_events_p2026_07`);
    expect(await ensurePartitions(database, new Date('2026-06-15T00:00:00Z'))).toEqual([]);
  });
});

describe('schema names', () => {
  it('refuses a schema name that needs quoting', async () => {
    const { renderMigration } = await import('../../src/storage/migration-files.js');
    expect(() => renderMigration('x', 'bad-name', 'bad-name_admin')).toThrow(/invalid schema name/);
  });
});
