import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type * as ClientModule from '../../src/client/index.js';
import { chromiumForSuite, clientScript, launchChromium } from '../support/chromium.js';
import { type StaticServer, startStaticServer } from '../support/static-server.js';

/** What the test page exposes on `window` (read inside `page.evaluate`). */
type PageGlobals = {
  Tripmeter: typeof ClientModule;
  tm: ClientModule.TripmeterClient<ClientModule.DefaultCatalog>;
  calls: [string, unknown][];
  umami?: ClientModule.UmamiTracker;
};
/** Defined by the test page (`PAGE`), so `page.evaluate` callbacks get typed globals. */
declare function g(): PageGlobals;

const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const PAGE =
  '<!doctype html><html><head><script>function g() { return window; }</script>' +
  '<script src="/client.js"></script></head><body>ok</body></html>';
const FAKE_UMAMI = 'window.umami = { track: (name, data) => window.calls.push([name, data]) };';

const executablePath = chromiumForSuite('test/browser/client.browser.test.ts');

(executablePath ? describe : describe.skip)('tripmeter/client in real Chromium', () => {
  let browser: Browser;
  let server: StaticServer;
  let context: BrowserContext;
  let page: Page;

  beforeAll(async () => {
    server = await startStaticServer({
      '/': { type: 'text/html', body: PAGE },
      '/blank': { type: 'text/html', body: '<!doctype html><p>blank</p>' },
      '/client.js': { type: 'text/javascript', body: await clientScript() },
      '/umami.js': { type: 'text/javascript', body: FAKE_UMAMI, delayMs: 500 },
    });
    browser = await launchChromium(executablePath);
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  beforeEach(async () => {
    server.requests.length = 0;
    context = await browser.newContext();
    page = await context.newPage();
  });

  afterEach(async () => {
    await context.close();
  });

  const open = async () => {
    await page.goto(`${server.url}/`);
    await page.evaluate(() => {
      g().calls = [];
    });
  };

  it('keeps the anonymous id across reloads, under the documented localStorage key', async () => {
    await open();
    const first = await page.evaluate(() => g().Tripmeter.getAnonSessionId());
    expect(first).toMatch(UUID_V4);
    await page.reload();
    const after = await page.evaluate(() => ({
      id: g().Tripmeter.getAnonSessionId(),
      stored: localStorage.getItem('tripmeter.anon_session_id'),
    }));
    expect(after).toEqual({ id: first, stored: first });
  });

  it('survives localStorage throwing, with an id stable within the page', async () => {
    await page.addInitScript(() => {
      const blocked = () => {
        throw new DOMException('blocked', 'SecurityError');
      };
      Storage.prototype.getItem = blocked;
      Storage.prototype.setItem = blocked;
    });
    await open();
    const result = await page.evaluate(() => {
      const a = g().Tripmeter.getAnonSessionId();
      const b = g().Tripmeter.getAnonSessionId();
      const tm = g().Tripmeter.createTripmeterClient({ consent: true });
      tm.track('create_trip__toggle--roundtrip', { enabled: true });
      return { a, b, c: tm.getAnonSessionId(), stored: localStorage.length };
    });
    expect(result.a).toMatch(UUID_V4);
    expect(result.b).toBe(result.a);
    expect(result.c).toBe(result.a);
    expect(result.stored).toBe(0);
  });

  it('delivers events tracked before a late window.umami, in order', async () => {
    await open();
    const before = await page.evaluate(() => {
      setTimeout(() => {
        g().umami = { track: (name, data) => void g().calls.push([name, data]) };
      }, 500);
      const tm = g().Tripmeter.createTripmeterClient({ consent: true });
      g().tm = tm;
      tm.track('create_trip__section--expand', { section_id: 'dates', expanded: true });
      tm.track('create_trip__toggle--roundtrip', { enabled: false });
      tm.track('create_trip__cta--generate', {
        destination_count: 3,
        date_mode: 'flex',
        route_lock: false,
        round_trip: true,
      });
      return { calls: g().calls.length, queued: tm.stats().queued };
    });
    expect(before).toEqual({ calls: 0, queued: 3 });
    await page.waitForFunction(() => g().calls.length === 3, undefined, { timeout: 5000 });
    const calls = await page.evaluate(() => g().calls);
    expect(calls).toEqual([
      ['create_trip__section--expand', { section_id: 'dates', expanded: true }],
      ['create_trip__toggle--roundtrip', { enabled: false }],
      [
        'create_trip__cta--generate',
        { destination_count: 3, date_mode: 'flex', route_lock: false, round_trip: true },
      ],
    ]);
    expect(await page.evaluate(() => g().tm.stats())).toMatchObject({ sent: 3, queued: 0 });
  });

  it('sends nothing without consent, and revoking consent clears the queue', async () => {
    await open();
    await page.evaluate(() => {
      g().umami = { track: (name, data) => void g().calls.push([name, data]) };
      g().tm = g().Tripmeter.createTripmeterClient();
      g().tm.track('create_trip__toggle--roundtrip', { enabled: true });
    });
    await page.waitForTimeout(300);
    expect(await page.evaluate(() => ({ calls: g().calls.length, stats: g().tm.stats() }))).toMatchObject({
      calls: 0,
      stats: { blocked: 1, queued: 0, sent: 0 },
    });

    const queued = await page.evaluate(() => {
      delete g().umami;
      g().tm = g().Tripmeter.createTripmeterClient({ consent: true });
      g().tm.track('create_trip__toggle--route_lock', { enabled: true });
      g().tm.track('create_trip__toggle--route_lock', { enabled: false });
      const beforeRevoke = g().tm.stats().queued;
      g().tm.setConsent(false);
      g().umami = { track: (name, data) => void g().calls.push([name, data]) };
      return { beforeRevoke, afterRevoke: g().tm.stats().queued };
    });
    expect(queued).toEqual({ beforeRevoke: 2, afterRevoke: 0 });
    await page.waitForTimeout(500);
    expect(await page.evaluate(() => g().calls.length)).toBe(0);
    await page.evaluate(() => {
      g().tm.setConsent(true);
      g().tm.track('app__chunk_recovery--reload', { module_key: 'trip-view', reason: 'chunk_load_error' });
    });
    expect(await page.evaluate(() => g().calls)).toEqual([
      ['app__chunk_recovery--reload', { module_key: 'trip-view', reason: 'chunk_load_error' }],
    ]);
  });

  it('injects the Umami script only after consent and drains the queue when it loads', async () => {
    await open();
    const beforeConsent = await page.evaluate(() => {
      g().tm = g().Tripmeter.createTripmeterClient({ umami: { src: '/umami.js', websiteId: 'site-123' } });
      g().tm.track('create_trip__toggle--roundtrip', { enabled: true });
      return document.querySelectorAll('script[data-website-id]').length;
    });
    expect(beforeConsent).toBe(0);
    const attributes = await page.evaluate(() => {
      g().tm.setConsent(true);
      g().tm.track('create_trip__toggle--roundtrip', { enabled: false });
      const script = document.querySelector('script[data-website-id]') as HTMLScriptElement;
      return [script.defer, script.getAttribute('src'), script.dataset.websiteId, script.dataset.autoTrack];
    });
    expect(attributes).toEqual([true, '/umami.js', 'site-123', 'false']);
    await page.waitForFunction(() => g().calls.length === 1, undefined, { timeout: 5000 });
    expect(await page.evaluate(() => g().calls)).toEqual([
      ['create_trip__toggle--roundtrip', { enabled: false }],
    ]);
  });

  it('sends X-Anon-Session-Id on a real fetch from the page', async () => {
    await open();
    const { id, status } = await page.evaluate(async () => {
      const res = await g().Tripmeter.trackedFetch('/api/trips/enqueue', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{"destinations":1}',
      });
      return { id: g().Tripmeter.getAnonSessionId(), status: res.status };
    });
    expect(status).toBe(204);
    const request = await server.waitForRequest((r) => r.path === '/api/trips/enqueue');
    expect(request.headers['x-anon-session-id']).toBe(id);
    expect(request.headers['content-type']).toBe('application/json');
    expect(request.body).toBe('{"destinations":1}');
  });

  it('mirrors create-trip events with a text/plain beacon of the documented shape', async () => {
    await open();
    const id = await page.evaluate(() => {
      g().tm = g().Tripmeter.createTripmeterClient({
        mirror: { endpoint: location.origin, siteKey: 'site_test' },
      });
      g().tm.track('create_trip__toggle--roundtrip', { enabled: true });
      g().tm.track('app__chunk_recovery--reload', { module_key: 'm', reason: 'r' });
      g().tm.track('create_trip__cta--generate', {
        destination_count: 2,
        date_mode: 'exact',
        route_lock: true,
        round_trip: false,
        provider: 'openai',
      });
      g().tm.flush();
      return g().tm.getAnonSessionId();
    });
    const request = await server.waitForRequest((r) => r.path === '/v1/client-events');
    expect(request.method).toBe('POST');
    expect(request.headers['content-type']?.toLowerCase()).toBe('text/plain;charset=utf-8');
    const body = JSON.parse(request.body) as { site_key: string; events: Record<string, unknown>[] };
    expect(body.site_key).toBe('site_test');
    expect(body.events.map((e) => e.name)).toEqual([
      'create_trip__toggle--roundtrip',
      'create_trip__cta--generate',
    ]);
    for (const event of body.events) {
      expect(Object.keys(event).sort()).toEqual(['anon_session_id', 'id', 'name', 'occurred_at', 'props']);
      expect(event.id).toMatch(UUID_V4);
      expect(event.anon_session_id).toBe(id);
      expect(new Date(event.occurred_at as string).toISOString()).toBe(event.occurred_at);
    }
    expect(body.events[1]!.props).toEqual({
      destination_count: 2,
      date_mode: 'exact',
      route_lock: true,
      round_trip: false,
      provider: 'openai',
    });
  });

  it('flushes the mirror when the user leaves the page (pagehide)', async () => {
    await open();
    await page.evaluate(() => {
      g().tm = g().Tripmeter.createTripmeterClient({
        mirror: { endpoint: location.origin, siteKey: 'site_test' },
      });
      g().tm.track('create_trip__section--expand', { section_id: 'budget', expanded: true });
    });
    expect(server.requests.some((r) => r.path === '/v1/client-events')).toBe(false);
    await page.goto(`${server.url}/blank`);
    const request = await server.waitForRequest((r) => r.path === '/v1/client-events');
    const body = JSON.parse(request.body) as { events: { name: string }[] };
    expect(body.events.map((e) => e.name)).toEqual(['create_trip__section--expand']);
  });
});
