import { PGlite } from '@electric-sql/pglite';
import { Kysely, sql } from 'kysely';
import { PGliteDialect } from 'kysely-pglite-dialect';
import {
  adminSchemaOf,
  type Database,
  type DatabaseOptions,
  NUMERIC_TYPE_OIDS,
  parseNumber,
} from './database.js';
import { lockDataDir } from './lock.js';
import type { TripmeterTables } from './schema-types.js';
import { setLocalStatements } from './write-transaction.js';

const MEMORY = 'memory://';

/** Starts a PGlite instance (in memory for `memory://`) with numbers parsed as JS numbers. */
export async function createPglite(dataDir: string): Promise<PGlite> {
  const pg = await PGlite.create(dataDir === MEMORY ? undefined : dataDir, {
    parsers: { [NUMERIC_TYPE_OIDS.int8]: parseNumber, [NUMERIC_TYPE_OIDS.numeric]: parseNumber },
  });
  await pg.exec(`SET TIME ZONE 'UTC'`);
  return pg;
}

/**
 * Wraps a running PGlite instance as a {@link Database} on `schema`. `onClose` runs after the
 * handle closes (the owner decides whether the instance itself is closed).
 */
export function wrapPglite(pg: PGlite, schema: string, onClose: () => Promise<void> | void): Database {
  const db = new Kysely<TripmeterTables>({ dialect: new PGliteDialect(pg) });
  let closed = false;
  return {
    kind: 'pglite',
    schema,
    adminSchema: adminSchemaOf(schema),
    db,
    writeTransaction: (fn, options) =>
      db.transaction().execute(async (trx) => {
        for (const statement of setLocalStatements(options?.settings)) await sql.raw(statement).execute(trx);
        return fn({ query: async (query) => (await query.execute(trx)).rows });
      }),
    async execScriptInTransaction(script) {
      // Inside Kysely's single serialised connection, so no other query interleaves.
      await db.connection().execute(async () => {
        await pg.transaction(async (tx) => {
          await tx.exec(script);
        });
      });
    },
    async listen(channel, handlers) {
      const stop = await pg.listen(channel, (payload) => handlers.onNotify(payload));
      return { close: () => stop().catch(() => {}) };
    },
    async close() {
      if (closed) return;
      closed = true;
      await onClose();
    },
  };
}

/**
 * Opens embedded PGlite in `options.dataDir` (its real path: a symlink is followed), guarded by
 * a lock so that a second process fails at once with a clear error instead of corrupting it.
 */
export async function openPglite(options: DatabaseOptions): Promise<Database> {
  if (options.dataDir === MEMORY) {
    const pg = await createPglite(MEMORY);
    return wrapPglite(pg, options.schema, () => pg.close());
  }
  const lock = await lockDataDir(options.dataDir);
  try {
    const pg = await createPglite(lock.dataDir);
    return wrapPglite(pg, options.schema, async () => {
      try {
        await pg.close();
      } finally {
        lock.release();
      }
    });
  } catch (error) {
    lock.release();
    throw error;
  }
}
