// Regenerates docs/dashboard.png: `tripmeter demo` data in a throwaway embedded database, served by
// `tripmeter serve`, photographed by the local Chromium at 1280 px. Run with `npm run screenshot`
// (from a clone; the CLI runs from src/ through tsx, no build needed). Set CHROMIUM_PATH when
// Chromium is not /usr/bin/chromium. The demo's seed is fixed; its 14 days end now.
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

const OUT = process.argv[2] ?? 'docs/dashboard.png';
const dir = mkdtempSync(join(tmpdir(), 'tripmeter-screenshot-'));
const env = { ...process.env, TRIPMETER_DATA_DIR: join(dir, 'data'), TRIPMETER_LOG_LEVEL: 'warn' };
const cli = ['--import', 'tsx', 'src/cli/main.ts'];
const run = (...args) => execFileSync(process.execPath, [...cli, ...args], { env, encoding: 'utf8' });

let serve;
let browser;
try {
  process.stderr.write(run('demo', '--days', '14'));
  const key = run('keys', 'create', '--scope', 'admin', '--name', 'screenshot').trim().split(/\s+/).at(-1);
  serve = spawn(process.execPath, [...cli, 'serve', '--port', '0', '--log-level', 'warn'], { env });
  const url = await new Promise((resolve, reject) => {
    let out = '';
    serve.stdout.on('data', (d) => {
      out += d;
      const match = /tripmeter listening on (\S+)/.exec(out);
      if (match) resolve(match[1]);
    });
    serve.stderr.on('data', (d) => process.stderr.write(d));
    serve.once('exit', (code) => reject(new Error(`serve exited with ${code}`)));
  });
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  await page.goto(url);
  await page.fill('#key-form input[name=key]', key);
  await page.click('#key-form button[type=submit]');
  await page.waitForSelector('body[data-state=ready]');
  for (const panel of ['cost', 'phases', 'queue']) await page.waitForSelector(`[data-panel=${panel}][data-state=ready]`);
  await page.screenshot({ path: OUT, fullPage: true });
  console.log(`wrote ${OUT} (1280 px wide, 14 days of demo data)`);
} finally {
  await browser?.close();
  if (serve && serve.exitCode === null) {
    const exited = new Promise((resolve) => serve.once('exit', resolve));
    serve.kill('SIGTERM');
    await exited;
  }
  rmSync(dir, { recursive: true, force: true });
}
