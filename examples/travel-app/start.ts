/**
 * `npm run example`: the travel app on this machine. A fresh embedded database in
 * `.tripmeter/example/` (git-ignored; kept after the run, to look into), its keys, then
 * `tripmeter serve`, the app and the worker, each its own process. Ctrl-C stops the app and
 * the worker first (they send what they hold), then `serve`.
 */
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { freePort, ROOT, type RunningProcess, run, startProcess, TRIPMETER_CLI, TSX } from './processes.js';
import { SERVE_ENV } from './settings.js';

const children: RunningProcess[] = [];
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => void stop(0));

const dir = join(ROOT, '.tripmeter', 'example');
const dataDir = join(dir, 'pgdata');
await rm(dir, { recursive: true, force: true });
await mkdir(dir, { recursive: true });

// Keys before serve starts: embedded PGlite is single-process. Each is the last word printed.
const cli = async (...args: string[]) =>
  (await run([...TRIPMETER_CLI, ...args, '--data-dir', dataDir])).trim();
const key = async (...args: string[]) => (await cli('keys', 'create', ...args)).split(/\s+/).at(-1)!;
const appUrl = `http://127.0.0.1:${await freePort()}`;
console.log('A fresh database and its keys in .tripmeter/example/ …');
await cli('migrate');
const siteKey = await key('--scope', 'site', '--origin', appUrl);
const ingestKey = await key('--scope', 'ingest', '--name', 'travel-app');
const adminKey = await key('--scope', 'admin', '--name', 'example');

const start = async (command: string[], ready: RegExp, echo: string, env?: Record<string, string>) => {
  const child = startProcess(command, ready, { env, echo, detached: true });
  children.push(child); // before it is ready: a Ctrl-C while it starts stops it too
  return (await child.ready)[1];
};
try {
  const serveUrl = await start(
    [...TRIPMETER_CLI, 'serve', '--port', '0', '--data-dir', dataDir, '--log-level', 'warn'],
    /tripmeter listening on (\S+)/,
    '[serve] ',
    { ...SERVE_ENV },
  );
  const env = {
    TRIPMETER_URL: serveUrl!,
    TRIPMETER_INGEST_KEY: ingestKey,
    TRIPMETER_SITE_KEY: siteKey,
    QUEUE_DIR: join(dir, 'queue'),
    PORT: new URL(appUrl).port,
  };
  await Promise.all([
    start([...TSX, 'examples/travel-app/worker.ts'], /waiting for jobs/, '[worker]', env),
    start([...TSX, 'examples/travel-app/app.ts'], /travel-app listening/, '[app]   ', env),
  ]);
  console.log(`\nThe travel app:  ${appUrl}/`);
  console.log(`Its telemetry:   ${serveUrl}/  (admin key ${adminKey})`);
  console.log('Ctrl-C stops all three.\n');
} catch (error) {
  console.error((error as Error).message);
  await stop(1);
}

let stopping = false;
async function stop(code: number): Promise<void> {
  if (stopping) return;
  stopping = true;
  const [serve, ...app] = children;
  await Promise.all(app.map((child) => child.stop()));
  await serve?.stop();
  process.exit(code);
}
