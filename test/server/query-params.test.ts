import fc from 'fast-check';
import { beforeAll, expect, it } from 'vitest';
import { createApiKey, type Scope } from '../../src/auth/index.js';
import { loadConfig } from '../../src/config/index.js';
import { GroupCommitWriter } from '../../src/ingest/index.js';
import { silentLogger } from '../../src/logging/index.js';
import { rebuildRollups } from '../../src/rollups/index.js';
import { createApp } from '../../src/server/app.js';
import { PostgresSink } from '../../src/store/postgres-sink.js';
import { seedAttempts } from '../metrics/seed.js';
import { describeOnDatabases } from '../support/databases.js';
import { registeredRoutes } from '../support/routes.js';

const NOW = new Date('2026-11-25T10:00:00Z');
const ORIGIN = 'https://app.example.com';
const RUNS = 600;

/** The scope of each route that is not an admin route (public routes get a key they ignore). */
const SCOPE: Record<string, Scope> = {
  'POST /v1/events': 'ingest',
  'POST /v1/identify': 'ingest',
  'POST /v1/client-events': 'site',
};

/** Every query parameter some route reads, so the fuzz reaches the validators, not only "unknown". */
const KNOWN = [
  'from',
  'to',
  'provider',
  'model',
  'prompt_contract_version',
  'source',
  'bucket',
  'min_volume',
  'window_minutes',
  'state',
  'limit',
];

const YEAR_MS = 365.2425 * 86_400_000;
/** Instants from year −1 to year 10 001, written as ISO times with a zone. */
const isoTime = fc
  .tuple(
    fc.integer({ min: -62_198_755_200_000 - YEAR_MS, max: 253_402_300_800_000 + YEAR_MS }),
    fc.constantFrom('Z', '+14:00', '-12:00', '+00:00', '.000Z', '.123456Z'),
  )
  .map(([ms, zone]) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, zone));
/** Times at the edges people and attackers try: years 0, 1, 1969, 1970, 9999, the comparison window. */
const edgeTime = fc.constantFrom(
  '0000-01-01T00:00:00Z',
  '0001-01-01T00:00:00Z',
  '0001-01-08T00:00:00Z',
  '1969-12-31T23:59:59Z',
  '1970-01-01T00:00:00Z',
  '1970-01-08T00:00:00Z',
  '1971-01-01T00:00:00Z',
  '9999-12-31T23:59:59Z',
  '9999-12-31T23:59:59-05:00',
  '9999-12-31T23:59:59.999Z',
  '2026-02-29T00:00:00Z',
  '2026-11-25T10:00:00Z',
);
/** Text of every kind: NUL and other controls, lone surrogates, odd Unicode, numbers; times weigh most. */
const value = fc.oneof(
  { arbitrary: isoTime, weight: 3 },
  { arbitrary: edgeTime, weight: 4 },
  {
    arbitrary: fc.constantFrom(
      '\u0000',
      'a\u0000b',
      '\ud800',
      'x\udfffy',
      '\u202e',
      '\ufeff',
      '%',
      '%00',
      '%ED%A0%80',
      '',
    ),
    weight: 3,
  },
  {
    arbitrary: fc.constantFrom(
      'hour',
      'day',
      'week',
      'firing',
      'resolved',
      '0',
      '-1',
      '1e3',
      '1e308',
      'NaN',
      '0x10',
      ' 5',
    ),
    weight: 1,
  },
  { arbitrary: fc.integer().map(String), weight: 1 },
  { arbitrary: fc.string({ unit: 'binary', maxLength: 40 }), weight: 1 },
  { arbitrary: fc.string({ maxLength: 200 }), weight: 1 },
);
const key = fc.oneof(
  { arbitrary: fc.constantFrom(...KNOWN), weight: 6 },
  { arbitrary: fc.string({ unit: 'binary', minLength: 1, maxLength: 12 }), weight: 1 },
);

/** Percent-encodes text, lone surrogates included (as the raw bytes a client could send). */
function encode(text: string): string {
  let out = '';
  for (const char of text) {
    const code = char.codePointAt(0)!;
    if (code >= 0xd800 && code <= 0xdfff)
      out += `%${(0xe0 | (code >> 12)).toString(16)}%${(0x80 | ((code >> 6) & 0x3f)).toString(16)}%${(0x80 | (code & 0x3f)).toString(16)}`;
    else out += encodeURIComponent(char);
  }
  return out;
}

