import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import {
  adminSchemaOf,
  type Database,
  type DatabaseOptions,
  NUMERIC_TYPE_OIDS,
  parseNumber,
} from './database.js';
import { listenPostgres } from './notifications.js';
import type { TripmeterTables } from './schema-types.js';
import { postgresWriteTransaction } from './write-transaction.js';

const numberTypes = {
  getTypeParser(oid: number, format?: string) {
    if (oid === NUMERIC_TYPE_OIDS.int8 || oid === NUMERIC_TYPE_OIDS.numeric) return parseNumber;
    return pg.types.getTypeParser(oid, format as 'text');
  },
};

/** Opens a pooled connection to real PostgreSQL (15+) at `options.databaseUrl`. */
export async function openPostgres(options: DatabaseOptions & { databaseUrl: string }): Promise<Database> {
  const pool = new pg.Pool({
    connectionString: options.databaseUrl,
    max: options.poolSize ?? 10,
    types: numberTypes as pg.CustomTypesConfig,
    options: '-c timezone=UTC',
    connectionTimeoutMillis: 10_000,
    // An idle pooled connection must not keep a short-lived host (a worker, a cron job, a CLI
    // verb) alive for the 10 s idle timeout: the host decides when it exits, not our pool.
    allowExitOnIdle: true,
  });
  // A client losing its server (restart, admin shutdown) must never crash the host process:
  // idle clients report through the pool, checked-out ones through the client itself; the
  // queries in flight still reject, and the writer retries them.
  pool.on('error', () => {});
  pool.on('connect', (client) => {
    client.on('error', () => {});
  });
  const db = new Kysely<TripmeterTables>({ dialect: new PostgresDialect({ pool }) });
  let closed = false;
  return {
    kind: 'postgres',
    schema: options.schema,
    adminSchema: adminSchemaOf(options.schema),
    db,
    writeTransaction: (fn, options) => postgresWriteTransaction(pool, db as Kysely<unknown>, fn, options),
    async execScriptInTransaction(script) {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        await client.query(script);
        await client.query('COMMIT');
      } catch (error) {
        await client.query('ROLLBACK').catch(() => {});
        throw error;
      } finally {
        client.release();
      }
    },
    listen: (channel, handlers) => listenPostgres(options.databaseUrl, channel, handlers),
    async close() {
      if (closed) return;
      closed = true;
      await db.destroy();
      // Kysely ends the pool only if it ran a query itself; the write path and migrations use the
      // pool directly, so a tracker that only wrote would otherwise leave its sockets open.
      if (!pool.ending) await pool.end();
    },
  };
}
