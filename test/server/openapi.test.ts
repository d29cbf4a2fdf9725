import { beforeAll, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/index.js';
import { silentLogger } from '../../src/logging/index.js';
import { createApp } from '../../src/server/app.js';
import { describeOnDatabases } from '../support/databases.js';
import { registeredRoutes, STATIC_ROUTES } from '../support/routes.js';

interface Document {
  openapi: string;
  info: { title: string; version: string };
  paths: Record<string, Record<string, { responses?: Record<string, unknown>; security?: unknown[] }>>;
  components?: { securitySchemes?: Record<string, { type: string; scheme: string }> };
}

const toOpenApiPath = (path: string) => path.replace(/:([A-Za-z]+)/g, '{$1}');

describeOnDatabases('GET /openapi.json', (ctx) => {
  let app: ReturnType<typeof createApp>;
  let doc: Document;

  beforeAll(async () => {
    const database = await ctx.open();
    app = createApp({
      config: loadConfig({ env: {} }),
      database,
      logger: silentLogger,
      now: () => new Date(),
    });
    const res = await app.request('/openapi.json');
    expect(res.status).toBe(200);
    doc = (await res.json()) as Document;
  });

  it('is an OpenAPI 3.1 document whose every operation has responses', () => {
    expect(doc.openapi).toMatch(/^3\.1\.\d+$/);
    expect(doc.info.title).toBe('tripmeter');
    expect(doc.components?.securitySchemes?.bearer).toMatchObject({ type: 'http', scheme: 'bearer' });
    for (const [path, methods] of Object.entries(doc.paths)) {
      expect(path.startsWith('/'), path).toBe(true);
      for (const [method, op] of Object.entries(methods)) {
        expect(Object.keys(op.responses ?? {}).length, `${method} ${path}`).toBeGreaterThan(0);
        if (op.security) expect(op.responses, `${method} ${path}`).toHaveProperty('401');
      }
    }
  });

  it('documents every registered route, and no route that does not exist', () => {
    const routes = registeredRoutes(app).filter((r) => !STATIC_ROUTES.has(`${r.method} ${r.path}`));
    const documented = new Set(
      Object.entries(doc.paths).flatMap(([path, methods]) =>
        Object.keys(methods).map((m) => `${m.toUpperCase()} ${path}`),
      ),
    );
    const expected = new Set(routes.map((r) => `${r.method} ${toOpenApiPath(r.path)}`));
    expect([...expected].filter((r) => !documented.has(r))).toEqual([]);
    expect([...documented].filter((r) => !expected.has(r))).toEqual([]);
  });

  it('carries the request schemas of the routes (generated from zod, not hand-written)', () => {
    const events = doc.paths['/v1/events']?.post as { requestBody?: { content: Record<string, unknown> } };
    expect(JSON.stringify(events.requestBody)).toContain('create_trip_attempted');
    expect(JSON.stringify(doc.paths['/v1/identify'])).toContain('anon_session_id');
    expect(JSON.stringify(doc.paths['/v1/client-identify'])).toContain('access_token');
    expect(JSON.stringify(doc.paths['/v1/metrics/summary'])).toContain('prompt_contract_version');
    expect(JSON.stringify(doc.paths['/v1/metrics/cost'])).toContain('perSuccessfulTrip');
    expect(JSON.stringify(doc.paths['/v1/metrics/queue'])).toContain('shareLost');
  });
});
