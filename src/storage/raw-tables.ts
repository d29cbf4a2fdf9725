/** Which schema a raw table lives in. */
export type SchemaRole = 'product' | 'admin';

/** A raw table: holds identifiers of a subject, so retention and deletion must cover it. */
export interface RawTable {
  name: string;
  schemas: readonly SchemaRole[];
  /** The subject columns present (all raw tables carry both, per the plan's linkage). */
  subjectColumns: readonly ('user_id' | 'anon_session_id')[];
  /** Whether the table is range-partitioned by `created_at` (retention can drop partitions). */
  partitioned: boolean;
}

/**
 * The one registry of raw tables that retention, deletion and linkage read. A test asserts
 * that every table with a `user_id` or `anon_session_id` column is listed here, so a table added
 * later cannot be forgotten by one of them.
 */
export const RAW_TABLES: readonly RawTable[] = [
  {
    name: 'trip_creation_attempts',
    schemas: ['product', 'admin'],
    subjectColumns: ['user_id', 'anon_session_id'],
    partitioned: true,
  },
  {
    name: 'trip_creation_events',
    schemas: ['product', 'admin'],
    subjectColumns: ['user_id', 'anon_session_id'],
    partitioned: true,
  },
  {
    name: 'trip_creation_client_events',
    schemas: ['product', 'admin'],
    subjectColumns: ['user_id', 'anon_session_id'],
    partitioned: true,
  },
];
