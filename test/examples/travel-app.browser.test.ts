import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, type RunningProcess, startProcess, TSX } from '../../examples/travel-app/processes.js';
import { SERVE_ENV } from '../../examples/travel-app/settings.js';
import { openDatabase } from '../../src/storage/index.js';
import { chromiumForSuite, launchChromium } from '../support/chromium.js';
import { cli } from '../support/cli.js';
import { uniqueSchema } from '../support/databases.js';
import { dumpAllText } from '../support/dump-text.js';
import { type ServeProcess, startServeProcess } from '../support/serve-process.js';

/** Free text as the real app gets it: a name, an e-mail, a phone and health terms in the notes. */
const NOTES =
  'Travelling with my wife Anna Müller (anna.mueller@example.com, +49 170 1234567); she is a wheelchair user and I have a nut allergy.';
const PERSONAL = ['Anna', 'Müller', 'anna.mueller', '170 1234567', '1234567', 'wheelchair', 'allergy'];

const executablePath = chromiumForSuite('test/examples/travel-app.browser.test.ts');

/** Submits the form with the fake provider's `scenario` and waits for the worker's outcome. */
async function generate(tab: Page, scenario: string, button = '#generate') {
  await tab.selectOption('#scenario', scenario);
  const index = await tab.locator('#attempts li').count();
  await tab.click(button);
  const item = tab.locator('#attempts li').nth(index);
  await item.and(tab.locator('[data-status="success"], [data-status="failed"]')).waitFor({ timeout: 30_000 });
  return item.evaluate((li: HTMLElement) => ({ ...li.dataset }));
}

