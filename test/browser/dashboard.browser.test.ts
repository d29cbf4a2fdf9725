import { mkdir } from 'node:fs/promises';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumForSuite } from '../support/chromium.js';
import { type DemoDashboard, startDemoDashboard } from '../support/dashboard-page.js';

const ARTIFACTS = 'test-artifacts';
const PANELS = ['kpis', 'funnel', 'timeseries', 'failures', 'models', 'versions', 'alerts'];
const executablePath = chromiumForSuite('test/browser/dashboard.browser.test.ts');

(executablePath ? describe : describe.skip)('the dashboard in real Chromium, on demo data', () => {
  let dash: DemoDashboard;

  beforeAll(async () => {
    dash = await startDemoDashboard(executablePath!);
    await mkdir(ARTIFACTS, { recursive: true });
  }, 300_000);

  afterAll(() => dash?.close());

  const open = (width: number) => dash.open(width);

  const kpi = (page: Page, id: string) => page.textContent(`[data-kpi=${id}] .kpi-value`);

  it('renders every panel, keeps the key out of the URL, and a filter changes the numbers', async () => {
    const { page, errors } = await open(1280);
    for (const id of PANELS)
      expect(await page.getAttribute(`[data-panel=${id}]`, 'data-state'), id).toBe('ready');
    expect(await page.locator('[data-panel=timeseries] svg.chart').count()).toBe(3);
    expect(await page.locator('[data-panel=timeseries] rect.bar').count()).toBeGreaterThanOrEqual(7);
    expect(await page.locator('[data-panel=models] tbody tr').count()).toBeGreaterThanOrEqual(4);
    expect(await page.locator('[data-panel=failures] tbody tr').count()).toBeGreaterThan(2);
    expect(await page.locator('[data-panel=funnel] [data-step]').count()).toBe(3);
    const all = await kpi(page, 'attempts');
    expect(Number(all?.replace(/,/g, ''))).toBeGreaterThan(100);
    expect(page.url()).not.toContain(dash.key);
    expect(await page.evaluate(() => sessionStorage.getItem('tripmeter.adminKey'))).toBe(dash.key);
    await page.screenshot({ path: `${ARTIFACTS}/dashboard.png`, fullPage: true });
    // Codes and model names wrap after a separator, never inside a part: a part that is one text
    // node laid out on two lines is a word cut in two.
    const cut = await page.evaluate(() =>
      [
        ...document.querySelectorAll(
          '[data-panel=failures] td:first-child, [data-panel=models] td:nth-child(2)',
        ),
      ].flatMap((cell) => {
        const parts: string[] = [];
        const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
        for (let node = walker.nextNode(); node; node = walker.nextNode()) {
          const range = document.createRange();
          range.selectNodeContents(node);
          if (range.getClientRects().length > 1) parts.push(node.textContent ?? '');
        }
        return parts;
      }),
    );
    expect(cut).toEqual([]);
    expect(
      await page.locator('[data-panel=failures] td:first-child wbr').count(),
      'codes carry their break points',
    ).toBeGreaterThan(0);

    await page.selectOption('select[name=provider]', 'gemini');
    await page.waitForSelector('body[data-state=ready]');
    await page.waitForFunction(
      (before) => document.querySelector('[data-kpi=attempts] .kpi-value')?.textContent !== before,
      all,
    );
    const gemini = Number((await kpi(page, 'attempts'))?.replace(/,/g, ''));
    expect(gemini).toBeGreaterThan(0);
    expect(gemini).toBeLessThan(Number(all?.replace(/,/g, '')));
    expect(await page.locator('[data-panel=models] tbody tr').count()).toBe(1);

    await page.click('button[data-preset="30d"]');
    await page.waitForSelector('button[data-preset="30d"].active');
    await page.waitForSelector('body[data-state=ready]');
    expect(await page.textContent('[data-panel=timeseries] h2')).toContain('per day');
    expect(errors).toEqual([]);
    await page.close();
  });

  it('filters by flow: the wizard’s attempts are a part of all', async () => {
    const { page, errors } = await open(1280);
    const count = async () => Number((await kpi(page, 'attempts'))?.replace(/,/g, ''));
    const all = await count();
    expect(await page.locator('#flow-options option').count()).toBe(3);
    const before = await kpi(page, 'attempts');
    await page.fill('input[name=flow]', 'wizard');
    await page.press('input[name=flow]', 'Tab');
    await page.waitForFunction(
      (text) => document.querySelector('[data-kpi=attempts] .kpi-value')?.textContent !== text,
      before,
    );
    await page.waitForSelector('body[data-state=ready]');
    const wizard = await count();
    expect(wizard).toBeGreaterThan(0);
    expect(wizard).toBeLessThan(all);
    expect(await page.inputValue('input[name=flow]')).toBe('wizard');
    expect(errors).toEqual([]);
    await page.close();
  });

  it('is usable in a narrow window (no horizontal scrolling)', async () => {
    const { page, errors } = await open(390);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(1);
    await page.screenshot({ path: `${ARTIFACTS}/dashboard-narrow.png`, fullPage: true });
    expect(errors).toEqual([]);
    await page.close();
  });

  it('asks for the key again when it is refused', async () => {
    const page = await dash.browser.newPage();
    await page.goto(dash.url);
    await page.fill('#key-form input[name=key]', 'tm_admin_not-a-real-key');
    await page.click('#key-form button[type=submit]');
    await page.waitForSelector('#key-form .error');
    expect(await page.evaluate(() => sessionStorage.getItem('tripmeter.adminKey'))).toBeNull();
    await page.close();
  });
});
