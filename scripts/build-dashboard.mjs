// Bundles the dashboard (src/dashboard/main.ts) into dist/dashboard/app.js with esbuild and copies
// its stylesheet to dist/dashboard/app.css; `tripmeter serve` serves both from memory. Run by
// `npm run build` after tsc. Without this step a source checkout still works: the server bundles
// the TypeScript at start when esbuild (a devDependency) is installed.
import { copyFile, mkdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = fileURLToPath(new URL('..', import.meta.url));
const out = `${root}dist/dashboard`;
await mkdir(out, { recursive: true });
await build({
  entryPoints: [`${root}src/dashboard/main.ts`],
  outfile: `${out}/app.js`,
  bundle: true,
  format: 'iife',
  target: 'es2020',
  minify: true,
  legalComments: 'none',
  logLevel: 'warning',
});
await copyFile(`${root}src/dashboard/dashboard.css`, `${out}/app.css`);
console.log('dashboard: dist/dashboard/app.js, dist/dashboard/app.css');
