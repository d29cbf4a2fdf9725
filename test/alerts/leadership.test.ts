import pg from 'pg';
import { expect, it } from 'vitest';
import { asLeader } from '../../src/alerts/index.js';
import { LOCK_KEYS } from '../../src/storage/index.js';
import { describeOnDatabases } from '../support/databases.js';

describeOnDatabases('alert leadership', (ctx) => {
  /** Runs `body` while another session holds the advisory lock `key`. */
  async function whileHeld<T>(key: number, body: () => Promise<T>): Promise<T> {
    const other = new pg.Client({ connectionString: ctx.url });
    await other.connect();
    try {
      await other.query('BEGIN');
      await other.query('SELECT pg_advisory_xact_lock($1)', [key]);
      return await body();
    } finally {
      await other.query('ROLLBACK').catch(() => {});
      await other.end();
    }
  }

  it.runIf(ctx.kind === 'postgres')('still leads while a rollup run holds its lock', async () => {
    const database = await ctx.open();
    const outcome = await whileHeld(LOCK_KEYS.single.rollups, () =>
      asLeader(database, async () => 'evaluated'),
    );
    expect(outcome).toEqual({ leader: true, result: 'evaluated' });
  });

  it.runIf(ctx.kind === 'postgres')('steps aside while another instance leads', async () => {
    const database = await ctx.open();
    const outcome = await whileHeld(LOCK_KEYS.single.alertsLeader, () => asLeader(database, async () => 1));
    expect(outcome).toEqual({ leader: false });
  });

  it.runIf(ctx.kind === 'pglite')('leads alone on PGlite', async () => {
    const database = await ctx.open();
    expect(await asLeader(database, async () => 1)).toEqual({ leader: true, result: 1 });
  });
});
