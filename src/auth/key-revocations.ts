import { sql } from 'kysely';
import type { Database, NotificationListener } from '../storage/index.js';
import { keyCache } from './key-cache.js';

/** The PostgreSQL channel a revoke notifies, with the key's id as payload. */
export const KEY_REVOKED_CHANNEL = 'tripmeter_key_revoked';

/** Where {@link watchKeyRevocations} reports what it does (a logger fits). */
export interface RevocationLog {
  warn(details: object, message: string): void;
}

/**
 * The statement a revoke runs in its own transaction: the notification is delivered on commit
 * only, so no instance evicts a key whose revoke rolled back, and none misses one that committed.
 */
export function notifyKeyRevoked(id: string) {
  return sql`SELECT pg_notify(${KEY_REVOKED_CHANNEL}, ${id})`;
}

/**
 * Evicts revoked keys from this process's cache as soon as any instance revokes them, instead
 * of after the 30 s TTL: every `serve` listens on {@link KEY_REVOKED_CHANNEL}. When the listening
 * connection was lost and is back, revokes sent meanwhile are unknown, so the whole cache is
 * dropped (the next request of each key asks the database once).
 *
 * @example
 * const watch = await watchKeyRevocations(database, logger);
 * // on shutdown
 * await watch.close();
 */
export function watchKeyRevocations(database: Database, log?: RevocationLog): Promise<NotificationListener> {
  let failures = 0;
  return database.listen(KEY_REVOKED_CHANNEL, {
    onNotify: (id) => keyCache.evictId(id),
    onGap: () => {
      keyCache.clear();
      log?.warn({ failures }, 'key revocation listener reconnected; key cache cleared');
      failures = 0;
    },
    onError: (error) => {
      // Once per outage: the listener retries every few seconds while the database is away.
      if (failures++ === 0)
        log?.warn(
          { err: { type: error.name, code: (error as { code?: string }).code } },
          'key revocation listener lost its connection; reconnecting',
        );
    },
  });
}
