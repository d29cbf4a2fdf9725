import { sql } from 'kysely';
import { normaliseOrigin } from '../auth/index.js';
import type { Database } from '../storage/index.js';

/**
 * The browser `Origin` header in its normal form, or `undefined` when it is absent or not an
 * origin a site key could hold (`null`, a path, plain http to a public host, …).
 */
export function requestOrigin(header: string | undefined): string | undefined {
  if (header === undefined) return undefined;
  try {
    return normaliseOrigin(header);
  } catch {
    return undefined;
  }
}

/**
 * Whether `origin` (normalised) is an allowed origin of some active (unrevoked) site key: only
 * those origins get CORS headers from `/v1/client-events`.
 *
 * @example
 * if (await isSiteOrigin(database, 'https://app.example.com')) c.header('Access-Control-Allow-Origin', …);
 */
export async function isSiteOrigin(database: Database, origin: string): Promise<boolean> {
  const { rows } = await sql<{ one: number }>`
    SELECT 1 AS one FROM ${sql.table(`${database.schema}.api_keys`)}
    WHERE scope = 'site' AND revoked_at IS NULL AND ${origin}::text = ANY(origins)
    LIMIT 1`.execute(database.db);
  return rows.length > 0;
}