describeOnDatabases('query strings and path parameters', (ctx) => {
  let app: ReturnType<typeof createApp>;
  const keys = {} as Record<Scope, string>;

  beforeAll(async () => {
    const database = await ctx.open({ now: NOW });
    keys.ingest = (await createApiKey(database, { scope: 'ingest' })).key;
    keys.admin = (await createApiKey(database, { scope: 'admin' })).key;
    keys.site = (await createApiKey(database, { scope: 'site', origins: [ORIGIN] })).key;
    // Some attempts, rolled up, so long ranges take the rollup paths too.
    await seedAttempts(
      database,
      Array.from({ length: 48 }, (_, i) => ({
        at: new Date(NOW.getTime() - i * 3 * 3_600_000),
        status: i % 4 === 0 ? ('failed' as const) : ('success' as const),
        anon: '2f1c7a52-9b7e-4c41-8f0e-0c3b8d1a6e55',
      })),
    );
    await rebuildRollups(database, { now: NOW });
    app = createApp({
      config: loadConfig({
        env: { TRIPMETER_RATE_LIMIT_KEY_PER_SECOND: '0', TRIPMETER_RATE_LIMIT_ADDRESS_PER_SECOND: '0' },
      }),
      database,
      logger: silentLogger,
      now: () => NOW,
      ingestWriter: new GroupCommitWriter({ sink: new PostgresSink(database) }),
    });
  }, 180_000);

  const call = (method: string, path: string, params: [string, string][], segment: string) => {
    const query = params.map(([k, v]) => `${encode(k)}=${encode(v)}`).join('&');
    const url = `${path.replace(/:[A-Za-z]+/g, encode(segment))}${query ? `?${query}` : ''}`;
    const scope = SCOPE[`${method} ${path}`] ?? 'admin';
    return app.request(url, {
      method,
      headers: {
        origin: ORIGIN,
        authorization: `Bearer ${keys[scope]}`,
        ...(method === 'POST' ? { 'content-type': 'application/json' } : {}),
      },
      ...(method === 'POST' ? { body: '{}' } : {}),
    });
  };

  it('no query string or path parameter of any route yields a 5xx', async () => {
    const routes = registeredRoutes(app);
    expect(routes.length).toBeGreaterThanOrEqual(15);
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...routes),
        fc.array(fc.tuple(key, value), { maxLength: 5 }),
        value,
        async ({ method, path }, params, segment) => {
          const res = await call(method, path, params, segment);
          const body = await res.text();
          expect(res.status, `${method} ${path} ${JSON.stringify(params)} → ${body}`).toBeLessThan(500);
        },
      ),
      {
        numRuns: RUNS,
        // The inputs of issue 19 always run, besides the random ones.
        examples: [
          [{ method: 'GET', path: '/v1/metrics/summary' }, [['to', '0001-01-01T00:00:00Z']], 'x'],
          [{ method: 'GET', path: '/v1/metrics/failures' }, [['from', '0001-01-02T00:00:00Z']], 'x'],
          [{ method: 'GET', path: '/v1/metrics/timeseries' }, [['to', '0000-06-01T00:00:00Z']], 'x'],
          [{ method: 'GET', path: '/v1/metrics/models' }, [['provider', '\u0000']], 'x'],
          [{ method: 'GET', path: '/v1/alerts' }, [['state', 'a\u0000']], 'x'],
          [{ method: 'DELETE', path: '/v1/subjects/users/:userId' }, [], '\u0000'],
        ],
      },
    );
  });

  it('no value of a header the service reads yields a 5xx', async () => {
    const trusting = createApp({
      config: loadConfig({
        env: { TRIPMETER_TRUST_PROXY: 'true', TRIPMETER_RATE_LIMIT_ADDRESS_PER_SECOND: '0' },
      }),
      database: await ctx.open({ now: NOW }),
      logger: silentLogger,
      now: () => NOW,
    });
    // What a header can carry: visible Latin-1 text (Node refuses NUL, CR and LF itself).
    const headerText = fc.oneof(
      fc.string({
        unit: fc.integer({ min: 0x20, max: 0xff }).map((c) => String.fromCharCode(c)),
        maxLength: 80,
      }),
      fc.constantFrom(
        'Bearer ',
        'Bearer tm_admin_',
        'null',
        'https://',
        'https://app.example.com:99999',
        '::ffff:1.2.3.4, x',
      ),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...registeredRoutes(trusting)),
        fc.record(
          {
            authorization: headerText,
            origin: headerText,
            'x-forwarded-for': headerText,
            'content-type': headerText,
          },
          { requiredKeys: [] },
        ),
        async ({ method, path }, headers) => {
          const res = await trusting.request(path.replace(/:[A-Za-z]+/g, 'x'), {
            method,
            headers,
            ...(method === 'POST' ? { body: '{}' } : {}),
          });
          expect(res.status, `${method} ${path} ${JSON.stringify(headers)}`).toBeLessThan(500);
        },
      ),
      { numRuns: RUNS / 2 },
    );
  });

  it('every metrics route answers a bad date, NUL or a range outside 1970–9999 with 400 naming the parameter', async () => {
    // /v1/metrics/stuck is a figure of now: it takes no range (test/generation/routes.test.ts).
    const metrics = registeredRoutes(app).filter(
      (r) => r.path.startsWith('/v1/metrics/') && r.path !== '/v1/metrics/stuck',
    );
    expect(metrics.length).toBe(11);
    const cases: [string, string][] = [
      ['to=0001-01-01T00:00:00Z', 'to'],
      ['to=0000-01-01T00:00:00Z', 'to'],
      ['from=0001-01-01T00:00:00Z&to=0001-01-08T00:00:00Z', 'from'],
      ['from=1970-01-02T00:00:00Z&to=1970-01-08T00:00:00Z', 'from'], // the window before reaches 1969
      ['to=1970-01-03T00:00:00Z', 'to'], // the default 7 days before reach 1969
      ['from=9999-12-31T00:00:00Z&to=9999-12-31T23:59:59-05:00', 'to'],
      ['provider=%00', 'provider'],
      ['model=a%00b', 'model'],
      ['from=2026-11-24T00:00:00Z&from=2026-11-23T00:00:00Z', 'from'],
      ['%00=1', '(query)'],
    ];
    for (const { path } of metrics) {
      for (const [query, field] of cases) {
        const res = await app.request(`${path}?${query}`, {
          headers: { authorization: `Bearer ${keys.admin}` },
        });
        expect(res.status, `${path}?${query}`).toBe(400);
        expect(res.headers.get('content-type')).toBe('application/problem+json');
        const problem = (await res.json()) as { code: string; errors: { field: string }[] };
        expect(problem.code, `${path}?${query}`).toBe('INVALID_QUERY');
        expect(
          problem.errors.map((e) => e.field),
          `${path}?${query}`,
        ).toContain(field);
      }
      const edge = await app.request(`${path}?from=1970-01-01T00:00:00.001Z&to=1970-01-01T00:00:00.002Z`, {
        headers: { authorization: `Bearer ${keys.admin}` },
      });
      expect(edge.status, `${path} at the first supported instant`).toBe(200);
      const last = await app.request(`${path}?from=9999-12-01T00:00:00Z&to=9999-12-31T23:59:59.999Z`, {
        headers: { authorization: `Bearer ${keys.admin}` },
      });
      expect(last.status, `${path} up to the last supported instant`).toBe(200);
    }
  });

  it('alerts and subjects refuse NUL and repeated parameters with 400 naming them', async () => {
    const admin = { authorization: `Bearer ${keys.admin}` };
    const alerts = await app.request('/v1/alerts?state=firing%00', { headers: admin });
    expect(alerts.status).toBe(400);
    expect(await alerts.json()).toMatchObject({ code: 'INVALID_QUERY', errors: [{ field: 'state' }] });
    const twice = await app.request('/v1/alerts?limit=1&limit=2', { headers: admin });
    expect(await twice.json()).toMatchObject({ code: 'INVALID_QUERY', errors: [{ field: 'limit' }] });
    const unknown = await app.request('/v1/alerts?colour=red', { headers: admin });
    expect(await unknown.json()).toMatchObject({ code: 'INVALID_QUERY', errors: [{ field: 'colour' }] });
    const subject = await app.request('/v1/subjects/users/%00', { method: 'DELETE', headers: admin });
    expect(subject.status).toBe(400);
    expect(await subject.json()).toMatchObject({ errors: [{ field: 'user_id' }] });
  });
});
