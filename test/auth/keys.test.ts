import { createHash } from 'node:crypto';
import { Hono } from 'hono';
import { type KyselyPlugin, sql } from 'kysely';
import { expect, it } from 'vitest';
import {
  type AuthEnv,
  createApiKey,
  KeyError,
  listApiKeys,
  normaliseOrigin,
  requireScope,
  revokeApiKey,
  SCOPES,
  type Scope,
  verifyApiKey,
} from '../../src/auth/index.js';
import { KEY_MISS_TTL_MS } from '../../src/auth/key-cache.js';
import type { Database } from '../../src/storage/index.js';
import { ProblemError, problemResponse } from '../../src/web/problem.js';
import { describeOnDatabases } from '../support/databases.js';

const ORIGIN = 'https://app.example.com';
const optionsFor = (scope: Scope) => ({ scope, origins: scope === 'site' ? [ORIGIN] : undefined });

async function keyError(promise: Promise<unknown>): Promise<KeyError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(KeyError);
  return error as KeyError;
}

function appFor(database: Database) {
  const app = new Hono<AuthEnv>();
  for (const scope of SCOPES)
    app.get(`/${scope}`, requireScope(scope, { database }), (c) => c.json({ id: c.get('apiKey').id }));
  app.onError((error, c) =>
    error instanceof ProblemError
      ? problemResponse(c, error)
      : problemResponse(c, new ProblemError(500, 'INTERNAL', 'failed')),
  );
  return app;
}

