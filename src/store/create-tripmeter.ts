import { personalDataRedactor } from '../privacy/redact-personal.js';
import { type Database, migrate, openDatabase } from '../storage/index.js';
import {
  checkTrackerOptions,
  createTracker,
  InvalidOptionError,
  type Tracker,
  type TrackerCoreOptions,
} from '../tracker/index.js';
import { PostgresSink } from './postgres-sink.js';

/** Options of the Node tracker (Postgres or PGlite sink). */
export interface TripmeterOptions extends Omit<TrackerCoreOptions, 'sink' | 'onShutdown'> {
  /** An open database (shared with the host); it is not closed by `shutdown`. */
  database?: Database;
  /** Else: a PostgreSQL URL (recommended for apps) … */
  databaseUrl?: string;
  /** … or a PGlite data folder (single process!). */
  dataDir?: string;
  /** Schema of the tables (default `trip_tracking`). */
  schema?: string;
  /** Apply pending migrations when opening (default false: run `tripmeter migrate` at deploy). */
  migrate?: boolean;
}

/**
 * What `createTripmeter` changes of the writer's defaults: a backlog drains in larger
 * transactions, two at a time (each on its own pooled connection).
 */
export const STORE_WRITER_DEFAULTS = { maxBatchSize: 5_000, concurrency: 2 } as const;

/**
 * Creates the server-side tracker for a Node app. Returns at once; the database opens in the
 * background and the calls made meanwhile wait in the bounded queue.
 *
 * @example
 * const tripmeter = createTripmeter({ databaseUrl: process.env.DATABASE_URL });
 * const attempt = tripmeter.startAttempt({ anonSessionId, input: body });
 * try { const trip = await generate(body); attempt.succeed({ tripId: trip.id }); }
 * catch (error) { attempt.fail({ errorCode: 'OPENAI_REQUEST_TIMEOUT', error }); throw error; }
 *
 * Throws `InvalidOptionError` (code `INVALID_OPTION`, `.option` naming it) for an option that can
 * never work, at once, instead of retrying its writes for ever: see {@link checkStoreOptions}.
 */
export function createTripmeter(options: TripmeterOptions): Tracker {
  checkStoreOptions(options);
  const owned = options.database === undefined;
  const opening = (async () => {
    const database =
      options.database ??
      (await openDatabase({
        databaseUrl: options.databaseUrl,
        dataDir: options.dataDir ?? './.tripmeter/pgdata',
        schema: options.schema ?? 'trip_tracking',
      }));
    if (options.migrate) await migrate(database);
    return database;
  })();
  opening.catch((error: unknown) => {
    options.logger?.error(
      { err: { message: (error as Error).message } },
      'tripmeter could not open its database',
    );
  });
  return createTracker({
    // Under `redact`, names, special-category terms and ages go too: this tracker runs on Node.
    notesRedactor: personalDataRedactor,
    ...options,
    maxBatchSize: options.maxBatchSize ?? STORE_WRITER_DEFAULTS.maxBatchSize,
    concurrency: options.concurrency ?? STORE_WRITER_DEFAULTS.concurrency,
    sink: new PostgresSink(opening),
    async onShutdown() {
      if (!owned) return;
      const database = await opening.catch(() => undefined);
      await database?.close();
    },
  });
}

/**
 * The shape the `DATABASE_URL` setting accepts too. Not `new URL`: the driver also takes forms
 * WHATWG URLs refuse, such as `postgres://user@/db?host=/var/run/postgresql` (a unix socket).
 */
const POSTGRES_URL = /^postgres(ql)?:\/\/[^\s]*$/;

/** A schema tripmeter may own: a lower-case identifier, not `public` (exposed by Supabase) nor `pg_*`. */
const SCHEMA = /^[a-z_][a-z0-9_]{0,50}$/;

/**
 * Checks where the tracker writes: `database` an open handle, else `databaseUrl` a
 * `postgres://` URL (an empty string is refused: it reads as an unset variable that would
 * silently fall back to PGlite), else `dataDir` a non-empty path; `schema` one tripmeter may own;
 * then the core's options (queue, batching, retry timing …), all before the database opens.
 */
function checkStoreOptions(options: TripmeterOptions): void {
  if (options === null || typeof options !== 'object')
    throw new InvalidOptionError('options', 'an object such as { databaseUrl }', options);
  const { database, databaseUrl, dataDir, schema } = options;
  if (database !== undefined && (database === null || typeof database.writeTransaction !== 'function'))
    throw new InvalidOptionError('database', 'a handle from openDatabase()', database);
  if (database === undefined && databaseUrl !== undefined && !POSTGRES_URL.test(String(databaseUrl)))
    throw new InvalidOptionError(
      'databaseUrl',
      'a postgres:// or postgresql:// URL (leave it out for PGlite)',
      databaseUrl,
    );
  if (dataDir !== undefined && (typeof dataDir !== 'string' || dataDir.trim() === ''))
    throw new InvalidOptionError('dataDir', 'a folder path (or memory://)', dataDir);
  if (
    schema !== undefined &&
    (typeof schema !== 'string' || !SCHEMA.test(schema) || schema === 'public' || schema.startsWith('pg_'))
  )
    throw new InvalidOptionError('schema', 'a lower-case SQL identifier other than public and pg_*', schema);
  if (options.migrate !== undefined && typeof options.migrate !== 'boolean')
    throw new InvalidOptionError('migrate', 'true or false', options.migrate);
  checkTrackerOptions(options);
}
