import { Writable } from 'node:stream';
import fc from 'fast-check';
import { sql } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createApiKey } from '../../src/auth/index.js';
import { loadConfig } from '../../src/config/index.js';
import { createLogger, silentLogger } from '../../src/logging/index.js';
import { createApp } from '../../src/server/app.js';
import type { Database } from '../../src/storage/index.js';
import { describeOnDatabases } from '../support/databases.js';
import {
  hs256Token,
  type JwksServer,
  type SigningKey,
  signingKey,
  startJwksServer,
  TEST_AUDIENCE,
  TEST_ISSUER,
  TEST_JWT_SECRET,
  unreachableUrl,
} from '../support/jwks.js';
import { scanForIds, subjectRows, uuid, writeAttempts } from '../support/subjects.js';

const NOW = new Date('2026-11-25T10:00:00Z');
const IAT = NOW.getTime() / 1000 - 60;
const ORIGIN = 'https://app.example.com';
const PATH = '/v1/client-identify';

const HS256_ENV = {
  TRIPMETER_IDENTIFY_JWT_SECRET: TEST_JWT_SECRET,
  TRIPMETER_IDENTIFY_JWT_ISSUER: TEST_ISSUER,
  TRIPMETER_IDENTIFY_JWT_AUDIENCE: TEST_AUDIENCE,
};

interface Problem {
  code: string;
  detail: string;
}