describeOnDatabases('API keys', (ctx) => {
  it.each(SCOPES)('creates, verifies and revokes a %s key', async (scope) => {
    const database = await ctx.open();
    const created = await createApiKey(database, { ...optionsFor(scope), name: `${scope} test` });
    expect(created.key).toMatch(new RegExp(`^tm_${scope}_[A-Za-z0-9_-]{43}$`));
    expect(created.prefix).toBe(created.key.slice(0, 12));
    const record = await verifyApiKey(database, created.key);
    expect(record).toMatchObject({
      id: created.id,
      scope,
      name: `${scope} test`,
      prefix: created.prefix,
      origins: scope === 'site' ? [ORIGIN] : [],
      revokedAt: null,
    });
    expect(record?.createdAt).toBeInstanceOf(Date);
    const revoked = await revokeApiKey(database, created.id);
    expect(revoked.alreadyRevoked).toBe(false);
    expect(revoked.revokedAt).toBeInstanceOf(Date);
    expect(await verifyApiKey(database, created.key)).toBeUndefined();
    const again = await revokeApiKey(database, created.id);
    expect(again.alreadyRevoked).toBe(true);
    expect(again.revokedAt).toEqual(revoked.revokedAt);
  });

  it('stores only the SHA-256 hash and the prefix, never the key', async () => {
    const database = await ctx.open();
    const keys = [];
    // one after the other: listApiKeys orders by creation time
    for (const scope of SCOPES) keys.push(await createApiKey(database, optionsFor(scope)));
    const { rows } = await sql<{ row: string }>`
      SELECT t::text AS row FROM ${sql.table(`${database.schema}.api_keys`)} t`.execute(database.db);
    expect(rows).toHaveLength(3);
    for (const { key } of keys) {
      const secret = key.slice(12);
      for (const { row } of rows) {
        expect(row).not.toContain(key);
        expect(row).not.toContain(secret);
      }
      const hash = createHash('sha256').update(key).digest('hex');
      expect(rows.filter(({ row }) => row.includes(hash))).toHaveLength(1);
    }
    const listed = await listApiKeys(database);
    expect(listed.map((k) => k.id)).toEqual(keys.map((k) => k.id));
    expect(JSON.stringify(listed)).not.toMatch(/[0-9a-f]{64}/);
    for (const k of listed) expect(Object.keys(k)).not.toContain('hash');
  });

  it('refuses unknown, malformed and tampered keys', async () => {
    const database = await ctx.open();
    const { key } = await createApiKey(database, { scope: 'ingest' });
    const last = key.at(-1) === 'A' ? 'B' : 'A';
    expect(await verifyApiKey(database, `${key.slice(0, -1)}${last}`)).toBeUndefined();
    expect(await verifyApiKey(database, '')).toBeUndefined();
    expect(await verifyApiKey(database, `${key} `)).toBeUndefined();
    expect(await verifyApiKey(database, key.replace('tm_ingest_', 'tm_admin_'))).toBeUndefined();
  });

  it('validates and normalises site origins; other scopes refuse origins', async () => {
    const database = await ctx.open();
    const site = await createApiKey(database, {
      scope: 'site',
      origins: [
        'https://App.Example.COM/',
        'https://app.example.com',
        'http://localhost:5173',
        'https://x.io:8443',
      ],
    });
    expect((await verifyApiKey(database, site.key))?.origins).toEqual([
      'https://app.example.com',
      'http://localhost:5173',
      'https://x.io:8443',
    ]);
    expect((await keyError(createApiKey(database, { scope: 'site' }))).code).toBe('ORIGIN_REQUIRED');
    expect((await keyError(createApiKey(database, { scope: 'site', origins: [] }))).code).toBe(
      'ORIGIN_REQUIRED',
    );
    for (const scope of ['ingest', 'admin'] as const)
      expect((await keyError(createApiKey(database, { scope, origins: [ORIGIN] }))).code).toBe(
        'ORIGINS_NOT_ALLOWED',
      );
    for (const bad of [
      'http://example.com',
      'https://example.com/app',
      'https://example.com?x=1',
      'https://user:pw@example.com',
      'https://*.example.com',
      'example.com',
      'ftp://example.com',
      '*',
      'javascript:alert(1)',
    ]) {
      const error = await keyError(createApiKey(database, { scope: 'site', origins: [bad] }));
      expect(error.code, bad).toBe('INVALID_ORIGIN');
    }
    expect(normaliseOrigin('https://example.com:443')).toBe('https://example.com');
    expect(normaliseOrigin('http://127.0.0.1:8787/')).toBe('http://127.0.0.1:8787');
    expect((await keyError(createApiKey(database, { scope: 'root' as Scope }))).code).toBe('INVALID_SCOPE');
    expect(await listApiKeys(database)).toHaveLength(1);
  });

  it('revokes by prefix, and refuses an unknown or ambiguous target', async () => {
    const database = await ctx.open();
    const created = await createApiKey(database, { scope: 'admin' });
    expect((await keyError(revokeApiKey(database, 'tm_admin_zzz'))).code).toBe('KEY_NOT_FOUND');
    expect((await keyError(revokeApiKey(database, '0190a3c1-0000-7000-8000-000000000000'))).code).toBe(
      'KEY_NOT_FOUND',
    );
    const other = await createApiKey(database, { scope: 'admin' });
    await sql`UPDATE ${sql.table(`${database.schema}.api_keys`)} SET key_prefix = ${created.prefix}
      WHERE id = ${other.id}`.execute(database.db);
    const ambiguous = await keyError(revokeApiKey(database, created.prefix));
    expect(ambiguous.code).toBe('AMBIGUOUS_PREFIX');
    expect(ambiguous.message).toContain(other.id);
    await sql`UPDATE ${sql.table(`${database.schema}.api_keys`)} SET key_prefix = ${other.key.slice(0, 12)}
      WHERE id = ${other.id}`.execute(database.db);
    expect((await revokeApiKey(database, created.prefix)).id).toBe(created.id);
    expect(await verifyApiKey(database, created.key)).toBeUndefined();
    expect(await verifyApiKey(database, other.key)).toBeDefined();
  });

  it('caches a verified key for 30 s; a revoke in this process takes effect at once', async () => {
    const database = await ctx.open();
    const t0 = new Date('2026-11-25T10:00:00Z');
    const a = await createApiKey(database, { scope: 'ingest' });
    const b = await createApiKey(database, { scope: 'ingest' });
    expect(await verifyApiKey(database, a.key, t0)).toBeDefined();
    expect(await verifyApiKey(database, b.key, t0)).toBeDefined();
    // Revoked behind the cache's back (as another process would): still trusted within the TTL.
    await sql`UPDATE ${sql.table(`${database.schema}.api_keys`)} SET revoked_at = now()
      WHERE id = ${a.id}`.execute(database.db);
    expect(await verifyApiKey(database, a.key, new Date(t0.getTime() + 29_000))).toBeDefined();
    expect(await verifyApiKey(database, a.key, new Date(t0.getTime() + 30_000))).toBeUndefined();
    // Revoked through the library in this process: refused at once, cache or not.
    await revokeApiKey(database, b.prefix);
    expect(await verifyApiKey(database, b.key, t0)).toBeUndefined();
  });

  it('remembers a key it does not hold for 10 s: a repeated unknown or revoked key costs one query', async () => {
    const database = await ctx.open();
    let queries = 0;
    const plugin: KyselyPlugin = {
      transformQuery(args) {
        queries++;
        return args.node;
      },
      transformResult: async (args) => args.result,
    };
    const db = database.db.withPlugin(plugin);
    const counted = new Proxy(database, { get: (target, p) => (p === 'db' ? db : Reflect.get(target, p)) });
    const t0 = new Date('2026-11-25T10:00:00Z');
    const at = (ms: number) => new Date(t0.getTime() + ms);
    const unknown = `tm_ingest_${'B'.repeat(43)}`;
    for (let i = 0; i < 5; i++) expect(await verifyApiKey(counted, unknown, at(i * 1000))).toBeUndefined();
    expect(queries).toBe(1);
    expect(await verifyApiKey(counted, unknown, at(KEY_MISS_TTL_MS))).toBeUndefined();
    expect(queries).toBe(2);
    // A revoked key is a miss too; a key created meanwhile was never presented, so it works at once.
    const created = await createApiKey(database, { scope: 'ingest' });
    await revokeApiKey(database, created.id);
    queries = 0;
    expect(await verifyApiKey(counted, created.key, t0)).toBeUndefined();
    expect(await verifyApiKey(counted, created.key, t0)).toBeUndefined();
    expect(queries).toBe(1);
    const fresh = await createApiKey(database, { scope: 'ingest' });
    expect(await verifyApiKey(counted, fresh.key, t0)).toMatchObject({ id: fresh.id });
  });

  it('says to migrate when the table does not exist', async () => {
    const database = await ctx.open({ migrate: false });
    const error = await keyError(listApiKeys(database));
    expect(error.code).toBe('KEYS_TABLE_MISSING');
    expect(error.message).toMatch(/tripmeter migrate/);
  });

  it('requireScope: 401 without, with an unknown or a revoked key; 403 for another scope; 200 for its own', async () => {
    const database = await ctx.open();
    const app = appFor(database);
    const keys = Object.fromEntries(
      await Promise.all(
        SCOPES.map(async (scope) => [scope, await createApiKey(database, optionsFor(scope))]),
      ),
    ) as Record<Scope, Awaited<ReturnType<typeof createApiKey>>>;
    const get = (path: string, key?: string) =>
      app.request(path, key === undefined ? {} : { headers: { Authorization: `Bearer ${key}` } });

    const missing = await get('/ingest');
    expect(missing.status).toBe(401);
    expect(missing.headers.get('content-type')).toBe('application/problem+json');
    expect(missing.headers.get('www-authenticate')).toBe('Bearer');
    expect(await missing.json()).toMatchObject({ status: 401, code: 'UNAUTHORIZED' });

    const basic = await app.request('/ingest', { headers: { Authorization: `Basic ${keys.ingest.key}` } });
    expect(basic.status).toBe(401);

    const unknown = await get('/ingest', `tm_ingest_${'A'.repeat(43)}`);
    expect(unknown.status).toBe(401);
    expect(unknown.headers.get('www-authenticate')).toBe('Bearer');
    const unknownBody = await unknown.text();
    expect(unknownBody).toMatch(/"code":"UNAUTHORIZED"/);
    expect(unknownBody).not.toContain('AAAA');

    for (const scope of SCOPES) {
      const ok = await get(`/${scope}`, keys[scope].key);
      expect(ok.status, scope).toBe(200);
      expect(await ok.json()).toEqual({ id: keys[scope].id });
      for (const other of SCOPES.filter((s) => s !== scope)) {
        const refused = await get(`/${other}`, keys[scope].key);
        expect(refused.status, `${scope} key on /${other}`).toBe(403);
        expect(refused.headers.get('content-type')).toBe('application/problem+json');
        const body = await refused.text();
        expect(JSON.parse(body)).toMatchObject({ status: 403, code: 'FORBIDDEN_SCOPE' });
        expect(body).not.toContain(keys[scope].key);
      }
    }

    await revokeApiKey(database, keys.ingest.id);
    const revoked = await get('/ingest', keys.ingest.key);
    expect(revoked.status).toBe(401);
    expect(await revoked.json()).toMatchObject({ code: 'UNAUTHORIZED' });
  });
});
