import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { build } from 'esbuild';
import { type Browser, chromium } from 'playwright-core';

/** Flags for a quiet, sandbox-free headless Chromium that fetches nothing on its own. */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
];

const NAMES = ['chromium', 'chromium-browser', 'google-chrome-stable', 'google-chrome'];

/**
 * Path of a locally installed Chromium: `$CHROMIUM_PATH` if it exists, else the first of
 * `chromium`, `chromium-browser`, `google-chrome-stable`, `google-chrome` on the PATH (`which`).
 * Never downloads a browser.
 */
export function findChromium(): string | undefined {
  const fromEnv = process.env.CHROMIUM_PATH;
  if (fromEnv && existsSync(fromEnv)) return fromEnv;
  for (const name of NAMES) {
    try {
      const path = execFileSync('which', [name], {
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'ignore'],
      }).trim();
      if (path) return path;
    } catch {
      // not on PATH: try the next name
    }
  }
  return undefined;
}

/**
 * For a browser suite: the Chromium path, or `undefined` after a visible warning so the suite
 * can `describe.skip`. Under `CI=true` a missing Chromium throws instead: CI must not go green
 * by skipping the browser tests.
 *
 * @example
 * const executablePath = chromiumForSuite('client browser tests');
 * (executablePath ? describe : describe.skip)('client in Chromium', () => { … });
 */
export function chromiumForSuite(suite: string): string | undefined {
  const path = findChromium();
  if (path) return path;
  const message = `Chromium not found (set CHROMIUM_PATH or install it, e.g. apt-get install chromium)`;
  if (process.env.CI === 'true')
    throw new Error(`${message}: ${suite} cannot run and CI=true forbids skipping`);
  console.warn(`\n⚠ ${message}: ${suite} SKIPPED.\n`);
  return undefined;
}

/** Launches the local Chromium headless with {@link CHROMIUM_ARGS}; throws if there is none. */
export async function launchChromium(executablePath = findChromium()): Promise<Browser> {
  if (!executablePath) throw new Error('Chromium not found: set CHROMIUM_PATH or install chromium');
  return chromium.launch({ executablePath, args: CHROMIUM_ARGS });
}

/** `tripmeter/client` bundled as a classic script (global `Tripmeter`), as a page would load it. */
export async function clientScript(): Promise<string> {
  const bundle = await build({
    entryPoints: ['src/client/index.ts'],
    bundle: true,
    format: 'iife',
    globalName: 'Tripmeter',
    platform: 'browser',
    write: false,
    logLevel: 'silent',
  });
  return bundle.outputFiles[0]!.text;
}
