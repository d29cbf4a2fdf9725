import { randomBytes } from 'node:crypto';
import type { PGlite } from '@electric-sql/pglite';
import { afterAll, describe, inject } from 'vitest';
import { type Database, type DatabaseKind, migrate, openDatabase } from '../../src/storage/index.js';
import { createPglite, wrapPglite } from '../../src/storage/pglite.js';

/** What a storage suite gets: a way to open fresh, migrated databases of its kind. */
export interface DatabaseContext {
  kind: DatabaseKind;
  /** A fresh schema on this engine, migrated; closed after the suite. */
  open(options?: { migrate?: boolean; now?: Date }): Promise<Database>;
  /** The Postgres URL of this run (undefined on PGlite). */
  url: string | undefined;
}

/** A unique schema name, so parallel suites on one Postgres database never meet. */
export function uniqueSchema(prefix = 't'): string {
  return `${prefix}_${randomBytes(5).toString('hex')}`;
}

// PGlite takes seconds to start: one in-memory instance per test file, one schema per open().
let sharedPglite: Promise<PGlite> | undefined;

/** Opens a fresh schema of `kind` (for suites that build their own describe blocks). */
export async function openTestDatabase(kind: DatabaseKind, url: string | undefined): Promise<Database> {
  const schema = uniqueSchema();
  if (kind === 'pglite') {
    sharedPglite ??= createPglite('memory://');
    return wrapPglite(await sharedPglite, schema, () => {});
  }
  return openDatabase({ databaseUrl: url, dataDir: 'memory://', schema, poolSize: 4 });
}

/**
 * Runs `body` once on PGlite (in memory) and once on real PostgreSQL. Without Postgres the
 * second run is skipped with a visible notice (a failure under CI=true, see global-setup).
 */
export function describeOnDatabases(title: string, body: (ctx: DatabaseContext) => void): void {
  const pgUrl = inject('pgUrl');
  for (const kind of ['pglite', 'postgres'] as const) {
    const skip = kind === 'postgres' && !pgUrl;
    const name = skip ? `${title} [postgres] (SKIPPED: ${inject('pgSkipReason')})` : `${title} [${kind}]`;
    (skip ? describe.skip : describe)(name, () => {
      const opened: Database[] = [];
      afterAll(async () => {
        await Promise.all(opened.map((database) => database.close()));
      });
      body({
        kind,
        url: kind === 'postgres' ? pgUrl : undefined,
        async open(options = {}) {
          const database = await openTestDatabase(kind, pgUrl);
          opened.push(database);
          if (options.migrate !== false) await migrate(database, options.now);
          return database;
        },
      });
    });
  }
}
