import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { updateRollups } from '../../src/rollups/index.js';
import { retryChain, seedAnatomy } from '../support/anatomy.js';
import { chromiumForSuite } from '../support/chromium.js';
import { type DemoDashboard, startDemoDashboard } from '../support/dashboard-page.js';

const executablePath = chromiumForSuite('test/browser/attempts.browser.test.ts');

(executablePath ? describe : describe.skip)(
  'attempts up close, and tables that fit, in real Chromium',
  () => {
    let dash: DemoDashboard;

    beforeAll(async () => {
      dash = await startDemoDashboard(executablePath!, async (database, now) => {
        await seedAnatomy(database, [
          retryChain(new Date(now.getTime() - 3_600_000), {
            requestId: 'req-browser-chain',
            tripId: 'trip-browser-chain',
          }),
        ]);
        // Priced generations of two providers, and a model without a price, for the cost panel.
        const hour = (i: number) => new Date(now.getTime() - (2 + i) * 3_600_000);
        await seedAnatomy(database, [
          ...Array.from({ length: 12 }, (_, i) => ({
            at: hour(i),
            provider: 'openai',
            model: 'gpt-5.4',
            calls: [{ offsetMs: 50, durationMs: 4000, costUsd: '0.003' }],
            phases: [
              { phase: 'queue_wait', offsetMs: -300, durationMs: 300 },
              { phase: 'provider_call', offsetMs: 50, durationMs: 4000 },
              { phase: 'parse', offsetMs: 4100, durationMs: 90 },
            ],
          })),
          ...Array.from({ length: 6 }, (_, i) => ({
            at: hour(i),
            provider: 'gemini',
            model: 'gemini-2.5-flash',
            calls: [{ offsetMs: 50, durationMs: 2000, costUsd: '0.0005' }],
            phases: [{ phase: 'provider_call', offsetMs: 50, durationMs: 2000 }],
          })),
          {
            at: hour(1),
            provider: 'mistral',
            model: 'mistral-unpriced',
            calls: [{ offsetMs: 0, costUsd: null }],
          },
        ]);
        // As serve's rollup job would: ranges over 48 h read the rollups.
        await updateRollups(database, { now });
      });
    }, 300_000);

    afterAll(() => dash?.close());

    const open = (width: number) => dash.open(width);

    /** Tables whose content is wider than the box that shows them, or that stick out of their panel. */
    const clippedTables = (page: Page) =>
      page.evaluate(() =>
        [...document.querySelectorAll('table')].flatMap((table) => {
          const wrap = table.parentElement!;
          const panel = table.closest('.panel')!;
          const name = panel.getAttribute('data-panel');
          const out: string[] = [];
          if (wrap.scrollWidth > wrap.clientWidth + 1)
            out.push(`${name}: ${wrap.scrollWidth} > ${wrap.clientWidth}`);
          if (table.getBoundingClientRect().right > panel.getBoundingClientRect().right + 1)
            out.push(`${name}: sticks out of its panel`);
          return out;
        }),
      );

    it('fits every table in its panel at 1280 px', async () => {
      const { page, errors } = await open(1280);
      expect(await page.locator('table').count()).toBeGreaterThanOrEqual(3); // failures, models, versions
      expect(await clippedTables(page)).toEqual([]);
      expect(errors).toEqual([]);
      await page.close();
    });

    it('shows the cost, phase and queue panels, flags unpriced models, and a filter changes the cost', async () => {
      const { page, errors } = await open(1280);
      for (const id of ['cost', 'phases', 'queue'])
        expect(await page.getAttribute(`[data-panel=${id}]`, 'data-state'), id).toBe('ready');
      const total = await page.textContent('[data-kpi=cost-total] .kpi-value');
      expect(total).toMatch(/^\$/);
      expect(await page.textContent('[data-panel=cost] .warning')).toContain('mistral/mistral-unpriced');
      expect(await page.locator('[data-panel=cost] .badge-unpriced').count()).toBeGreaterThanOrEqual(1);
      expect(
        await page.locator('[data-panel=phases] svg.waterfall rect.waterfall-p50').count(),
      ).toBeGreaterThanOrEqual(3);
      expect(await page.locator('[data-panel=queue] [data-step]').count()).toBe(4);
      expect(await clippedTables(page)).toEqual([]);
      await page.screenshot({ path: 'test-artifacts/generation-panels.png', fullPage: true });

      await page.selectOption('select[name=provider]', 'gemini');
      await page.waitForFunction(
        (before) => document.querySelector('[data-kpi=cost-total] .kpi-value')?.textContent !== before,
        total,
      );
      await page.waitForSelector('body[data-state=ready]');
      const gemini = await page.textContent('[data-kpi=cost-total] .kpi-value');
      expect(gemini).toMatch(/^\$/);
      expect(Number(gemini!.slice(1))).toBeLessThan(Number(total!.slice(1)));
      expect(errors).toEqual([]);
      await page.close();
    });

    it('opens the attempts of a failures row and of a models row, pre-filtered by that row', async () => {
      const { page, errors } = await open(1280);
      const code = (await page.textContent(
        '[data-panel=failures] tbody tr:first-child td:first-child',
      ))!.trim();
      await page.click('[data-panel=failures] tbody tr:first-child td:first-child button.link');
      await page.waitForSelector('[data-panel=attempts]');
      await page.waitForSelector('body[data-state=ready]');
      expect(await page.textContent('[data-panel=attempts] h2')).toContain(code);
      const rows = page.locator('[data-panel=attempts] tbody tr');
      expect(await rows.count()).toBeGreaterThan(0);
      for (const text of await rows.allTextContents()) {
        expect(text).toContain('failed');
        expect(text).toContain(code);
      }
      expect(await clippedTables(page)).toEqual([]);

      await page.click('button.back');
      await page.waitForSelector('[data-panel=models] tbody tr');
      const model = (await page.textContent(
        '[data-panel=models] tbody tr:first-child td:nth-child(2) button.link',
      ))!;
      await page.click('[data-panel=models] tbody tr:first-child td:nth-child(2) button.link');
      await page.waitForSelector('[data-panel=attempts]');
      for (const text of await page.locator('[data-panel=attempts] tbody tr').allTextContents())
        expect(text).toContain(`/${model}`);
      expect(errors).toEqual([]);
      await page.close();
    });

    it('finds an attempt by trip id and shows its events, calls and phases on a timeline', async () => {
      const { page, errors } = await open(1280);
      await page.selectOption('select[name=lookup-kind]', 'trip_id');
      await page.fill('input[name=lookup]', 'trip-browser-chain');
      await page.press('input[name=lookup]', 'Enter');
      await page.waitForSelector('[data-request-id="req-browser-chain"]');
      expect(await page.locator('[data-panel=attempts] tbody tr').count()).toBe(1);
      expect(await page.textContent('[data-panel=attempts] tbody tr')).toContain('unpriced');
      await page.click('[data-request-id="req-browser-chain"]');
      await page.waitForSelector('[data-panel=timeline] svg.timeline');
      // 4 phases + 3 calls + 2 events (attempted, succeeded)
      expect(await page.getAttribute('svg.timeline', 'data-lanes')).toBe('9');
      expect(await page.locator('svg.timeline rect.span-call.tone-failed').count()).toBe(2);
      expect(await page.locator('[data-panel=attempt-calls] tbody tr').count()).toBe(3);
      expect(await page.locator('[data-panel=attempt-phases] tbody tr').count()).toBe(4);
      expect(await page.textContent('[data-panel=attempt-calls] tbody')).toContain('parse_failed');
      expect(await clippedTables(page)).toEqual([]);
      await page.screenshot({ path: 'test-artifacts/attempt.png', fullPage: true });

      await page.selectOption('select[name=lookup-kind]', 'request_id');
      await page.fill('input[name=lookup]', 'req-nobody');
      await page.press('input[name=lookup]', 'Enter');
      await page.waitForSelector('body[data-state=error]');
      expect(await page.textContent('[data-panel=error]')).toContain('No stored attempt');
      expect(errors.filter((e) => !e.includes('404'))).toEqual([]);
      await page.close();
    });
  },
);
