import { describe, expect, inject, it } from 'vitest';
import { verifyApiKey } from '../../src/auth/index.js';
import { openDatabase } from '../../src/storage/index.js';
import { cli } from '../support/cli.js';
import { uniqueSchema } from '../support/databases.js';

const pgUrl = inject('pgUrl');

/** The new key: the last whitespace-separated token of `keys create`. */
const lastToken = (stdout: string) => stdout.trim().split(/\s+/).at(-1)!;

async function verifyIn(dir: string, key: string) {
  const database = await openDatabase({ dataDir: dir, schema: 'trip_tracking' });
  try {
    return await verifyApiKey(database, key);
  } finally {
    await database.close();
  }
}

describe('tripmeter keys', () => {
  it('creates a key shown once, lists its prefix, and revokes it (PGlite)', async () => {
    const dir = `/tmp/tripmeter-test-${uniqueSchema()}`;
    expect((await cli(['migrate', '--data-dir', dir])).code).toBe(0);

    const created = await cli([
      'keys',
      'create',
      '--scope',
      'ingest',
      '--name',
      'web server',
      '--data-dir',
      dir,
    ]);
    expect(created.code).toBe(0);
    expect(created.stdout.split('\n')).toHaveLength(1);
    expect(created.stdout).toMatch(/^created ingest key [0-9a-f-]{36} \(tm_ingest_.{2}…\); store it now/);
    const key = lastToken(created.stdout);
    expect(key).toMatch(/^tm_ingest_[A-Za-z0-9_-]{43}$/);
    const record = await verifyIn(dir, key);
    expect(record).toMatchObject({ scope: 'ingest', name: 'web server', prefix: key.slice(0, 12) });

    const site = await cli([
      'keys',
      'create',
      '--scope',
      'site',
      '--origin',
      'https://App.example.com/',
      '--origin',
      'http://localhost:5173',
      '--data-dir',
      dir,
    ]);
    expect(site.code).toBe(0);

    const listed = await cli(['keys', 'list', '--data-dir', dir]);
    expect(listed.code).toBe(0);
    const [header, ...rows] = listed.stdout.split('\n');
    expect(header).toMatch(/^id\s+scope\s+prefix\s+name\s+origins\s+created\s+revoked$/);
    expect(rows).toHaveLength(2);
    expect(rows[0]).toContain(key.slice(0, 12));
    expect(rows[0]).toContain('web server');
    expect(rows[1]).toContain('https://app.example.com,http://localhost:5173');
    expect(listed.stdout).not.toContain(key);
    expect(listed.stdout).not.toContain(lastToken(site.stdout));

    const revoked = await cli(['keys', 'revoke', key.slice(0, 12), '--data-dir', dir]);
    expect(revoked.code).toBe(0);
    expect(revoked.stdout).toMatch(new RegExp(`^revoked ingest key ${record!.id}`));
    expect(await verifyIn(dir, key)).toBeUndefined();
    expect((await cli(['keys', 'revoke', record!.id, '--data-dir', dir])).stdout).toMatch(/^already revoked/);
    const after = await cli(['keys', 'list', '--data-dir', dir]);
    expect(after.stdout.split('\n')[1]).toMatch(/\d{4}-\d\d-\d\dT[\d:.]+Z$/); // the revoked column
  });

  (pgUrl ? it : it.skip)('creates and verifies a key on Postgres', async () => {
    const schema = uniqueSchema();
    const env = { DATABASE_URL: pgUrl, TRIPMETER_SCHEMA: schema };
    expect((await cli(['migrate'], env)).code).toBe(0);
    const created = await cli(['keys', 'create', '--scope', 'admin'], env);
    expect(created.code).toBe(0);
    const database = await openDatabase({ databaseUrl: pgUrl, dataDir: 'memory://', schema, poolSize: 1 });
    try {
      expect(await verifyApiKey(database, lastToken(created.stdout))).toMatchObject({ scope: 'admin' });
    } finally {
      await database.close();
    }
  });

  it('refuses bad usage with exit code 2 and a clear message', async () => {
    const dir = `/tmp/tripmeter-test-${uniqueSchema()}`;
    expect((await cli(['migrate', '--data-dir', dir])).code).toBe(0);
    const run = (...argv: string[]) => cli(['keys', ...argv, '--data-dir', dir]);

    const badScope = await run('create', '--scope', 'root');
    expect(badScope.code).toBe(2);
    expect(badScope.stderr).toMatch(/unknown scope "root"; --scope is one of ingest, site, admin/);
    expect(badScope.stdout).toBe('');

    expect((await run('create')).stderr).toMatch(/create needs --scope ingest\|site\|admin/);
    expect((await run('create', '--scope', 'site')).stderr).toMatch(/needs at least one allowed origin/);
    expect((await run('create', '--scope', 'site', '--origin', 'http://example.com')).stderr).toMatch(
      /invalid origin "http:\/\/example.com"/,
    );
    expect((await run('create', '--scope', 'ingest', '--origin', 'https://a.io')).stderr).toMatch(
      /ingest keys take no origins/,
    );
    expect((await run('rotate')).stderr).toMatch(/unknown subcommand "rotate"/);
    expect((await run()).stderr).toMatch(/expected create\|list\|revoke/);
    expect((await run('revoke')).stderr).toMatch(/revoke takes one id or prefix/);
    expect((await run('revoke', 'tm_ingest_zz')).stderr).toMatch(/no API key with prefix tm_ingest_zz/);
    expect((await run('list', '--scope', 'ingest')).code).toBe(2);
    expect((await run('list')).stdout).toMatch(/no API keys yet/);
  });

  it('says to run migrate first on a fresh data folder', async () => {
    const result = await cli(['keys', 'list', '--data-dir', `/tmp/tripmeter-test-${uniqueSchema()}`]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/no trip_tracking\.api_keys table yet: run `tripmeter migrate` first/);
  });

  it('prints help', async () => {
    const help = await cli(['keys', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/Usage: tripmeter keys create --scope ingest\|site\|admin/);
    expect((await cli(['--help'])).stdout).toMatch(/keys\s+create, list and revoke API keys/);
  });
});
