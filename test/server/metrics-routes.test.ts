import { beforeAll, expect, it } from 'vitest';
import { createApiKey } from '../../src/auth/index.js';
import { loadConfig } from '../../src/config/index.js';
import { silentLogger } from '../../src/logging/index.js';
import { createApp } from '../../src/server/app.js';
import { seedAttempts } from '../metrics/seed.js';
import { describeOnDatabases } from '../support/databases.js';

const NOW = new Date('2026-11-25T12:00:00Z');

describeOnDatabases('GET /v1/metrics/…', (ctx) => {
  // Boot the engine (PGlite takes seconds on a busy machine) in a hook, not inside the first test.
  beforeAll(() => ctx.open({ now: NOW }), 180_000);

  async function setup() {
    const database = await ctx.open({ now: NOW });
    const app = createApp({ config: loadConfig(), database, logger: silentLogger, now: () => NOW });
    const { key } = await createApiKey(database, { scope: 'admin' });
    const { key: ingestKey } = await createApiKey(database, { scope: 'ingest' });
    const get = (path: string, k = key) => app.request(path, { headers: { authorization: `Bearer ${k}` } });
    return { database, app, get, ingestKey };
  }

  it('answers every metric as JSON for an admin key; the summary has `attempts`', async () => {
    const { database, get } = await setup();
    await seedAttempts(database, [
      { at: '2026-11-25T10:00:00Z', durationMs: 1000 },
      { at: '2026-11-25T11:00:00Z', durationMs: 3000, status: 'failed' },
      { at: '2026-11-25T11:30:00Z', provider: 'gemini', model: 'gemini-3-pro-preview' },
    ]);
    const summary = await get('/v1/metrics/summary?from=2026-11-25T00:00:00Z&to=2026-11-25T12:00:00Z');
    expect(summary.status).toBe(200);
    expect(await summary.json()).toMatchObject({ attempts: 3, succeeded: 2, failed: 1, exact: true });
    const filtered = await get('/v1/metrics/summary?from=2026-11-25T00:00:00Z&provider=gemini');
    expect((await filtered.json()).attempts).toBe(1);
    const series = await (
      await get('/v1/metrics/timeseries?from=2026-11-25T00:00:00Z&to=2026-11-25T12:00:00Z')
    ).json();
    expect(series.bucket).toBe('hour');
    expect(series.points).toHaveLength(12);
    for (const name of ['failures', 'models', 'versions', 'funnel', 'retries']) {
      const res = await get(`/v1/metrics/${name}`);
      expect(res.status, name).toBe(200);
      expect(res.headers.get('content-type')).toContain('application/json');
    }
    const models = await (await get('/v1/metrics/models?min_volume=2')).json();
    expect(models.rows[0]).toMatchObject({ provider: 'openai', attempts: 2, lowVolume: false });
  });

  it('refuses bad query values with problem+json naming the field', async () => {
    const { get } = await setup();
    for (const [query, field] of [
      ['from=yesterday', 'from'],
      ['bucket=week', 'bucket'],
      ['min_volume=0', 'min_volume'],
      ['source=Not%20A%20Source', 'source'],
      ['from=2026-11-25T00:00:00Z&to=2026-11-24T00:00:00Z', 'from'],
      ['from=2024-01-01T00:00:00Z', 'from'],
      ['colour=red', 'colour'],
    ]) {
      const res = await get(`/v1/metrics/summary?${query}`);
      expect(res.status, query).toBe(400);
      expect(res.headers.get('content-type')).toBe('application/problem+json');
      const body = await res.json();
      expect(body.code).toBe('INVALID_QUERY');
      expect(
        body.errors.map((e: { field: string }) => e.field),
        query,
      ).toContain(field);
    }
  });

  it('needs an admin key', async () => {
    const { app, get, ingestKey } = await setup();
    expect((await app.request('/v1/metrics/summary')).status).toBe(401);
    expect((await get('/v1/metrics/summary', ingestKey)).status).toBe(403);
  });

  it('serves the dashboard page and assets without a key, with CSP and nosniff', async () => {
    const { app } = await setup();
    const page = await app.request('/');
    expect(page.status).toBe(200);
    const csp = page.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain('unsafe-inline');
    expect(page.headers.get('x-content-type-options')).toBe('nosniff');
    const html = await page.text();
    expect(html).toContain('<script src="/dashboard/app.js" defer></script>');
    expect(html).not.toMatch(/<script>|<style>|style=/);
    const js = await app.request('/dashboard/app.js');
    expect(js.status).toBe(200);
    expect(js.headers.get('content-type')).toContain('text/javascript');
    expect((await js.text()).length).toBeGreaterThan(1000);
    const css = await app.request('/dashboard/app.css');
    expect(css.headers.get('content-type')).toContain('text/css');
  });
});
