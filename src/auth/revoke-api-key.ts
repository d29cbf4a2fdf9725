import { sql } from 'kysely';
import { isUuid } from '../domain/index.js';
import type { Database } from '../storage/index.js';
import { type ApiKeyRecord, RECORD_COLUMNS, toRecord } from './api-key-record.js';
import { keyCache } from './key-cache.js';
import { KeyError } from './key-error.js';
import { notifyKeyRevoked, type watchKeyRevocations } from './key-revocations.js';
import { onKeysTable } from './keys-table.js';

/** A revoked key; `alreadyRevoked` when it was revoked before this call. */
export interface RevokedApiKey extends ApiKeyRecord {
  alreadyRevoked: boolean;
}

/**
 * Revokes a key by its id or its 12-character prefix (as `tripmeter keys list` shows them) and
 * evicts it from this process's cache at once; other instances evict it when the commit's
 * notification reaches them (see {@link watchKeyRevocations}), else within the 30 s TTL. Revoking a revoked
 * key is a no-op that keeps the first `revokedAt`. Throws {@link KeyError} `KEY_NOT_FOUND`, or
 * `AMBIGUOUS_PREFIX` when several keys share the prefix (use the id then).
 *
 * @example
 * const revoked = await revokeApiKey(database, 'tm_ingest_ab');
 */
export async function revokeApiKey(
  database: Database,
  idOrPrefix: string,
  now: Date = new Date(),
): Promise<RevokedApiKey> {
  const table = database.db.withSchema(database.schema);
  const byId = isUuid(idOrPrefix);
  const matches = await onKeysTable(database, () =>
    table
      .selectFrom('api_keys')
      .select(['id', 'revoked_at'])
      .where(byId ? 'id' : 'key_prefix', '=', byId ? idOrPrefix.toLowerCase() : idOrPrefix)
      .execute(),
  );
  const [match, ...others] = matches;
  if (match === undefined)
    throw new KeyError('KEY_NOT_FOUND', `no API key with ${byId ? 'id' : 'prefix'} ${idOrPrefix}`);
  if (others.length > 0)
    throw new KeyError(
      'AMBIGUOUS_PREFIX',
      `${matches.length} keys share the prefix ${idOrPrefix}; revoke by id: ${matches.map((m) => m.id).join(', ')}`,
    );
  const row = await database.db.transaction().execute(async (trx) => {
    const updated = await trx
      .withSchema(database.schema)
      .updateTable('api_keys')
      .set({ revoked_at: sql<Date>`coalesce(revoked_at, ${now})` })
      .where('id', '=', match.id)
      .returning(RECORD_COLUMNS)
      .executeTakeFirstOrThrow();
    await notifyKeyRevoked(match.id).execute(trx);
    return updated;
  });
  keyCache.evictId(match.id);
  return Object.freeze({ ...toRecord(row), alreadyRevoked: match.revoked_at !== null });
}
