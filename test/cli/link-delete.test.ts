import { describe, expect, inject, it } from 'vitest';
import { subjectHmac } from '../../src/lifecycle/subject-hmac.js';
import { type Database, openDatabase } from '../../src/storage/index.js';
import { cli } from '../support/cli.js';
import { uniqueSchema } from '../support/databases.js';
import { subjectRows, uuid, writeAttempts } from '../support/subjects.js';

const pgUrl = inject('pgUrl');
const NOW = '2026-11-25T10:00:00Z';
const SECRET = 'cli-test-secret-0123456789';

async function withDatabase<T>(args: string[], fn: (database: Database) => Promise<T>): Promise<T> {
  const schema = args.includes('--schema') ? args[args.indexOf('--schema') + 1]! : 'trip_tracking';
  const database = args.includes('--database-url')
    ? await openDatabase({ databaseUrl: pgUrl, dataDir: 'memory://', schema, poolSize: 2 })
    : await openDatabase({ dataDir: args[args.indexOf('--data-dir') + 1]!, schema });
  try {
    return await fn(database);
  } finally {
    await database.close();
  }
}

const targets = [
  ['PGlite', () => ['--data-dir', `/tmp/tripmeter-test-${uniqueSchema()}`]],
  ['PostgreSQL', () => ['--database-url', pgUrl!, '--schema', uniqueSchema()]],
] as const;

describe('tripmeter link / delete', () => {
  for (const [name, argsOf] of targets) {
    it.skipIf(name === 'PostgreSQL' && !pgUrl)(
      `links, refuses a conflict, and deletes (${name})`,
      async () => {
        const db = argsOf();
        expect((await cli(['migrate', '--now', NOW, ...db])).code).toBe(0);
        const [anon, user, other] = [uuid(), uuid(), uuid()];
        await withDatabase(db, (database) =>
          writeAttempts(database, {
            anonSessionId: anon,
            at: new Date(Date.parse(NOW) - 3_600_000),
            count: 2,
          }),
        );

        const linked = await cli(['link', '--anon', anon, '--user', user, '--now', NOW, ...db]);
        expect(linked).toMatchObject({ code: 0, stderr: '' });
        expect(linked.stdout).toBe(
          `linked ${anon} → ${user}: 6 rows backfilled (product.trip_creation_attempts 2, product.trip_creation_events 4)`,
        );
        expect((await cli(['link', '--anon', anon, '--user', user, '--now', NOW, ...db])).stdout).toMatch(
          /^already linked/,
        );
        const conflict = await cli(['link', '--anon', anon, '--user', other, '--now', NOW, ...db]);
        expect(conflict.code).toBe(1);
        expect(conflict.stdout).toMatch(/ANON_ID_ALREADY_LINKED/);
        const reserved = await cli(['link', '--anon', 'guest', '--user', user, ...db]);
        expect(reserved.code).toBe(2);
        expect(reserved.stderr).toMatch(/RESERVED_ID/);

        const deleted = await cli(['delete', '--user', user, '--now', NOW, '--secret', SECRET, ...db]);
        expect(deleted.code).toBe(0);
        expect(deleted.stdout.split('\n')[0]).toBe(
          `deleted 8 rows of user (receipt ${deleted.stdout.match(/receipt ([0-9a-f-]{36})/)?.[1]}, subject HMAC ${subjectHmac(SECRET, 'user', user)})`,
        );
        expect(deleted.stdout).toMatch(/product\.identity_links\s+2/);
        await withDatabase(db, async (database) => {
          expect(await subjectRows(database, database.schema)).toEqual([]);
        });
        const usage = await cli(['delete', '--user', user, '--anon', anon, ...db]);
        expect(usage.code).toBe(2);
        expect(usage.stderr).toMatch(/exactly one of --user/);
      },
    );
  }
});
