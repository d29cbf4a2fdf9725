import { rm } from 'node:fs/promises';
import { sql } from 'kysely';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type * as ClientModule from '../../src/client/index.js';
import { openDatabase } from '../../src/storage/index.js';
import { chromiumForSuite, clientScript, launchChromium } from '../support/chromium.js';
import { cli } from '../support/cli.js';
import { uniqueSchema } from '../support/databases.js';
import {
  type JwksServer,
  type SigningKey,
  signingKey,
  startJwksServer,
  TEST_AUDIENCE,
  TEST_ISSUER,
  TEST_JWT_SECRET,
} from '../support/jwks.js';
import { type ServeProcess, startServeProcess } from '../support/serve-process.js';
import { type StaticServer, startStaticServer } from '../support/static-server.js';
import { uuid } from '../support/subjects.js';

/** What the page exposes on `window`. */
type PageGlobals = { tm: ClientModule.TripmeterClient<ClientModule.DefaultCatalog> };
declare function g(): PageGlobals;

/** An app page: the bundled client, its mirror (and so its login linkage) pointed at `?endpoint=`. */
const PAGE = `<!doctype html><html><head><script>function g() { return window; }</script>
<script src="/client.js"></script></head><body>
<script>
  const q = new URLSearchParams(location.search);
  window.tm = Tripmeter.createTripmeterClient({
    mirror: { endpoint: q.get('endpoint'), siteKey: q.get('siteKey') },
  });
</script></body></html>`;

const SCHEMA = 'trip_tracking';
/** A deletion-receipt secret given to serve, which its output must never show. */
const RECEIPT_SECRET = 'receipt-secret-never-printed-0123456789';
const executablePath = chromiumForSuite('test/browser/identify.browser.test.ts');

(executablePath ? describe : describe.skip)(
  'login in the browser links through a running tripmeter serve',
  () => {
    const dir = `/tmp/tripmeter-identify-${uniqueSchema()}`;
    let browser: Browser;
    let page: StaticServer;
    let jwks: JwksServer;
    let key: SigningKey;
    let serve: ServeProcess | undefined;

    beforeAll(async () => {
      key = await signingKey('ES256', 'supabase-key-1');
      jwks = await startJwksServer([key]);
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
      await jwks?.close();
      await rm(dir, { recursive: true, force: true });
      await rm(`${dir}.lock`, { force: true });
    });

    it('a mirrored click, then identify(token): the guest is not linked, the signed-in user is', async () => {
      const common = ['--data-dir', dir, '--schema', SCHEMA];
      expect((await cli(['migrate', ...common])).code).toBe(0);
      const created = await cli(['keys', 'create', '--scope', 'site', '--origin', page.url, ...common]);
      expect(created.code).toBe(0);
      const siteKey = created.stdout.trim().split(/\s+/).at(-1)!;

      const running = await startServeProcess([...common, '--log-level', 'debug'], 60_000, {
        TRIPMETER_IDENTIFY_JWKS_URL: jwks.url,
        TRIPMETER_IDENTIFY_JWT_SECRET: TEST_JWT_SECRET,
        TRIPMETER_IDENTIFY_JWT_ISSUER: TEST_ISSUER,
        TRIPMETER_IDENTIFY_JWT_AUDIENCE: TEST_AUDIENCE,
        TRIPMETER_SECRET: RECEIPT_SECRET,
      });
      serve = running;
      const context = await browser.newContext();
      const tab = await context.newPage();
      await tab.goto(`${page.url}/?${new URLSearchParams({ endpoint: running.url, siteKey })}`);
      const mirrored = tab.waitForResponse((r) => r.url() === `${running.url}/v1/client-events`);
      const anonId = await tab.evaluate(() => {
        g().tm.track('create_trip__cta--generate', {
          destination_count: 2,
          date_mode: 'exact',
          route_lock: false,
          round_trip: true,
        });
        g().tm.flush();
        return g().tm.getAnonSessionId();
      });
      expect((await mirrored).status()).toBe(202);

      // Supabase signs a guest in anonymously first: a session, not a login.
      const now = Math.floor(Date.now() / 1000);
      const guest = await key.token({ sub: uuid(), issuedAt: now, claims: { is_anonymous: true } });
      expect(await tab.evaluate((t) => g().tm.identify(t), guest)).toBe('anonymous');
      const user = uuid();
      const token = await key.token({ sub: user, issuedAt: now, claims: { is_anonymous: false } });
      const forged = await (await signingKey('ES256', 'supabase-key-1')).token({
        sub: uuid(),
        issuedAt: now,
      });
      expect(await tab.evaluate((t) => g().tm.identify(t), forged)).toBeUndefined();
      expect(await tab.evaluate((t) => g().tm.identify(t), token)).toBe('linked');
      expect(await tab.evaluate(() => g().tm.stats().identifyFailed)).toBe(1);
      await context.close();

      expect(await running.stop('SIGTERM')).toBe(0);
      const output = running.output();
      for (const secret of [TEST_JWT_SECRET, RECEIPT_SECRET, token.split('.')[2]!, guest.split('.')[2]!])
        expect(output).not.toContain(secret);
      const database = await openDatabase({ dataDir: dir, schema: SCHEMA });
      try {
        const events = await sql<{ anon_session_id: string; user_id: string | null }>`
        SELECT anon_session_id, user_id::text FROM ${sql.table(`${SCHEMA}.trip_creation_client_events`)}`.execute(
          database.db,
        );
        expect(events.rows).toEqual([{ anon_session_id: anonId, user_id: user }]);
        const links = await sql<{ anon_session_id: string; user_id: string; outcome: string }>`
        SELECT anon_session_id, user_id::text, outcome FROM ${sql.table(`${SCHEMA}.identity_links`)}`.execute(
          database.db,
        );
        expect(links.rows).toEqual([{ anon_session_id: anonId, user_id: user, outcome: 'linked' }]);
      } finally {
        await database.close();
      }
    }, 180_000);
  },
);
