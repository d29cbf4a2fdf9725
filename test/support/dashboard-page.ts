import type { Browser, Page } from 'playwright-core';

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
