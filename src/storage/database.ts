import type { Kysely } from 'kysely';
import type { NotificationHandlers, NotificationListener } from './notifications.js';
import type { TripmeterTables } from './schema-types.js';
import type { WriteTransaction, WriteTransactionOptions } from './write-transaction.js';

/** Which engine a {@link Database} runs on. */
export type DatabaseKind = 'pglite' | 'postgres';

/**
 * One typed handle over PGlite or PostgreSQL. Queries go through `db` (Kysely); the tables live
 * in `schema` (product) and `adminSchema` (benchmark runs), so use `db.withSchema(schema)`.
 * Counts and bigints come back as JS numbers on both engines.
 */
export interface Database {
  readonly kind: DatabaseKind;
  readonly schema: string;
  readonly adminSchema: string;
  readonly db: Kysely<TripmeterTables>;
  /**
   * Runs `fn` in one transaction on one connection, with COPY where the engine has it (the
   * write path); rolled back if `fn` throws.
   */
  writeTransaction<T>(
    fn: (tx: WriteTransaction) => Promise<T>,
    options?: WriteTransactionOptions,
  ): Promise<T>;
  /** Runs a multi-statement SQL script inside one transaction (used by migrations). */
  execScriptInTransaction(script: string): Promise<void>;
  /**
   * Listens to `NOTIFY channel` (another instance's, or this one's): on PostgreSQL over a
   * dedicated connection that reconnects by itself, on PGlite in process.
   */
  listen(channel: string, handlers: NotificationHandlers): Promise<NotificationListener>;
  /** Closes the pool or the embedded database and releases its lock. Idempotent. */
  close(): Promise<void>;
}

/** Where and how to open the database. */
export interface DatabaseOptions {
  /** `postgres://…`; when set, real PostgreSQL is used instead of PGlite. */
  databaseUrl?: string | undefined;
  /** PGlite data folder, or `memory://` for a throw-away in-memory database. */
  dataDir: string;
  /** Product schema (default `trip_tracking`); the admin schema is `<schema>_admin`. */
  schema: string;
  /** Pool size for PostgreSQL (default 10). */
  poolSize?: number;
}

/** The admin-only schema that belongs to a product schema. */
export function adminSchemaOf(schema: string): string {
  return `${schema}_admin`;
}

/** Postgres type OIDs whose values we want as JS numbers: int8 (count(*), sum) and numeric. */
export const NUMERIC_TYPE_OIDS = { int8: 20, numeric: 1700 } as const;

/** Parses an int8/numeric text value into a JS number (null stays null). */
export function parseNumber(value: string | null): number | null {
  return value === null ? null : Number(value);
}
