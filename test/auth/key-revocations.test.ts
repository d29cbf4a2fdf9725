import { sql } from 'kysely';
import { beforeAll, expect, it } from 'vitest';
import {
  clearApiKeyCache,
  createApiKey,
  KEY_REVOKED_CHANNEL,
  revokeApiKey,
  verifyApiKey,
  watchKeyRevocations,
} from '../../src/auth/index.js';
import { type Database, openDatabase } from '../../src/storage/index.js';
import { describeOnDatabases } from '../support/databases.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls `check` every 20 ms for up to `ms`; the time it took, or Infinity. */
async function within(ms: number, check: () => Promise<boolean>): Promise<number> {
  const start = performance.now();
  while (performance.now() - start < ms) {
    if (await check()) return performance.now() - start;
    await sleep(20);
  }
  return Number.POSITIVE_INFINITY;
}

/** What another instance's revoke does to this one: the row and the NOTIFY, nothing local. */
async function revokeElsewhere(other: Database, id: string): Promise<void> {
  await other.db.transaction().execute(async (trx) => {
    await sql`UPDATE ${sql.table(`${other.schema}.api_keys`)} SET revoked_at = now() WHERE id = ${id}`.execute(
      trx,
    );
    await sql`SELECT pg_notify(${KEY_REVOKED_CHANNEL}, ${id})`.execute(trx);
  });
}

describeOnDatabases('key revocation across instances', (ctx) => {
  let database: Database;
  /** Another instance's handle on the same schema (its own pool on PostgreSQL). */
  let other: Database;

  beforeAll(async () => {
    database = await ctx.open();
    other =
      ctx.kind === 'postgres'
        ? await openDatabase({
            databaseUrl: ctx.url,
            dataDir: 'memory://',
            schema: database.schema,
            poolSize: 2,
          })
        : database;
    return () => (other === database ? undefined : other.close());
  });

  it('without the watcher, a key revoked elsewhere is still accepted from the cache', async () => {
    clearApiKeyCache();
    const created = await createApiKey(database, { scope: 'ingest' });
    expect(await verifyApiKey(database, created.key)).toBeDefined();
    await revokeElsewhere(other, created.id);
    await sleep(300);
    expect(await verifyApiKey(database, created.key)).toBeDefined(); // the 30 s TTL at work
  });

  it('with the watcher, a key revoked elsewhere is refused within a second', async () => {
    clearApiKeyCache();
    const watch = await watchKeyRevocations(database);
    try {
      const created = await createApiKey(database, { scope: 'ingest' });
      expect(await verifyApiKey(database, created.key)).toBeDefined();
      await revokeElsewhere(other, created.id);
      const took = await within(1_000, async () => (await verifyApiKey(database, created.key)) === undefined);
      expect(took).toBeLessThan(1_000);
    } finally {
      await watch.close();
    }
  });

  it('revokeApiKey notifies on commit, with the key id', async () => {
    const heard: string[] = [];
    const listener = await other.listen(KEY_REVOKED_CHANNEL, { onNotify: (id) => heard.push(id) });
    try {
      const created = await createApiKey(database, { scope: 'admin' });
      await revokeApiKey(database, created.id);
      expect(await within(1_000, async () => heard.includes(created.id))).toBeLessThan(1_000);
    } finally {
      await listener.close();
    }
  });

  it.runIf(ctx.kind === 'postgres')(
    'after its connection is cut, reconnects and clears the cache (revokes meanwhile are unknown)',
    async () => {
      clearApiKeyCache();
      const watch = await watchKeyRevocations(database);
      try {
        const created = await createApiKey(database, { scope: 'ingest' });
        expect(await verifyApiKey(database, created.key)).toBeDefined();
        await sql`SELECT pg_terminate_backend(pid) FROM pg_stat_activity
          WHERE query = ${`LISTEN "${KEY_REVOKED_CHANNEL}"`} AND datname = current_database()`.execute(
          other.db,
        );
        // Revoked while nobody listens: only the gap's cache clear can stop the cached key.
        await sql`UPDATE ${sql.table(`${other.schema}.api_keys`)} SET revoked_at = now() WHERE id = ${created.id}`.execute(
          other.db,
        );
        const took = await within(
          3_000,
          async () => (await verifyApiKey(database, created.key)) === undefined,
        );
        expect(took).toBeLessThan(3_000);
        // And it listens again: the next revoke arrives by NOTIFY.
        const second = await createApiKey(database, { scope: 'ingest' });
        expect(await verifyApiKey(database, second.key)).toBeDefined();
        await revokeElsewhere(other, second.id);
        expect(
          await within(1_000, async () => (await verifyApiKey(database, second.key)) === undefined),
        ).toBeLessThan(1_000);
      } finally {
        await watch.close();
      }
    },
  );
});
