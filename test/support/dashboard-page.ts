import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import type { Browser, Page } from 'playwright-core';
import { createApiKey } from '../../src/auth/index.js';
import { loadConfig } from '../../src/config/index.js';
import { loadDemo } from '../../src/demo/index.js';
import { silentLogger } from '../../src/logging/index.js';
import { createApp } from '../../src/server/app.js';
import { type Database, migrate } from '../../src/storage/index.js';
import { launchChromium } from './chromium.js';
import { openTestDatabase } from './databases.js';

/**
 * Opens the dashboard at `url` in a new page of `width` px, signs in with the admin `key` and waits
 * until it is ready; `errors` collects the page's console errors and uncaught exceptions.
 */
export async function openDashboard(
  browser: Browser,
  url: string,
  key: string,
  width: number,
): Promise<{ page: Page; errors: string[] }> {
  const page = await browser.newPage({ viewport: { width, height: 900 } });
  const errors: string[] = [];
  page.on('console', (msg) => {
    if (msg.type() === 'error') errors.push(msg.text());
  });
  page.on('pageerror', (error) => errors.push(error.message));
  await page.goto(url);
  await page.fill('#key-form input[name=key]', key);
  await page.click('#key-form button[type=submit]');
  await page.waitForSelector('body[data-state=ready]');
  return { page, errors };
}

/** The dashboard served in-process on demo data, and a Chromium to look at it. */
export interface DemoDashboard {
  browser: Browser;
  database: Database;
  url: string;
  /** An admin key. */
  key: string;
  /** {@link openDashboard} at `width` px. */
  open(width: number): Promise<{ page: Page; errors: string[] }>;
  /** Closes the browser, the server and the database. */
  close(): Promise<void>;
}

/**
 * Ten days of demo traffic (80 sessions a day) in a fresh PGlite, then `seed` for what a suite
 * adds, served by the real app on a free port, with an admin key and a launched Chromium.
 *
 * @example
 * beforeAll(async () => { dash = await startDemoDashboard(executablePath); }, 300_000);
 * afterAll(() => dash?.close());
 */
export async function startDemoDashboard(
  executablePath: string,
  seed?: (database: Database, now: Date) => Promise<void>,
): Promise<DemoDashboard> {
  const now = new Date();
  const database = await openTestDatabase('pglite', undefined);
  await migrate(database, now);
  await loadDemo(database, { days: 10, now, sessionsPerDay: 80 });
  await seed?.(database, now);
  const { key } = await createApiKey(database, { scope: 'admin', name: 'browser test' });
  const app = createApp({ config: loadConfig(), database, logger: silentLogger, now: () => new Date() });
  const server = await new Promise<ReturnType<typeof serve>>((resolve) => {
    const s = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 }, () => resolve(s));
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const browser = await launchChromium(executablePath);
  return {
    browser,
    database,
    url,
    key,
    open: (width) => openDashboard(browser, url, key, width),
    async close() {
      await browser.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await database.close();
    },
  };
}
