import type { Selectable } from 'kysely';
import type { ApiKeysTable } from '../storage/index.js';
import type { Scope } from './scope.js';

/** A stored key as the library hands it out: never the key, never its hash. */
export interface ApiKeyRecord {
  id: string;
  scope: Scope;
  name: string | null;
  /** The first 12 characters of the key, e.g. `tm_ingest_ab`. */
  prefix: string;
  /** Allowed browser origins (site keys only). */
  origins: string[];
  createdAt: Date;
  revokedAt: Date | null;
}

/** The columns a record is read from (the hash is deliberately not among them). */
export const RECORD_COLUMNS = [
  'id',
  'scope',
  'name',
  'key_prefix',
  'origins',
  'created_at',
  'revoked_at',
] as const;

type RecordRow = Pick<Selectable<ApiKeysTable>, (typeof RECORD_COLUMNS)[number]>;

/** Maps a row to a frozen {@link ApiKeyRecord}. */
export function toRecord(row: RecordRow): ApiKeyRecord {
  return Object.freeze({
    id: row.id,
    scope: row.scope,
    name: row.name,
    prefix: row.key_prefix,
    origins: Object.freeze([...row.origins]) as string[],
    createdAt: new Date(row.created_at),
    revokedAt: row.revoked_at === null ? null : new Date(row.revoked_at),
  });
}
