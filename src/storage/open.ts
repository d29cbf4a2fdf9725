import type { Database, DatabaseOptions } from './database.js';
import { openPglite } from './pglite.js';
import { openPostgres } from './postgres.js';

/**
 * Opens PostgreSQL when `databaseUrl` is set, embedded PGlite otherwise.
 *
 * @example
 * const database = await openDatabase({ dataDir: './.tripmeter/pgdata', schema: 'trip_tracking' });
 */
export async function openDatabase(options: DatabaseOptions): Promise<Database> {
  const { databaseUrl } = options;
  return databaseUrl ? openPostgres({ ...options, databaseUrl }) : openPglite(options);
}