(executablePath ? describe : describe.skip)('examples/travel-app end to end in Chromium', () => {
  const dir = `/tmp/tripmeter-example-${uniqueSchema()}`;
  const dataDir = join(dir, 'pgdata');
  let browser: Browser;
  let serve: ServeProcess | undefined;
  const apps: RunningProcess[] = [];

  beforeAll(async () => {
    browser = await launchChromium(executablePath);
  }, 60_000);

  afterAll(async () => {
    await Promise.all(apps.map((child) => child.stop()));
    await serve?.stop();
    await browser?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('stores every click, attempt, failure and the login link, and nothing from the notes', async () => {
    // The launcher's steps (examples/travel-app/start.ts), with serve started as the tests start it.
    const appUrl = `http://127.0.0.1:${await freePort()}`;
    const key = async (...args: string[]) => {
      const created = await cli(['keys', 'create', ...args, '--data-dir', dataDir]);
      expect(created.code).toBe(0);
      return created.stdout.trim().split(/\s+/).at(-1)!;
    };
    expect((await cli(['migrate', '--data-dir', dataDir])).code).toBe(0);
    const siteKey = await key('--scope', 'site', '--origin', appUrl);
    const ingestKey = await key('--scope', 'ingest');
    serve = await startServeProcess(['--data-dir', dataDir], 60_000, { ...SERVE_ENV });
    const env = {
      TRIPMETER_URL: serve.url,
      TRIPMETER_INGEST_KEY: ingestKey,
      TRIPMETER_SITE_KEY: siteKey,
      QUEUE_DIR: join(dir, 'queue'),
      PORT: new URL(appUrl).port,
    };
    apps.push(startProcess([...TSX, 'examples/travel-app/app.ts'], /travel-app listening/, { env }));
    apps.push(startProcess([...TSX, 'examples/travel-app/worker.ts'], /waiting for jobs/, { env }));
    await Promise.all(apps.map((child) => child.ready));

    const context = await browser.newContext();
    const tab = await context.newPage();
    // The mirror's beacons pass through here, so the test knows when serve has taken them all.
    let mirrored = 0;
    const rejected: unknown[] = [];
    await tab.route(`${serve.url}/v1/client-events`, async (route) => {
      const response = await route.fetch();
      const answer = (await response.json()) as { accepted: number; rejected: unknown[] };
      mirrored += answer.accepted;
      rejected.push(...answer.rejected);
      await route.fulfill({ response });
    });
    await tab.goto(appUrl);

    await context.setOffline(true);
    await tab.click('#generate'); // offline: blocked, nothing enqueued
    await context.setOffline(false);
    await tab.click('#round-trip');
    await tab.click('#route-lock');
    await tab.click('#more-options summary');
    await tab.fill('#notes', NOTES);
    await tab.click('.suggestion[value="Japan"]');
    const ok = await generate(tab, 'succeed'); // a guest: anonymous sign-in first
    expect(await tab.getAttribute('#session', 'data-link')).toBe('anonymous');
    const timeout = await generate(tab, 'timeout');
    await tab.selectOption('#model', 'gemini/gemini-3-pro-preview');
    const unparsable = await generate(tab, 'unparsable');
    const broken = await generate(tab, 'broken');
    const wizard = await generate(tab, 'succeed', '#wizard');
    await tab.evaluate(() => window.dispatchEvent(new Event('vite:preloadError')));
    await tab.click('#sign-in');
    await tab.locator('#session[data-link="linked"]').waitFor();
    const userId = (await tab.getAttribute('#session', 'data-user-id'))!;
    const signedIn = await generate(tab, 'succeed');
    const anonId = await tab.evaluate(() => localStorage.getItem('tripmeter.anon_session_id'));
    expect([ok, timeout, unparsable, broken, wizard, signedIn].map((a) => [a.status, a.errorCode])).toEqual([
      ['success', undefined],
      ['failed', 'OPENAI_REQUEST_TIMEOUT'],
      ['failed', 'GEMINI_PARSE_FAILED'],
      ['failed', 'TypeError'],
      ['success', undefined],
      ['success', undefined],
    ]);

    const gemini = { provider: 'gemini', model: 'gemini-3-pro-preview' };
    const openai = { provider: 'openai', model: 'gpt-5.4' };
    const cta = { destination_count: 3, date_mode: 'exact', route_lock: true, round_trip: false };
    const classic = { flow: 'classic' };
    const expectedEvents = [
      ['create_trip__cta--blocked_offline', classic],
      ['create_trip__toggle--roundtrip', { enabled: false }],
      ['create_trip__toggle--route_lock', { enabled: true }],
      ['create_trip__section--expand', { section_id: 'more_options', expanded: true }],
      ['create_trip__destination_recommendation--select', { destination: 'Japan' }],
      ['create_trip__cta--generate', { ...cta, ...openai }],
      ['create_trip__cta--queue_pending_auth', classic],
      ['create_trip__ai_request--success', { ...classic, ...openai }],
      ['trip__view--open', classic],
      ['create_trip__cta--generate', { ...cta, ...openai }],
      ['create_trip__ai_request--failed', { ...classic, ...openai, error_code: 'OPENAI_REQUEST_TIMEOUT' }],
      ['create_trip__model--select', gemini],
      ['create_trip__cta--generate', { ...cta, ...gemini }],
      ['create_trip__ai_request--failed', { ...classic, ...gemini, error_code: 'GEMINI_PARSE_FAILED' }],
      ['create_trip__cta--generate', { ...cta, ...gemini }],
      ['create_trip__ai_request--failed', { ...classic, ...gemini, error_code: 'TypeError' }],
      [
        'create_trip_wizard__cta--generate',
        { branch: 'need_inspiration', destination_count: 3, date_mode: 'exact', traveler_type: 'couple' },
      ],
      ['create_trip__ai_request--success', { flow: 'wizard', ...gemini }],
      ['trip__view--open', { flow: 'wizard' }],
      ['app__chunk_recovery--reload', { module_key: 'create_trip', reason: 'preload_error' }],
      ['create_trip__cta--redirect_login', classic],
      ['create_trip__cta--generate', { ...cta, ...gemini }],
      ['create_trip__ai_request--success', { ...classic, ...gemini }],
      ['trip__view--open', classic],
    ] as const;
    // The mirror sends on 10 events, or 2 s after the first: wait until serve took them all.
    await expect.poll(() => mirrored, { timeout: 20_000 }).toBe(expectedEvents.length);
    expect(rejected).toEqual([]);
    await context.close();

    // The app and the worker send what they hold when stopped; then serve drains and exits.
    expect(await Promise.all(apps.map((child) => child.stop()))).toEqual([0, 0]);
    expect(await serve.stop()).toBe(0);
    const database = await openDatabase({ dataDir, schema: 'trip_tracking' });
    try {
      const db = database.db.withSchema(database.schema);
      const clicks = await db.selectFrom('trip_creation_client_events').selectAll().execute();
      const order = (a: readonly [string, unknown], b: readonly [string, unknown]) =>
        JSON.stringify(a) < JSON.stringify(b) ? -1 : 1;
      expect(clicks.map((c) => [c.name, c.props] as const).sort(order)).toEqual(
        expectedEvents.map(([name, props]) => [name, props] as const).sort(order),
      );
      // Every click keeps its anonymous id and got the user id when the session was linked.
      expect(new Set(clicks.map((c) => `${c.anon_session_id} ${c.user_id}`))).toEqual(
        new Set([`${anonId} ${userId}`]),
      );

      const attempts = await db.selectFrom('trip_creation_attempts').selectAll().execute();
      expect(attempts).toHaveLength(6);
      const rows = new Map(
        attempts.map((a) => [
          a.request_id,
          [a.status, a.error_code, a.failure_kind, a.flow, a.provider, a.model],
        ]),
      );
      const [gpt, pro] = [Object.values(openai), Object.values(gemini)];
      expect([ok, timeout, unparsable, broken, wizard, signedIn].map((a) => rows.get(a.requestId!))).toEqual([
        ['success', null, null, 'classic', ...gpt],
        ['failed', 'OPENAI_REQUEST_TIMEOUT', 'timeout', 'classic', ...gpt],
        ['failed', 'GEMINI_PARSE_FAILED', 'quality', 'classic', ...pro],
        ['failed', 'TYPE_ERROR', 'unknown', 'classic', ...pro], // thrown as a TypeError: failed, not abandoned
        ['success', null, null, 'wizard', ...pro],
        ['success', null, null, 'classic', ...pro],
      ]);
      for (const attempt of attempts) {
        expect([attempt.anon_session_id, attempt.user_id]).toEqual([anonId, userId]); // backfilled at the link
        expect(attempt.duration_ms).toBeGreaterThanOrEqual(0);
      }
      // The nested body's form state, and only it: no prompt, no labels, no traveller details, no notes text.
      expect(attempts.find((a) => a.request_id === ok.requestId)!.input_snapshot_json).toEqual({
        flow: 'classic',
        provider: 'openai',
        model: 'gpt-5.4',
        destinationCount: 3,
        destinationOrder: ['Portugal', 'Spain', 'Japan'],
        startDate: '2027-05-01',
        endDate: '2027-05-10',
        dateInputMode: 'exact',
        roundTrip: false,
        routeLock: true,
        travelerType: 'couple',
        travelers: 2,
        budget: 'Medium',
        pace: 'Balanced',
        tripStyleTags: ['culture', 'food'],
        transportPreferences: ['train'],
        notes: {
          length: NOTES.length,
          words: 21,
          redactions: expect.objectContaining({ email: 1, phone: 1 }),
        },
      });
      const failed = await db
        .selectFrom('trip_creation_events')
        .select('payload_json')
        .where('request_id', '=', broken.requestId!)
        .where('event_type', '=', 'create_trip_failed')
        .executeTakeFirstOrThrow();
      expect(failed.payload_json).toMatchObject({ error_code: 'TYPE_ERROR', error_class: 'TypeError' });

      const links = await db
        .selectFrom('identity_links')
        .select(['anon_session_id', 'user_id', 'outcome'])
        .execute();
      expect(links).toEqual([{ anon_session_id: anonId, user_id: userId, outcome: 'linked' }]);

      const everything = await dumpAllText(database);
      expect(everything).toContain('GEMINI_PARSE_FAILED'); // the scan reads the stored rows
      for (const personal of PERSONAL) expect(everything).not.toContain(personal);
    } finally {
      await database.close();
    }
  }, 300_000);
});
