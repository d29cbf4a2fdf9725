import { access, readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

/** The dashboard's script and stylesheet, served from memory. */
export interface DashboardAssets {
  js: string;
  css: string;
  /** `built` (dist/dashboard, made by `npm run build`) or `bundled` (esbuild at start, dev). */
  origin: 'built' | 'bundled';
}

const exists = (path: string) =>
  access(path).then(
    () => true,
    () => false,
  );

const here = (relative: string) => fileURLToPath(new URL(relative, import.meta.url));

/**
 * Finds the dashboard assets: the prebuilt `dist/dashboard/app.{js,css}` written by
 * `scripts/build-dashboard.mjs`, or else (a source checkout run through tsx) bundles
 * `src/dashboard/main.ts` in memory with esbuild, a devDependency. Throws when neither exists.
 */
export async function loadDashboardAssets(): Promise<DashboardAssets> {
  const built = here('../dashboard/app.js');
  if (await exists(built)) {
    return {
      js: await readFile(built, 'utf8'),
      css: await readFile(here('../dashboard/app.css'), 'utf8'),
      origin: 'built',
    };
  }
  for (const dir of ['../dashboard/', '../../src/dashboard/']) {
    const entry = here(`${dir}main.ts`);
    if (!(await exists(entry))) continue;
    const esbuild = await import('esbuild');
    const result = await esbuild.build({
      entryPoints: [entry],
      bundle: true,
      write: false,
      format: 'iife',
      target: 'es2020',
      minify: true,
      legalComments: 'none',
    });
    const js = result.outputFiles[0]?.text ?? '';
    return { js, css: await readFile(here(`${dir}dashboard.css`), 'utf8'), origin: 'bundled' };
  }
  throw new Error('dashboard assets not found: run `npm run build` (writes dist/dashboard/)');
}
