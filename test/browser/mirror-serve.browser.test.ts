import { rm } from 'node:fs/promises';
import { sql } from 'kysely';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type * as ClientModule from '../../src/client/index.js';
import { openDatabase } from '../../src/storage/index.js';
import { chromiumForSuite, clientScript, launchChromium } from '../support/chromium.js';
import { cli } from '../support/cli.js';
import { uniqueSchema } from '../support/databases.js';
import { type ServeProcess, startServeProcess } from '../support/serve-process.js';
import { type StaticServer, startStaticServer } from '../support/static-server.js';

/** What the page exposes on `window`. */
type PageGlobals = { tm: ClientModule.TripmeterClient<ClientModule.DefaultCatalog> };
declare function g(): PageGlobals;

/** An app page: the bundled client with the mirror pointed at `?endpoint=` with `?siteKey=`. */
const PAGE = `<!doctype html><html><head><script>function g() { return window; }</script>
<script src="/client.js"></script></head><body>
<button id="generate">Generate my trip</button>
<button id="wizard">Generate (wizard)</button>
<script>
  const q = new URLSearchParams(location.search);
  window.tm = Tripmeter.createTripmeterClient({
    mirror: { endpoint: q.get('endpoint'), siteKey: q.get('siteKey') },
  });
  document.getElementById('generate').addEventListener('click', () => {
    tm.track('create_trip__cta--generate', {
      destination_count: 3, date_mode: 'flex', route_lock: false, round_trip: true, provider: 'openai',
    });
  });
  document.getElementById('wizard').addEventListener('click', () => {
    // An event of the app's own catalog (extended by type), then the wizard flow's CTA.
    tm.track('create_trip__model--select', { provider: 'openai', model: 'gpt-5.4' });
    tm.track('create_trip_wizard__cta--generate', { branch: 'inspire', destination_count: 1, date_mode: 'flex' });
  });
</script></body></html>`;

const SCHEMA = 'trip_tracking';
const executablePath = chromiumForSuite('test/browser/mirror-serve.browser.test.ts');

(executablePath ? describe : describe.skip)('the funnel mirror against a running tripmeter serve', () => {
  const dir = `/tmp/tripmeter-mirror-${uniqueSchema()}`;
  let browser: Browser;
  let page: StaticServer;
  let serve: ServeProcess | undefined;

  beforeAll(async () => {
    page = await startStaticServer({
      '/': { type: 'text/html', body: PAGE },
      '/client.js': { type: 'text/javascript', body: await clientScript() },
    });
    browser = await launchChromium(executablePath);
  }, 60_000);

  afterAll(async () => {
    await serve?.stop();
    await browser?.close();
    await page?.close();
    await rm(dir, { recursive: true, force: true });
    await rm(`${dir}.lock`, { force: true });
  });

  it('CTA clicks of both flows and app events are mirrored to a running `tripmeter serve` and stored', async () => {
    // Keys first, through the CLI (in this process: a child per command only adds startup time).
    // PGlite is single-process, so this must be done before serve opens the folder.
    const common = ['--data-dir', dir, '--schema', SCHEMA];
    expect((await cli(['migrate', ...common])).code).toBe(0);
    const created = await cli(['keys', 'create', '--scope', 'site', '--origin', page.url, ...common]);
    expect(created.code).toBe(0);
    const siteKey = created.stdout.trim().split(/\s+/).at(-1)!;
    expect(siteKey).toMatch(/^tm_site_/);

    const running = await startServeProcess(['--data-dir', dir, '--schema', SCHEMA]);
    serve = running;
    const context = await browser.newContext();
    const tab = await context.newPage();
    const query = new URLSearchParams({ endpoint: running.url, siteKey });
    await tab.goto(`${page.url}/?${query}`);
    const response = tab.waitForResponse((r) => r.url() === `${running.url}/v1/client-events`);
    await tab.click('#generate');
    await tab.click('#wizard');
    const anonId = await tab.evaluate(() => {
      g().tm.flush();
      return g().tm.getAnonSessionId();
    });
    const answered = await response;
    expect(answered.status()).toBe(202);
    expect(await tab.evaluate(() => g().tm.stats().mirrored)).toBe(3);
    await context.close();

    // serve drains and exits on SIGTERM; then the folder is ours to read.
    expect(await running.stop('SIGTERM')).toBe(0);
    const database = await openDatabase({ dataDir: dir, schema: SCHEMA });
    try {
      const { rows } = await sql<{
        name: string;
        anon_session_id: string;
        user_id: string | null;
        props: unknown;
      }>`
        SELECT name, anon_session_id, user_id, props FROM ${sql.table(`${SCHEMA}.trip_creation_client_events`)}`.execute(
        database.db,
      );
      rows.sort((a, b) => (a.name < b.name ? -1 : 1));
      expect(rows).toEqual([
        {
          name: 'create_trip__cta--generate',
          anon_session_id: anonId,
          user_id: null,
          props: {
            destination_count: 3,
            date_mode: 'flex',
            route_lock: false,
            round_trip: true,
            provider: 'openai',
          },
        },
        {
          name: 'create_trip__model--select',
          anon_session_id: anonId,
          user_id: null,
          props: { provider: 'openai', model: 'gpt-5.4' },
        },
        {
          name: 'create_trip_wizard__cta--generate',
          anon_session_id: anonId,
          user_id: null,
          props: { branch: 'inspire', destination_count: 1, date_mode: 'flex' },
        },
      ]);
    } finally {
      await database.close();
    }
  }, 180_000);
});
