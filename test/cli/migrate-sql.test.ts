import { execFileSync, spawnSync } from 'node:child_process';
import { describe, expect, inject, it } from 'vitest';
import { adminSchemaOf, openDatabase } from '../../src/storage/index.js';
import { describeCatalog } from '../support/catalog.js';
import { cli } from '../support/cli.js';
import { uniqueSchema } from '../support/databases.js';

const pgUrl = inject('pgUrl');
const now = '2026-11-25T10:00:00Z';

describe('tripmeter migrate', () => {
  it('says what it applied, and is a no-op the second time (PGlite)', async () => {
    const dir = `/tmp/tripmeter-test-${uniqueSchema()}`;
    const first = await cli(['migrate', '--data-dir', dir, '--now', now]);
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/applied 0001_raw_tables/);
    const second = await cli(['migrate', '--data-dir', dir, '--now', now]);
    expect(second.code).toBe(0);
    expect(second.stdout).toMatch(/up to date .*nothing applied/);
  });

  (pgUrl ? it : it.skip)('is a no-op the second time (Postgres)', async () => {
    const schema = uniqueSchema();
    const env = { DATABASE_URL: pgUrl, TRIPMETER_SCHEMA: schema };
    expect((await cli(['migrate', '--now', now], env)).stdout).toMatch(/applied 0001/);
    expect((await cli(['migrate', '--now', now], env)).stdout).toMatch(/nothing applied/);
  });

  it('refuses a bad setting with a message naming it and what is allowed', async () => {
    const result = await cli(['migrate', '--schema', 'public']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/invalid schema \(--schema\).*not public/);
    const port = await cli(['serve', '--port', 'eighty']);
    expect(port.stderr).toMatch(/invalid port/);
  });

  it('prints help for every command', async () => {
    expect((await cli(['--help'])).stdout).toMatch(/Commands:/);
    for (const verb of ['serve', 'migrate', 'sql']) {
      const help = await cli([verb, '--help']);
      expect(help.code).toBe(0);
      expect(help.stdout).toMatch(new RegExp(`Usage: tripmeter ${verb}`));
    }
  });
});

const psql = spawnSync('psql', ['--version']).status === 0;

describe('tripmeter sql', () => {
  (pgUrl && psql ? it : it.skip)(
    'applies with psql to an empty Postgres database and builds the catalog migrate builds',
    async () => {
      const schema = uniqueSchema('sq');
      const script = (await cli(['sql', '--schema', schema, '--now', now])).stdout;
      const emptyDb = `tripmeter_sql_${uniqueSchema()}`;
      const admin = await openDatabase({
        databaseUrl: pgUrl,
        dataDir: 'memory://',
        schema: 'x',
        poolSize: 1,
      });
      const { sql } = await import('kysely');
      await sql.raw(`CREATE DATABASE ${emptyDb}`).execute(admin.db);
      const emptyUrl = new URL(pgUrl!);
      emptyUrl.pathname = `/${emptyDb}`;
      try {
        execFileSync('psql', ['-v', 'ON_ERROR_STOP=1', '-q', '-X', '-d', emptyUrl.toString()], {
          input: script,
        });
        const viaScript = await openDatabase({
          databaseUrl: emptyUrl.toString(),
          dataDir: 'memory://',
          schema,
          poolSize: 1,
        });
        const viaMigrate = await openDatabase({
          databaseUrl: pgUrl,
          dataDir: 'memory://',
          schema: uniqueSchema('mg'),
          poolSize: 1,
        });
        const migrated = await cli(['migrate', '--now', now], {
          DATABASE_URL: pgUrl,
          TRIPMETER_SCHEMA: viaMigrate.schema,
        });
        expect(migrated.code).toBe(0);
        const a = await describeCatalog(viaScript, [adminSchemaOf(schema), schema]);
        const b = await describeCatalog(viaMigrate, [adminSchemaOf(viaMigrate.schema), viaMigrate.schema]);
        expect(a.length).toBeGreaterThan(50);
        expect(a).toEqual(b);
        // and migrate on the script-built database has nothing left to do
        const again = await cli(['migrate', '--now', now], {
          DATABASE_URL: emptyUrl.toString(),
          TRIPMETER_SCHEMA: schema,
        });
        expect(again.stdout).toMatch(/nothing applied/);
        await viaScript.close();
        await viaMigrate.close();
      } finally {
        await sql.raw(`DROP DATABASE IF EXISTS ${emptyDb} WITH (FORCE)`).execute(admin.db);
        await admin.close();
      }
    },
  );
});
