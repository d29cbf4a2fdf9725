import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { newId } from '../../src/domain/index.js';
import { type Database, migrate, openDatabase } from '../../src/storage/index.js';
import { uniqueSchema } from '../support/databases.js';

const WORKER = fileURLToPath(new URL('./short-lived-worker.ts', import.meta.url));
/** How long the process may live after `shutdown()` resolved (it needs a few ms). */
const PROMPT_EXIT_MS = 2_000;
/** Past this, the child is killed: it would have lingered (pg idle timeout 10 s, Retry-After …). */
const KILL_AFTER_MS = 6_000;

/**
 * Runs the worker and measures the time from its `shut down` line to its exit, so the start-up
 * time (tsx, PGlite) does not count. A child still alive {@link KILL_AFTER_MS} later is killed.
 */
function runWorker(args: string[]) {
  return new Promise<{ stdout: string; stderr: string; lingerMs: number; killed: boolean }>((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', WORKER, ...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    let shutAt: number | undefined;
    let killer: NodeJS.Timeout | undefined;
    let killed = false;
    child.stdout.on('data', (d) => {
      stdout += d;
      if (shutAt === undefined && stdout.includes('shut down')) {
        shutAt = Date.now();
        killer = setTimeout(() => {
          killed = true;
          child.kill('SIGKILL');
        }, KILL_AFTER_MS);
      }
    });
    child.stderr.on('data', (d) => {
      stderr += d;
    });
    child.on('exit', () => {
      clearTimeout(killer);
      resolve({ stdout, stderr, lingerMs: shutAt === undefined ? -1 : Date.now() - shutAt, killed });
    });
  });
}

async function attemptStatus(database: Database, requestId: string): Promise<string | undefined> {
  const row = await database.db
    .withSchema(database.schema)
    .selectFrom('trip_creation_attempts')
    .select('status')
    .where('request_id', '=', requestId)
    .executeTakeFirst();
  return row?.status;
}

describe('a short-lived worker exits as soon as shutdown() resolves', () => {
  const pgUrl = inject('pgUrl');

  it.skipIf(!pgUrl)(
    'on PostgreSQL (migrated at deploy, so the tracker itself runs no Kysely query)',
    async () => {
      const schema = uniqueSchema('exit');
      const database = await openDatabase({ databaseUrl: pgUrl, dataDir: 'memory://', schema, poolSize: 2 });
      try {
        await migrate(database);
        const requestId = newId();
        const run = await runWorker(['postgres', pgUrl!, schema, requestId]);
        expect(run.stderr).toBe('');
        expect(run.stdout).toContain('shut down, lost 0, written 2');
        expect(run.killed).toBe(false);
        expect(run.lingerMs).toBeLessThan(PROMPT_EXIT_MS);
        expect(await attemptStatus(database, requestId)).toBe('success');
      } finally {
        await database.close();
      }
    },
  );

  it('on PGlite (the data folder is closed and its lock released)', async () => {
    const dataDir = join(mkdtempSync('/tmp/tripmeter-exit-'), 'pgdata');
    const requestId = newId();
    const run = await runWorker(['pglite', dataDir, requestId]);
    expect(run.stderr).toBe('');
    expect(run.stdout).toContain('shut down, lost 0, written 2');
    expect(run.killed).toBe(false);
    expect(run.lingerMs).toBeLessThan(PROMPT_EXIT_MS);
    const database = await openDatabase({ dataDir, schema: 'trip_tracking' });
    try {
      expect(await attemptStatus(database, requestId)).toBe('success');
    } finally {
      await database.close();
    }
  });

  describe('tripmeter/http, when shutdown gives up on what it could not send', () => {
    const servers: Server[] = [];
    afterAll(async () => {
      for (const server of servers) {
        server.closeAllConnections();
        await new Promise((resolve) => server.close(resolve));
      }
    });
    async function listen(handler: Parameters<typeof createServer>[1]): Promise<string> {
      const server = createServer(handler);
      servers.push(server);
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    }

    it('a server that never answers: the request in flight is aborted', async () => {
      const endpoint = await listen(() => {}); // holds every request open
      const run = await runWorker(['http', endpoint, newId()]);
      expect(run.stdout).toContain('shut down, lost 2');
      expect(run.killed).toBe(false);
      expect(run.lingerMs).toBeLessThan(PROMPT_EXIT_MS);
    });

    it('a server asking to retry in a minute: the backoff timer is cleared', async () => {
      const endpoint = await listen((_req, res) => {
        res.writeHead(503, { 'retry-after': '60', 'content-type': 'application/problem+json' });
        res.end('{"code":"OVERLOADED"}');
      });
      const run = await runWorker(['http', endpoint, newId()]);
      expect(run.stdout).toContain('shut down, lost 2');
      expect(run.killed).toBe(false);
      expect(run.lingerMs).toBeLessThan(PROMPT_EXIT_MS);
    });
  });
});
