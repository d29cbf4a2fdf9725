import type { Database } from '../storage/index.js';
import { type ApiKeyRecord, RECORD_COLUMNS, toRecord } from './api-key-record.js';
import { onKeysTable } from './keys-table.js';

/**
 * Every key, revoked ones included, oldest first. Returns records only: no key, no hash.
 *
 * @example
 * for (const k of await listApiKeys(database)) console.log(k.prefix, k.scope, k.revokedAt);
 */
export async function listApiKeys(database: Database): Promise<ApiKeyRecord[]> {
  const rows = await onKeysTable(database, () =>
    database.db
      .withSchema(database.schema)
      .selectFrom('api_keys')
      .select(RECORD_COLUMNS)
      .orderBy('created_at')
      .orderBy('id')
      .execute(),
  );
  return rows.map(toRecord);
}
