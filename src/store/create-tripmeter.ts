import { personalDataRedactor } from '../privacy/redact-personal.js';
import { type Database, migrate, openDatabase } from '../storage/index.js';
import { createTracker, type Tracker, type TrackerCoreOptions } from '../tracker/index.js';
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
 * Creates the server-side tracker for a Node app. Returns at once; the database opens in the
 * background and the calls made meanwhile wait in the bounded queue.
 *
 * @example
 * const tripmeter = createTripmeter({ databaseUrl: process.env.DATABASE_URL });
 * const attempt = tripmeter.startAttempt({ anonSessionId, input: body });
 * try { const trip = await generate(body); attempt.succeed({ tripId: trip.id }); }
 * catch (error) { attempt.fail({ errorCode: 'OPENAI_REQUEST_TIMEOUT', error }); throw error; }
 */
export function createTripmeter(options: TripmeterOptions): Tracker {
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
    // A backlog drains in larger transactions, two at a time (each on its own pooled connection).
    maxBatchSize: options.maxBatchSize ?? 5_000,
    concurrency: options.concurrency ?? 2,
    sink: new PostgresSink(opening),
    async onShutdown() {
      if (!owned) return;
      const database = await opening.catch(() => undefined);
      await database?.close();
    },
  });
}
