import { timingSafeEqual } from 'node:crypto';
import type { Database } from '../storage/index.js';
import { type ApiKeyRecord, RECORD_COLUMNS, toRecord } from './api-key-record.js';
import { cacheSlot, keyCache } from './key-cache.js';
import { hashKey, looksLikeKey } from './key-material.js';
import { onKeysTable } from './keys-table.js';

/**
 * The record of a presented key when it exists and is not revoked, else `undefined`. The key is
 * hashed and looked up by hash (compared again in constant time); verified keys are cached in
 * process for 30 s and keys not found for 10 s, so neither ingest nor a client repeating a bad
 * key queries the database per request. `now` is the clock of the cache.
 *
 * @example
 * const record = await verifyApiKey(database, bearerToken);
 * if (record?.scope !== 'ingest') throw …;
 */
export async function verifyApiKey(
  database: Database,
  presentedKey: string,
  now: Date = new Date(),
): Promise<ApiKeyRecord | undefined> {
  if (!looksLikeKey(presentedKey)) return undefined;
  const hash = hashKey(presentedKey);
  const slot = cacheSlot(database.schema, hash);
  const at = now.getTime();
  const cached = keyCache.get(slot, at);
  if (cached !== undefined) return cached;
  if (keyCache.isMiss(slot, at)) return undefined;
  const generation = keyCache.generation;
  const row = await onKeysTable(database, () =>
    database.db
      .withSchema(database.schema)
      .selectFrom('api_keys')
      .select([...RECORD_COLUMNS, 'key_hash'])
      .where('key_hash', '=', hash)
      .where('revoked_at', 'is', null)
      .executeTakeFirst(),
  );
  if (row === undefined) {
    keyCache.setMiss(slot, at);
    return undefined;
  }
  const stored = Buffer.from(row.key_hash, 'hex');
  const presented = Buffer.from(hash, 'hex');
  if (stored.length !== presented.length || !timingSafeEqual(stored, presented)) return undefined;
  const record = toRecord(row);
  keyCache.set(slot, record, at, generation);
  return record;
}
