import type { ColumnType, Generated } from 'kysely';

/** A JSON value as stored in a `jsonb` column. */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

type Timestamp = ColumnType<Date, Date | string, Date | string>;

/** `trip_creation_attempts`: one row per create attempt (the plan's columns plus ours). */
export interface AttemptsTable {
  id: string;
  created_at: Timestamp;
  user_id: string | null;
  anon_session_id: string | null;
  status: 'pending' | 'success' | 'failed';
  error_code: string | null;
  duration_ms: number | null;
  trip_id: string | null;
  input_snapshot_json: Json | null;
  effective_defaults_json: Json | null;
  request_id: string;
  provider: string | null;
  model: string | null;
  prompt_contract_version: Generated<string>;
  failure_kind: string | null;
  fingerprint: string | null;
  source: Generated<string>;
}

/** `trip_creation_events`: attempted / succeeded / failed events. */
export interface EventsTable {
  id: string;
  created_at: Timestamp;
  event_type: 'create_trip_attempted' | 'create_trip_succeeded' | 'create_trip_failed';
  trip_id: string | null;
  user_id: string | null;
  anon_session_id: string | null;
  request_id: string | null;
  prompt_contract_version: Generated<string>;
  payload_json: Json | null;
}

/** `tripmeter_migrations`: what `migrate` has applied. */
export interface MigrationsTable {
  version: number;
  name: string;
  checksum: string;
  applied_at: Timestamp;
}

/** `api_keys`: scoped API keys; only the SHA-256 hash of a key is stored, never the key. */
export interface ApiKeysTable {
  id: string;
  scope: 'ingest' | 'site' | 'admin';
  name: string | null;
  /** The first 12 characters of the key (e.g. `tm_ingest_ab`), shown by `tripmeter keys list`. */
  key_prefix: string;
  /** Hex SHA-256 of the full key. */
  key_hash: string;
  /** Allowed browser origins of a site key (`https://host[:port]`); empty for other scopes. */
  origins: Generated<string[]>;
  created_at: ColumnType<Date, Date | string | undefined, Date | string>;
  revoked_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
}

/**
 * The tables of the product schema as Kysely sees them. Use with `db.withSchema(schema)`.
 * Later capabilities add their tables here.
 */
export interface TripmeterTables {
  trip_creation_attempts: AttemptsTable;
  trip_creation_events: EventsTable;
  tripmeter_migrations: MigrationsTable;
  api_keys: ApiKeysTable;
}
