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
  /**
   * What a row is. `rows` (the default when absent): telemetry of a subject, with `created_at`;
   * retention ages them out, deletion removes them. `link`: an identity link (`identity_links`,
   * timed by `linked_at`); deletion removes it and follows it to the user's anonymous ids, while
   * retention must keep the `linked` rows (writers read them to link later rows) and may only
   * age out the audit rows (`conflict`, `already_linked`).
   */
  kind?: 'rows' | 'link';
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
  {
    name: 'trip_creation_provider_calls',
    schemas: ['product', 'admin'],
    subjectColumns: ['user_id', 'anon_session_id'],
    partitioned: true,
  },
  {
    name: 'trip_creation_attempt_phases',
    schemas: ['product', 'admin'],
    subjectColumns: ['user_id', 'anon_session_id'],
    partitioned: true,
  },
  {
    name: 'identity_links',
    schemas: ['product'],
    subjectColumns: ['user_id', 'anon_session_id'],
    partitioned: false,
    kind: 'link',
  },
];
