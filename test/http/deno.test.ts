import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/storage/index.js';
import { cli } from '../support/cli.js';
import { startServeProcess } from '../support/serve-process.js';
import { bundleHttpClient } from './bundle-http.js';

const DENO = fileURLToPath(new URL('../../node_modules/.bin/deno', import.meta.url));
const probe = spawnSync(DENO, ['--version'], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
const denoRuns = probe.status === 0;
const reason = `the deno binary at ${DENO} cannot run (${probe.error?.message ?? probe.stderr?.trim() ?? probe.status})`;
if (!denoRuns && process.env.CI !== 'true')
  console.warn(`\n⚠ ${reason}: the Deno test of tripmeter/http is SKIPPED.\n`);

const anon = '5b0f3c2e-8f1a-4c1e-9d2b-3a4b5c6d7e8f';

/** The edge app: an "enqueue" function starts attempts, a "background worker" (another tracker) finishes one. */
const SCRIPT = `
import { createHttpTripmeter } from './tripmeter-http.mjs';
const [endpoint, key] = Deno.args;
const input = { destinationPrompt: 'Lisbon', options: { notes: 'mail me at anna@example.com', budget: 'Low' } };

const enqueue = createHttpTripmeter({ endpoint, key });
enqueue.startAttempt({ requestId: 'deno-ok', anonSessionId: '${anon}', input }).succeed({ tripId: 'trip-ok' });
enqueue
  .startAttempt({ requestId: 'deno-fail', input })
  .fail({ errorCode: 'OPENAI_REQUEST_TIMEOUT', error: new Error('timed out for anna@example.com'), httpStatus: 504 });
const job = enqueue.startAttempt({ requestId: 'deno-two-process', anonSessionId: '${anon}', input });
await enqueue.trackAttempt({ requestId: 'deno-track', input }, async () => ({ tripId: 'trip-track' }));
await enqueue.flush();

// "Another process": a fresh tracker that only knows the request id handed over in the job.
const worker = createHttpTripmeter({ endpoint, key });
worker.resumeAttempt(job.requestId).succeed({ tripId: 'trip-background' });
await worker.flush();

console.log(JSON.stringify({ enqueue: enqueue.stats(), worker: worker.stats() }));
await enqueue.shutdown(5000);
await worker.shutdown(5000);
`;

function runDeno(dir: string, args: string[]) {
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
    const child = spawn(DENO, ['run', '--allow-net=127.0.0.1', '--no-config', 'app.mjs', ...args], {
      cwd: dir,
      env: { ...process.env, DENO_DIR: join(dir, 'deno-dir'), NO_COLOR: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => {
      stdout += d;
    });
    child.stderr.on('data', (d) => {
      stderr += d;
    });
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('tripmeter/http under Deno', () => {
  (denoRuns ? it : process.env.CI === 'true' ? it : it.skip)(
    `writes attempts through a running serve, finished in another process by request id${denoRuns ? '' : ` (SKIPPED: ${reason})`}`,
    async () => {
      expect(denoRuns, reason).toBe(true);
      const dir = mkdtempSync('/tmp/tripmeter-deno-');
      const dataDir = join(dir, 'pgdata');
      expect((await cli(['migrate', '--data-dir', dataDir])).code).toBe(0);
      const created = await cli(['keys', 'create', '--scope', 'ingest', '--data-dir', dataDir]);
      const key = created.stdout.trim().split(/\s+/).at(-1)!;
      const { code } = await bundleHttpClient();
      writeFileSync(join(dir, 'tripmeter-http.mjs'), code);
      writeFileSync(join(dir, 'app.mjs'), SCRIPT);

      const serve = await startServeProcess(['--data-dir', dataDir]);
      let deno: Awaited<ReturnType<typeof runDeno>>;
      try {
        deno = await runDeno(dir, [serve.url, key]);
      } finally {
        expect(await serve.stop()).toBe(0);
      }
      expect(deno.stderr).toBe('');
      expect(deno.code).toBe(0);
      const stats = JSON.parse(deno.stdout.trim());
      expect(stats.enqueue).toMatchObject({ written: 7, duplicates: 0, rejected: 0, dropped: 0, queued: 0 });
      expect(stats.worker).toMatchObject({ written: 1, rejected: 0, dropped: 0 });

      const database = await openDatabase({ dataDir, schema: 'trip_tracking' });
      try {
        const db = database.db.withSchema(database.schema);
        const attempts = await db
          .selectFrom('trip_creation_attempts')
          .selectAll()
          .orderBy('request_id')
          .execute();
        expect(
          attempts.map((a) => [
            a.request_id,
            a.status,
            a.trip_id,
            a.error_code,
            a.failure_kind,
            a.anon_session_id,
          ]),
        ).toEqual([
          ['deno-fail', 'failed', null, 'OPENAI_REQUEST_TIMEOUT', 'timeout', null],
          ['deno-ok', 'success', 'trip-ok', null, null, anon],
          ['deno-track', 'success', 'trip-track', null, null, null],
          ['deno-two-process', 'success', 'trip-background', null, null, anon],
        ]);
        const twoProcess = attempts.find((a) => a.request_id === 'deno-two-process')!;
        expect(twoProcess.duration_ms).toBeGreaterThanOrEqual(0); // derived by the server from created_at
        expect(JSON.stringify(attempts.map((a) => a.input_snapshot_json))).not.toContain('anna@example.com');
        const events = await db.selectFrom('trip_creation_events').selectAll().execute();
        expect(events).toHaveLength(8);
        const failed = events.find((e) => e.event_type === 'create_trip_failed')!;
        expect(failed.payload_json).toMatchObject({
          error_code: 'OPENAI_REQUEST_TIMEOUT',
          error_message: 'timed out for [email]',
          http_status: 504,
        });
      } finally {
        await database.close();
      }
    },
    120_000,
  );
});
