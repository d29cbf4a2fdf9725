import { beforeAll, expect, it } from 'vitest';
import type { Scope } from '../../src/auth/index.js';
import { createApiKey } from '../../src/auth/index.js';
import { loadConfig } from '../../src/config/index.js';
import { silentLogger } from '../../src/logging/index.js';
import { createApp } from '../../src/server/app.js';
import { describeOnDatabases } from '../support/databases.js';
import { PUBLIC_ROUTES, registeredRoutes } from '../support/routes.js';

const NOW = new Date('2026-11-25T10:00:00Z');
const ORIGIN = 'https://app.example.com';

/** The scope each guarded route needs; a new route must be added here or the test fails. */
const NEEDED: Record<string, Scope> = {
  'POST /v1/events': 'ingest',
  'POST /v1/traces': 'ingest',
  'POST /v1/identify': 'ingest',
  'POST /v1/client-events': 'site',
  'POST /v1/client-identify': 'site',
};

const concrete = (path: string) => path.replace(/:[A-Za-z]+/g, '7d0c7d3e-5a55-4f0e-9c3f-1f2d3c4b5a69');

describeOnDatabases('every route needs the right scope', (ctx) => {
  let app: ReturnType<typeof createApp>;
  const keys = {} as Record<Scope, string>;

  beforeAll(async () => {
    const database = await ctx.open({ now: NOW });
    keys.ingest = (await createApiKey(database, { scope: 'ingest' })).key;
    keys.admin = (await createApiKey(database, { scope: 'admin' })).key;
    keys.site = (await createApiKey(database, { scope: 'site', origins: [ORIGIN] })).key;
    // Browser login linkage is on (it answers 404 to everyone without a key set or secret).
    const env = { TRIPMETER_IDENTIFY_JWT_SECRET: 'route-auth-test-secret-0123456789-abcdef' };
    app = createApp({ config: loadConfig({ env }), database, logger: silentLogger, now: () => NOW });
  });

  const call = (method: string, path: string, key?: string) =>
    app.request(concrete(path), {
      method,
      headers: {
        origin: ORIGIN,
        ...(key ? { authorization: `Bearer ${key}` } : {}),
        ...(method === 'POST' ? { 'content-type': 'application/json' } : {}),
      },
      ...(method === 'POST' ? { body: '{}' } : {}),
    });

  it('finds the routes it checks', () => {
    const routes = registeredRoutes(app).map((r) => `${r.method} ${r.path}`);
    expect(routes).toContain('POST /v1/events');
    expect(routes).toContain('POST /v1/client-identify');
    expect(routes).toContain('GET /v1/metrics/summary');
    for (const name of ['cost', 'calls', 'phases', 'queue', 'stuck'])
      expect(routes).toContain(`GET /v1/metrics/${name}`);
    expect(routes.filter((r) => !PUBLIC_ROUTES.has(r)).length).toBeGreaterThanOrEqual(12);
  });

  it('answers 401 without a key and 403 with a key of another scope, as problem+json', async () => {
    const failures: string[] = [];
    for (const { method, path } of registeredRoutes(app)) {
      const id = `${method} ${path}`;
      if (PUBLIC_ROUTES.has(id)) continue;
      const needed: Scope = NEEDED[id] ?? 'admin';
      const wrong: Scope = needed === 'admin' ? 'ingest' : 'admin';
      const none = await call(method, path);
      const other = await call(method, path, keys[wrong]);
      const unknown = await call(method, path, 'tm_admin_not-a-real-key');
      for (const [res, status] of [
        [none, 401],
        [unknown, 401],
        [other, 403],
      ] as const) {
        const type = res.headers.get('content-type') ?? '';
        if (res.status !== status || !type.startsWith('application/problem+json'))
          failures.push(`${id}: expected ${status} problem+json, got ${res.status} ${type}`);
      }
      if (none.headers.get('www-authenticate') !== 'Bearer')
        failures.push(`${id}: 401 without WWW-Authenticate`);
    }
    expect(failures).toEqual([]);
  });
});
