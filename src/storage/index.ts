export type { Database, DatabaseKind, DatabaseOptions } from './database.js';
export { adminSchemaOf } from './database.js';
export { DataDirLockedError } from './lock.js';
export { type MigrationResultSet, migrate, migrationScript, schemaVersion } from './migrate.js';
export { SCHEMA_NAME_PATTERN } from './migration-files.js';
export { openDatabase } from './open.js';
export { ensurePartitions } from './partitions.js';
export { inRegistryOrder, type RawTableTarget, rawTableTargets } from './raw-table-targets.js';
export { RAW_TABLES, type RawTable } from './raw-tables.js';
export type * from './schema-types.js';
export { SUBJECT_LOCK, SUBJECT_LOCK_BUCKETS, subjectLockKey } from './subject-locks.js';
export {
  type CopyRow,
  copyText,
  type WriteTransaction,
  type WriteTransactionOptions,
} from './write-transaction.js';
