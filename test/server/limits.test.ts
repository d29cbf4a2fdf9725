import { sql } from 'kysely';
import { beforeAll, describe, expect, it } from 'vitest';
import { createApiKey } from '../../src/auth/index.js';
import { loadConfig } from '../../src/config/index.js';
import { GroupCommitWriter } from '../../src/ingest/index.js';
import { silentLogger } from '../../src/logging/index.js';
import { createApp } from '../../src/server/app.js';
import type { Database } from '../../src/storage/index.js';
import { PostgresSink } from '../../src/store/postgres-sink.js';
import { describeOnDatabases } from '../support/databases.js';
import { registeredRoutes } from '../support/routes.js';

const NOW = new Date('2026-11-25T10:00:00Z');
const ORIGIN = 'https://app.example.com';

const deep = (levels: number) => `${'{"a":'.repeat(levels)}1${'}'.repeat(levels)}`;

describeOnDatabases('request limits', (ctx) => {
  let database: Database;
  const keys = { ingest: '', site: '' };

  beforeAll(async () => {
    database = await ctx.open({ now: NOW });
    keys.ingest = (await createApiKey(database, { scope: 'ingest' })).key;
    keys.site = (await createApiKey(database, { scope: 'site', origins: [ORIGIN] })).key;
  });

  // Browser login linkage on, so /v1/client-identify reads bodies (without it, it answers 404).
  const identify = { TRIPMETER_IDENTIFY_JWT_SECRET: 'limits-test-secret-0123456789-abcdefgh' };
  const appWith = (env: Record<string, string> = {}) =>
    createApp({
      config: loadConfig({ env: { ...identify, ...env } }),
      database,
      logger: silentLogger,
      now: () => NOW,
      ingestWriter: new GroupCommitWriter({ sink: new PostgresSink(database) }),
    });

  describe('every POST route', () => {
    let app: ReturnType<typeof createApp>;
    beforeAll(() => {
      app = appWith();
    });
    const post = (path: string, body: BodyInit, type: string | undefined) =>
      app.request(path, {
        method: 'POST',
        headers: {
          origin: ORIGIN,
          authorization: `Bearer ${path.startsWith('/v1/client-') ? keys.site : keys.ingest}`,
          ...(type ? { 'content-type': type } : {}),
        },
        body,
      });
    const cases: [string, BodyInit, string | undefined, number, string][] = [
      ['malformed JSON', '{"events": [', 'application/json', 400, 'MALFORMED_JSON'],
      ['an empty body', '', 'application/json', 400, 'MALFORMED_JSON'],
      ['a wrong content type', '{}', 'application/x-www-form-urlencoded', 415, 'UNSUPPORTED_MEDIA_TYPE'],
      ['no content type', new TextEncoder().encode('{}'), undefined, 415, 'UNSUPPORTED_MEDIA_TYPE'],
      ['an oversize body', `{"pad":"${'x'.repeat(300 * 1024)}"}`, 'application/json', 413, 'BODY_TOO_LARGE'],
      ['JSON nested 33 deep', deep(33), 'application/json', 400, 'JSON_TOO_DEEP'],
      [
        'JSON nested 100 000 deep',
        `${'['.repeat(100_000)}${']'.repeat(100_000)}`,
        'application/json',
        400,
        '',
      ],
      ['JSON nested 20 000 deep', `${'['.repeat(20_000)}${']'.repeat(20_000)}`, 'application/json', 400, ''],
    ];

    it('answers 4xx problem+json to bad bodies, never 5xx', async () => {
      // /v1/traces answers OTLP's google.rpc.Status, not problem+json: test/otlp/traces-route.test.ts.
      const posts = registeredRoutes(app).filter((r) => r.method === 'POST' && r.path !== '/v1/traces');
      expect(posts.map((r) => r.path).sort()).toEqual([
        '/v1/client-events',
        '/v1/client-identify',
        '/v1/events',
        '/v1/identify',
      ]);
      const failures: string[] = [];
      for (const { path } of posts) {
        for (const [what, body, type, status, code] of cases) {
          const res = await post(path, body, type);
          const problem = (await res.json()) as { code: string };
          const expected = path === '/v1/identify' && status === 413 ? 413 : status;
          const okCode =
            code === '' ? ['JSON_TOO_DEEP', 'BODY_TOO_LARGE'].includes(problem.code) : problem.code === code;
          const okStatus = code === '' ? res.status === 400 || res.status === 413 : res.status === expected;
          if (
            !okStatus ||
            !okCode ||
            !res.headers.get('content-type')?.startsWith('application/problem+json')
          )
            failures.push(`${path} with ${what}: ${res.status} ${problem.code}`);
        }
      }
      expect(failures).toEqual([]);
    });
  });

  describe('text, nesting, keys and fields, the same on every POST route', () => {
    let app: ReturnType<typeof createApp>;
    beforeAll(() => {
      app = appWith();
    });
    const ANON = '2f1c7a52-9b7e-4c41-8f0e-0c3b8d1a6e55';
    const USER = '7d0c7d3e-5a55-4f0e-9c3f-1f2d3c4b5a69';
    /** A valid body of each route, as JSON text with `$` where a test puts its value (a string field). */
    const valid: Record<string, (value: string) => string> = {
      '/v1/events': (v) => `{"type":"create_trip_attempted","request_id":"utf8-1","trip_id":${v}}`,
      '/v1/client-events': (v) =>
        `{"events":[{"name":"create_trip__cta--generate","anon_session_id":"${ANON}","occurred_at":"${NOW.toISOString()}","props":{"section_id":${v}}}]}`,
      '/v1/identify': (v) => `{"anon_session_id":"${ANON}","user_id":${v}}`,
      '/v1/client-identify': (v) => `{"anon_session_id":"${ANON}","access_token":${v}}`,
    };
    const fieldOf: Record<string, string> = {
      '/v1/events': 'trip_id',
      '/v1/client-events': 'events[0].props.section_id',
      '/v1/identify': 'user_id',
      '/v1/client-identify': 'access_token',
    };
    const rowCount = async () => {
      let total = 0;
      for (const table of ['trip_creation_events', 'trip_creation_client_events', 'identity_links'])
        total += Number(
          (
            await sql<{
              n: string;
            }>`SELECT count(*) AS n FROM ${sql.table(`${database.schema}.${table}`)}`.execute(database.db)
          ).rows[0]!.n,
        );
      return total;
    };
    const post = (path: string, body: BodyInit) =>
      app.request(path, {
        method: 'POST',
        headers: {
          origin: ORIGIN,
          authorization: `Bearer ${path.startsWith('/v1/client-') ? keys.site : keys.ingest}`,
          'content-type': 'application/json',
        },
        body,
      });
    const problemOf = async (res: Response) =>
      (await res.json()) as { code: string; errors?: { field: string; message: string }[] };

    it('refuses bytes that are not UTF-8 (400 INVALID_TEXT naming the field) and stores nothing', async () => {
      const before = await rowCount();
      for (const path of Object.keys(valid)) {
        const [head, tail] = valid[path]!('"$"').split('$') as [string, string];
        // "trip-" then a lone continuation byte, an overlong NUL and a truncated sequence.
        const bytes = Buffer.concat([
          Buffer.from(`${head}trip-`),
          Buffer.from([0x80, 0xc0, 0x80, 0xe2, 0x82]),
          Buffer.from(tail),
        ]);
        const res = await post(path, bytes);
        expect(res.status, path).toBe(400);
        expect(res.headers.get('content-type')).toBe('application/problem+json');
        const problem = await problemOf(res);
        expect(problem.code, path).toBe('INVALID_TEXT');
        expect(problem.errors, path).toEqual([{ field: fieldOf[path], message: expect.any(String) }]);
        const garbled = await post(path, Buffer.from([0x7b, 0xff, 0xfe, 0x7d]));
        expect(await problemOf(garbled)).toMatchObject({
          code: 'INVALID_TEXT',
          errors: [{ field: '(body)' }],
        });
      }
      expect(await rowCount()).toBe(before);
    });

    it('names where a body holds NUL, a lone surrogate, a forbidden key or nests too deep', async () => {
      for (const path of Object.keys(valid)) {
        const field = fieldOf[path]!;
        const cases: [string, string, string][] = [
          [valid[path]!(JSON.stringify('a\u0000b')), 'INVALID_TEXT', field],
          [valid[path]!('"a\\ud800b"'), 'INVALID_TEXT', field],
          [valid[path]!('{"__proto__":{"x":1}}'), 'FORBIDDEN_KEY', `${field}.__proto__`],
          [
            valid[path]!(deep(33)),
            'JSON_TOO_DEEP',
            field + '.a'.repeat(path === '/v1/client-events' ? 28 : 31),
          ],
        ];
        for (const [body, code, at] of cases) {
          const res = await post(path, body);
          expect(res.status, `${path} ${code}`).toBe(400);
          const problem = await problemOf(res);
          expect(problem.code, path).toBe(code);
          expect(problem.errors, `${path} ${code}`).toEqual([{ field: at, message: expect.any(String) }]);
        }
      }
    });

    it('refuses an unknown field on every POST route, naming it, and stores nothing', async () => {
      const before = await rowCount();
      const extra: Record<string, [string, number, string, string]> = {
        '/v1/events': [
          valid['/v1/events']!('"t"').replace(/}$/, ',"colour":"red"}'),
          422,
          'INVALID_EVENTS',
          'colour',
        ],
        '/v1/identify': [
          valid['/v1/identify']!(`"${USER}"`).replace(/}$/, ',"colour":"red"}'),
          400,
          'INVALID_BODY',
          'colour',
        ],
        '/v1/client-identify': [
          valid['/v1/client-identify']!('"t"').replace(/}$/, ',"colour":"red"}'),
          400,
          'INVALID_BODY',
          'colour',
        ],
        '/v1/client-events': [
          valid['/v1/client-events']!('"s"').replace(/}}]}$/, '},"colour":"red"}]}'),
          422,
          'INVALID_EVENTS',
          'events[0].colour',
        ],
      };
      for (const [path, [body, status, code, field]] of Object.entries(extra)) {
        const res = await post(path, body);
        expect(res.status, path).toBe(status);
        const problem = await problemOf(res);
        expect(problem.code, path).toBe(code);
        expect(problem.errors, path).toContainEqual(
          expect.objectContaining({ field, message: 'is not a known field' }),
        );
      }
      const top = await post(
        '/v1/client-events',
        valid['/v1/client-events']!('"s"').replace(/^{/, '{"colour":"red",'),
      );
      expect(await problemOf(top)).toMatchObject({ code: 'INVALID_EVENTS', errors: [{ field: 'colour' }] });
      expect(await rowCount()).toBe(before);
    });
  });

  it('limits requests per key: 429 problem+json with Retry-After', async () => {
    const app = appWith({
      TRIPMETER_RATE_LIMIT_KEY_PER_SECOND: '0.001',
      TRIPMETER_RATE_LIMIT_KEY_BURST: '3',
    });
    const statuses: number[] = [];
    let last: Response | undefined;
    for (let i = 0; i < 5; i++) {
      last = await app.request('/v1/identify', {
        method: 'POST',
        headers: { authorization: `Bearer ${keys.ingest}`, 'content-type': 'application/json' },
        body: '{}',
      });
      statuses.push(last.status);
    }
    expect(statuses).toEqual([400, 400, 400, 429, 429]);
    expect(last!.headers.get('content-type')).toBe('application/problem+json');
    expect(Number(last!.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(((await last!.json()) as { code: string }).code).toBe('RATE_LIMITED');
  });

  it('limits client events per site key too', async () => {
    const app = appWith({
      TRIPMETER_RATE_LIMIT_KEY_PER_SECOND: '0.001',
      TRIPMETER_RATE_LIMIT_KEY_BURST: '1',
    });
    const send = () =>
      app.request('/v1/client-events', {
        method: 'POST',
        headers: { origin: ORIGIN, 'content-type': 'text/plain' },
        body: JSON.stringify({ site_key: keys.site, events: [{ name: 'nope' }] }),
      });
    expect((await send()).status).toBe(422);
    expect((await send()).status).toBe(429);
  });

  it('limits per client address from X-Forwarded-For only with trustProxy', async () => {
    const limits = {
      TRIPMETER_RATE_LIMIT_ADDRESS_PER_SECOND: '0.001',
      TRIPMETER_RATE_LIMIT_ADDRESS_BURST: '2',
    };
    const get = (app: ReturnType<typeof createApp>, address: string) =>
      app.request('/healthz', { headers: { 'x-forwarded-for': `${address}, 10.0.0.1` } });
    const trusting = appWith({ ...limits, TRIPMETER_TRUST_PROXY: 'true' });
    expect([
      (await get(trusting, '203.0.113.7')).status,
      (await get(trusting, '203.0.113.7')).status,
    ]).toEqual([200, 200]);
    const refused = await get(trusting, '203.0.113.7');
    expect(refused.status).toBe(429);
    expect(refused.headers.get('retry-after')).not.toBeNull();
    expect((await get(trusting, '198.51.100.9')).status).toBe(200); // another address, another bucket
    const untrusting = appWith(limits);
    for (let i = 0; i < 5; i++) expect((await get(untrusting, '203.0.113.7')).status).toBe(200);
  });
});