describeOnDatabases('POST /v1/client-identify', (ctx) => {
  let database: Database;
  let siteKey: string;
  let ingestKey: string;
  let ec: SigningKey;
  let rsa: SigningKey;
  let jwks: JwksServer;
  const logLines: string[] = [];

  beforeAll(async () => {
    database = await ctx.open({ now: NOW });
    siteKey = (await createApiKey(database, { scope: 'site', origins: [ORIGIN] })).key;
    ingestKey = (await createApiKey(database, { scope: 'ingest' })).key;
    [ec, rsa] = await Promise.all([signingKey('ES256', 'ec-1'), signingKey('RS256', 'rsa-1')]);
    jwks = await startJwksServer([ec, rsa]);
  });
  afterAll(() => jwks.close());

  /** An app over this suite's database, configured by `env`, logging at debug into `logLines`. */
  const appWith = (env: Record<string, string>) => {
    const sink = new Writable({
      write(chunk, _encoding, done) {
        logLines.push(String(chunk));
        done();
      },
    });
    const logger = createLogger('debug', sink);
    return createApp({ config: loadConfig({ env }), database, logger, now: () => NOW });
  };
  const post = (app: ReturnType<typeof appWith>, body: unknown, headers: Record<string, string> = {}) =>
    app.request(PATH, {
      method: 'POST',
      headers: { 'content-type': 'text/plain;charset=UTF-8', origin: ORIGIN, ...headers },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
  const links = async () =>
    (
      await sql<{ anon_session_id: string; user_id: string; outcome: string }>`
        SELECT anon_session_id, user_id::text, outcome FROM ${sql.table(`${database.schema}.identity_links`)}`.execute(
        database.db,
      )
    ).rows;

  it('answers 404 to every method when no key set or secret is configured', async () => {
    const app = createApp({
      config: loadConfig({ env: {} }),
      database,
      logger: silentLogger,
      now: () => NOW,
    });
    const token = await hs256Token({ sub: uuid(), issuedAt: IAT });
    const res = await post(app, { site_key: siteKey, anon_session_id: uuid(), access_token: token });
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toBe('application/problem+json');
    expect(((await res.json()) as Problem).detail).toMatch(/identifyJwksUrl or identifyJwtSecret/);
    expect((await app.request(PATH, { method: 'OPTIONS', headers: { origin: ORIGIN } })).status).toBe(404);
  });

  it('links the sub of a verified HS256 token to the anonymous id, then answers already_linked', async () => {
    const app = appWith(HS256_ENV);
    const [anon, user] = [uuid(), uuid()];
    await writeAttempts(database, { anonSessionId: anon, at: new Date(NOW.getTime() - 3_600_000) });
    const token = await hs256Token({ sub: user, issuedAt: IAT });
    const res = await post(app, { site_key: siteKey, anon_session_id: anon, access_token: token });
    expect(res.status).toBe(200);
    expect(res.headers.get('access-control-allow-origin')).toBe(ORIGIN);
    expect(await res.json()).toEqual({ outcome: 'linked' });
    const rows = (await subjectRows(database, database.schema)).filter((r) => r.anon_session_id === anon);
    expect(rows).toHaveLength(3);
    expect(rows.every((r) => r.user_id === user)).toBe(true);
    const again = await post(app, { site_key: siteKey, anon_session_id: anon, access_token: token });
    expect(await again.json()).toEqual({ outcome: 'already_linked' });
    // The token is neither stored nor logged; its signature is the part no other value shares.
    const signature = token.split('.')[2]!;
    expect(await scanForIds(database, [signature])).toEqual([]);
    expect(logLines.join('\n')).not.toContain(signature);
  });

  it('does not link an anonymous Supabase user: 200 outcome anonymous', async () => {
    const app = appWith(HS256_ENV);
    const [anon, guest] = [uuid(), uuid()];
    await writeAttempts(database, { anonSessionId: anon, at: new Date(NOW.getTime() - 60_000) });
    const token = await hs256Token({ sub: guest, issuedAt: IAT, claims: { is_anonymous: true } });
    const res = await post(app, { site_key: siteKey, anon_session_id: anon, access_token: token });
    expect(await res.json()).toEqual({ outcome: 'anonymous' });
    expect((await links()).filter((l) => l.anon_session_id === anon)).toEqual([]);
    const rows = (await subjectRows(database, database.schema)).filter((r) => r.anon_session_id === anon);
    expect(rows.every((r) => r.user_id === null)).toBe(true);
  });

  it('answers 401 INVALID_TOKEN to forged, expired, wrong-audience and wrong-issuer tokens, linking nothing', async () => {
    const app = appWith(HS256_ENV);
    const anon = uuid();
    const sub = uuid();
    const bad = {
      forged: await hs256Token({ sub, issuedAt: IAT }, 'not-the-app-secret-0123456789-abcdef'),
      expired: await hs256Token({ sub, issuedAt: IAT - 7200, expiresAt: IAT - 3600 }),
      audience: await hs256Token({ sub, issuedAt: IAT, audience: 'service_role' }),
      issuer: await hs256Token({ sub, issuedAt: IAT, issuer: 'https://other.supabase.test/auth/v1' }),
      asymmetric: await ec.token({ sub, issuedAt: IAT }),
    };
    for (const [name, token] of Object.entries(bad)) {
      const res = await post(app, { site_key: siteKey, anon_session_id: anon, access_token: token });
      expect(res.status, name).toBe(401);
      expect(res.headers.get('content-type')).toBe('application/problem+json');
      expect(((await res.json()) as Problem).code, name).toBe('INVALID_TOKEN');
    }
    expect((await links()).filter((l) => l.anon_session_id === anon)).toEqual([]);
    expect(logLines.join('\n')).not.toContain(bad.forged.split('.')[2]!);
  });

  it('links with RS256 and ES256 tokens checked against the key set', async () => {
    const app = appWith({
      TRIPMETER_IDENTIFY_JWKS_URL: jwks.url,
      TRIPMETER_IDENTIFY_JWT_ISSUER: TEST_ISSUER,
      TRIPMETER_IDENTIFY_JWT_AUDIENCE: TEST_AUDIENCE,
    });
    for (const key of [rsa, ec]) {
      const [anon, user] = [uuid(), uuid()];
      const token = await key.token({ sub: user, issuedAt: IAT });
      const res = await post(app, { site_key: siteKey, anon_session_id: anon, access_token: token });
      expect(await res.json(), key.alg).toEqual({ outcome: 'linked' });
      expect(await links()).toContainEqual({ anon_session_id: anon, user_id: user, outcome: 'linked' });
    }
    const stranger = await signingKey('ES256', 'ec-1');
    const forged = await stranger.token({ sub: uuid(), issuedAt: IAT });
    const res = await post(app, { site_key: siteKey, anon_session_id: uuid(), access_token: forged });
    expect(res.status).toBe(401);
  });

  it('answers 503 IDENTIFY_KEYS_UNAVAILABLE with Retry-After when the key set is unreachable', async () => {
    const app = appWith({ TRIPMETER_IDENTIFY_JWKS_URL: await unreachableUrl() });
    const anon = uuid();
    const token = await ec.token({ sub: uuid(), issuedAt: IAT });
    const res = await post(app, { site_key: siteKey, anon_session_id: anon, access_token: token });
    expect(res.status).toBe(503);
    expect(res.headers.get('retry-after')).toBe('30');
    expect(((await res.json()) as Problem).code).toBe('IDENTIFY_KEYS_UNAVAILABLE');
    expect((await links()).filter((l) => l.anon_session_id === anon)).toEqual([]);
  });

  it('answers 409 for an anonymous id of another user, and 400 for a sub that is not a UUID', async () => {
    const app = appWith(HS256_ENV);
    const anon = uuid();
    const first = await hs256Token({ sub: uuid(), issuedAt: IAT });
    expect((await post(app, { site_key: siteKey, anon_session_id: anon, access_token: first })).status).toBe(
      200,
    );
    const second = await hs256Token({ sub: uuid(), issuedAt: IAT });
    const conflict = await post(app, { site_key: siteKey, anon_session_id: anon, access_token: second });
    expect(conflict.status).toBe(409);
    expect(((await conflict.json()) as Problem).code).toBe('ANON_ID_ALREADY_LINKED');
    const auth0 = await hs256Token({ sub: 'auth0|12345', issuedAt: IAT });
    const invalid = await post(app, { site_key: siteKey, anon_session_id: uuid(), access_token: auth0 });
    expect(invalid.status).toBe(400);
    expect(await invalid.json()).toMatchObject({ code: 'INVALID_ID', errors: [{ field: 'access_token' }] });
  });

  it('checks the site key and origin before the body, and the body key before the token', async () => {
    const app = appWith(HS256_ENV);
    let read = false;
    const body = () =>
      new ReadableStream<Uint8Array>(
        {
          pull(controller) {
            read = true;
            controller.enqueue(new TextEncoder().encode('{}'));
            controller.close();
          },
        },
        { highWaterMark: 0 },
      );
    const cases: [Record<string, string>, number, string][] = [
      [{ origin: ORIGIN, authorization: `Bearer ${ingestKey}` }, 403, 'FORBIDDEN_SCOPE'],
      [{ origin: 'https://evil.example' }, 403, 'ORIGIN_NOT_ALLOWED'],
      [{}, 403, 'ORIGIN_NOT_ALLOWED'],
    ];
    for (const [headers, status, code] of cases) {
      read = false;
      const res = await app.request(PATH, {
        method: 'POST',
        headers: { 'content-type': 'text/plain', ...headers },
        body: body(),
        duplex: 'half',
      } as RequestInit);
      expect(res.status, JSON.stringify(headers)).toBe(status);
      expect(((await res.json()) as Problem).code).toBe(code);
      expect(read, `body read for ${JSON.stringify(headers)}`).toBe(false);
    }
    const token = await hs256Token({ sub: uuid(), issuedAt: IAT }, 'forged-0123456789-0123456789-0123');
    const noKey = await post(app, { anon_session_id: uuid(), access_token: token });
    expect(noKey.status).toBe(401);
    expect(((await noKey.json()) as Problem).code).toBe('UNAUTHORIZED');
    const unknown = await post(app, { anon_session_id: uuid(), access_token: 'x', colour: 'red' });
    expect(unknown.status).toBe(401); // the key first: a stranger learns nothing of the body's shape
    const withKey = await post(app, { site_key: siteKey, anon_session_id: uuid(), access_token: 'x', c: 1 });
    expect(await withKey.json()).toMatchObject({ code: 'INVALID_BODY', errors: [{ field: 'c' }] });
    const bearer = await post(
      app,
      { anon_session_id: uuid(), access_token: await hs256Token({ sub: uuid(), issuedAt: IAT }) },
      { authorization: `Bearer ${siteKey}`, 'content-type': 'application/json' },
    );
    expect(await bearer.json()).toEqual({ outcome: 'linked' });
  });

  it('answers 4xx, never 5xx, to whatever arrives as a token, and links nothing', async () => {
    const app = appWith({ ...HS256_ENV, TRIPMETER_RATE_LIMIT_KEY_PER_SECOND: '0' });
    const segment = fc.oneof(
      fc.base64String({ maxLength: 60 }).map((b) => b.replaceAll('=', '')),
      fc.json().map((j) => Buffer.from(j).toString('base64url')),
      fc.string({ maxLength: 20 }),
    );
    const token = fc.oneof(
      fc.tuple(segment, segment, segment).map((parts) => parts.join('.')),
      fc.constantFrom('', '..', 'a.b', 'e30.e30.', 'eyJhbGciOiJub25lIn0.e30.'),
      fc.string({ unit: 'binary', maxLength: 100 }),
    );
    const anon = uuid();
    await fc.assert(
      fc.asyncProperty(token, async (t) => {
        const res = await post(app, { site_key: siteKey, anon_session_id: anon, access_token: t });
        await res.arrayBuffer();
        return res.status >= 400 && res.status < 500;
      }),
      { numRuns: 300, seed: 16 },
    );
    expect((await links()).filter((l) => l.anon_session_id === anon)).toEqual([]);
  });

  it('answers the CORS preflight of a site origin, and is rate limited per site key', async () => {
    const app = appWith({
      ...HS256_ENV,
      TRIPMETER_RATE_LIMIT_KEY_PER_SECOND: '0.001',
      TRIPMETER_RATE_LIMIT_KEY_BURST: '1',
    });
    const preflight = await app.request(PATH, { method: 'OPTIONS', headers: { origin: ORIGIN } });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe(ORIGIN);
    const send = () => post(app, { site_key: siteKey, anon_session_id: uuid(), access_token: 'x' });
    expect((await send()).status).toBe(401);
    const limited = await send();
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).not.toBeNull();
  });
});
