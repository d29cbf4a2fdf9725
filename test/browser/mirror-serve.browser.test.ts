import { once } from 'node:events';
import { rm } from 'node:fs/promises';
import { build } from 'esbuild';
import { sql } from 'kysely';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type * as ClientModule from '../../src/client/index.js';
import { openDatabase } from '../../src/storage/index.js';
import { chromiumForSuite, launchChromium } from '../support/chromium.js';
import { cli, spawnCli } from '../support/cli.js';
import { uniqueSchema } from '../support/databases.js';
import { type StaticServer, startStaticServer } from '../support/static-server.js';

/** A `tripmeter serve` child process. */
type ServeProcess = ReturnType<typeof spawnCli>;

/** What the page exposes on `window`. */
type PageGlobals = { tm: ClientModule.TripmeterClient<ClientModule.DefaultCatalog> };
declare function g(): PageGlobals;

/** An app page: the bundled client with the mirror pointed at `?endpoint=` with `?siteKey=`. */
const PAGE = `<!doctype html><html><head><script>function g() { return window; }</script>
<script src="/client.js"></script></head><body>
<button id="generate">Generate my trip</button>
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
</script></body></html>`;

const SCHEMA = 'trip_tracking';
const executablePath = chromiumForSuite('test/browser/mirror-serve.browser.test.ts');

/** Starts `tripmeter serve --port 0` on `dir` and resolves with its URL from stdout. */
async function startServe(dir: string): Promise<{ child: ServeProcess; url: string }> {
  const child = spawnCli([
    'serve',
    '--port',
    '0',
    '--data-dir',
    dir,
    '--schema',
    SCHEMA,
    '--log-level',
    'silent',
  ]);
  let out = '';
  let err = '';
  child.stderr.on('data', (d) => {
    err += d;
  });
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`serve did not start in time: ${err}`)), 60_000);
    child.stdout.on('data', (d) => {
      out += d;
      const match = /tripmeter listening on (http:\/\/\S+)/.exec(out);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    });
    child.once('exit', (code) => reject(new Error(`serve exited early with ${code}: ${err}`)));
  });
  return { child, url };
}

(executablePath ? describe : describe.skip)('the funnel mirror against a running tripmeter serve', () => {
  const dir = `/tmp/tripmeter-mirror-${uniqueSchema()}`;
  let browser: Browser;
  let page: StaticServer;
  let serve: ServeProcess | undefined;

  beforeAll(async () => {
    const bundle = await build({
      entryPoints: ['src/client/index.ts'],
      bundle: true,
      format: 'iife',
      globalName: 'Tripmeter',
      platform: 'browser',
      write: false,
      logLevel: 'silent',
    });
    page = await startStaticServer({
      '/': { type: 'text/html', body: PAGE },
      '/client.js': { type: 'text/javascript', body: bundle.outputFiles[0]!.text },
    });
    browser = await launchChromium(executablePath);
  }, 60_000);

  afterAll(async () => {
    if (serve && serve.exitCode === null) {
      serve.kill('SIGTERM');
      await once(serve, 'exit');
    }
    await browser?.close();
    await page?.close();
    await rm(dir, { recursive: true, force: true });
    await rm(`${dir}.lock`, { force: true });
  });

  it('a CTA click is mirrored to a running `tripmeter serve` and its row is in the database', async () => {
    // Keys first, through the CLI (in this process: a child per command only adds startup time).
    // PGlite is single-process, so this must be done before serve opens the folder.
    const common = ['--data-dir', dir, '--schema', SCHEMA];
    expect((await cli(['migrate', ...common])).code).toBe(0);
    const created = await cli(['keys', 'create', '--scope', 'site', '--origin', page.url, ...common]);
    expect(created.code).toBe(0);
    const siteKey = created.stdout.trim().split(/\s+/).at(-1)!;
    expect(siteKey).toMatch(/^tm_site_/);

    const started = await startServe(dir);
    serve = started.child;
    const context = await browser.newContext();
    const tab = await context.newPage();
    const query = new URLSearchParams({ endpoint: started.url, siteKey });
    await tab.goto(`${page.url}/?${query}`);
    const response = tab.waitForResponse((r) => r.url() === `${started.url}/v1/client-events`);
    await tab.click('#generate');
    const anonId = await tab.evaluate(() => {
      g().tm.flush();
      return g().tm.getAnonSessionId();
    });
    const answered = await response;
    expect(answered.status()).toBe(202);
    expect(await tab.evaluate(() => g().tm.stats().mirrored)).toBe(1);
    await context.close();

    // serve drains and exits on SIGTERM; then the folder is ours to read.
    serve.kill('SIGTERM');
    const [code] = await once(serve, 'exit');
    expect(code).toBe(0);
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
      ]);
    } finally {
      await database.close();
    }
  }, 180_000);
});
