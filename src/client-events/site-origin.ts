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

/** How long {@link isSiteOriginCached} trusts an answer (a revoked key's origin, at most this long). */
export const SITE_ORIGIN_TTL_MS = 5_000;
const MAX_ORIGINS = 1_000;
const origins = new WeakMap<Database, Map<string, { allowed: boolean; expiresAt: number }>>();

/**
 * {@link isSiteOrigin}, remembered per database for {@link SITE_ORIGIN_TTL_MS} (answers of both
 * kinds, at most 1,000 origins: the oldest goes first), so a flood of requests from one origin
 * costs one query per 5 s. For the checks made before a body is read and for CORS headers of
 * answers, where a revoked key's origin passing a few seconds longer lets no event in: the key
 * itself is verified. Preflights use the uncached answer.
 */
export async function isSiteOriginCached(database: Database, origin: string, now: Date): Promise<boolean> {
  let cache = origins.get(database);
  if (cache === undefined) {
    cache = new Map();
    origins.set(database, cache);
  }
  const at = now.getTime();
  const hit = cache.get(origin);
  if (hit !== undefined && hit.expiresAt > at) return hit.allowed;
  const allowed = await isSiteOrigin(database, origin);
  cache.delete(origin);
  cache.set(origin, { allowed, expiresAt: at + SITE_ORIGIN_TTL_MS });
  if (cache.size > MAX_ORIGINS) cache.delete(cache.keys().next().value as string);
  return allowed;
}
