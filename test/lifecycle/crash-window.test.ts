import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, inject, it } from 'vitest';
import { HTTP_BATCH_SIZE } from '../../src/http/index.js';
import { DEFAULT_ABANDON_TIMEOUT_MINUTES, reconcileAbandoned } from '../../src/lifecycle/index.js';
import { type Database, migrate, openDatabase } from '../../src/storage/index.js';
import { createTripmeter, STORE_WRITER_DEFAULTS } from '../../src/store/index.js';
import { WRITER_DEFAULTS } from '../../src/tracker/index.js';
import { uniqueSchema } from '../support/databases.js';

const WORKER = fileURLToPath(new URL('./killed-worker.ts', import.meta.url));

/** The `| option | default |` rows of the section "What a hard kill loses" of the operations page. */
function documentedDefaults(): Record<string, number> {
  const page = readFileSync(new URL('../../docs/operations.md', import.meta.url), 'utf8');
  const section = page.split('## What a hard kill loses')[1]?.split('\n## ')[0] ?? '';
  const rows = [...section.matchAll(/^\| `(\w+)` \| (\d+) \|/gm)];
  return Object.fromEntries(rows.map((row) => [row[1], Number(row[2])]));
}

describe('the crash window the operations page states', () => {
  it('has the defaults of the code', () => {
    expect(documentedDefaults()).toEqual({
      flushIntervalMs: WRITER_DEFAULTS.flushIntervalMs,
      batchSize: WRITER_DEFAULTS.batchSize,
      maxBatchSize: STORE_WRITER_DEFAULTS.maxBatchSize,
      concurrency: STORE_WRITER_DEFAULTS.concurrency,
      timeoutMinutes: DEFAULT_ABANDON_TIMEOUT_MINUTES,
    });
    const page = readFileSync(new URL('../../docs/operations.md', import.meta.url), 'utf8');
    expect(page).toContain(`(\`tripmeter/http\`: ${HTTP_BATCH_SIZE})`);
  });
});

/** Runs the worker, kills it with SIGKILL once its start is committed; resolves its request id. */
async function killAfterStart(args: string[]): Promise<string> {
  const child = spawn(process.execPath, ['--import', 'tsx', WORKER, ...args], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  const requestId = await new Promise<string>((resolve, reject) => {
    child.stdout.on('data', (d) => {
      out += d;
      const match = /flushed (\S+)/.exec(out);
      if (match) resolve(match[1]!);
    });
    child.once('exit', (code) => reject(new Error(`worker exited early with ${code}`)));
  });
  child.kill('SIGKILL');
  await once(child, 'exit');
  return requestId;
}

/** After the kill: the start is there and pending; reconcile closes it as documented, once. */
async function expectClosedByReconcile(database: Database, requestId: string) {
  const db = database.db.withSchema(database.schema);
  const row = () =>
    db
      .selectFrom('trip_creation_attempts')
      .select(['status', 'error_code', 'failure_kind', 'trip_id', 'created_at'])
      .where('request_id', '=', requestId)
      .executeTakeFirstOrThrow();
  const pending = await row();
  expect(pending).toMatchObject({ status: 'pending', error_code: null, trip_id: null });

  // Younger than the timeout: left alone (the end may still come from another process).
  const createdAt = new Date(pending.created_at).getTime();
  const early = new Date(createdAt + (DEFAULT_ABANDON_TIMEOUT_MINUTES - 1) * 60_000);
  expect((await reconcileAbandoned(database, { now: early })).closed).toBe(0);

  const now = new Date(createdAt + (DEFAULT_ABANDON_TIMEOUT_MINUTES + 1) * 60_000);
  expect((await reconcileAbandoned(database, { now })).closed).toBe(1);
  expect(await row()).toMatchObject({
    status: 'failed',
    error_code: 'ATTEMPT_ABANDONED',
    failure_kind: 'abandoned',
  });
  const failed = await db
    .selectFrom('trip_creation_events')
    .select(['created_at'])
    .where('request_id', '=', requestId)
    .where('event_type', '=', 'create_trip_failed')
    .execute();
  expect(failed.map((e) => new Date(e.created_at).toISOString())).toEqual([now.toISOString()]);

  // An end arriving after the close does not reopen the attempt.
  const late = createTripmeter({ database });
  late.resumeAttempt(requestId).succeed({ tripId: 'late' });
  expect(await late.shutdown()).toBe(0);
  expect(await row()).toMatchObject({ status: 'failed', error_code: 'ATTEMPT_ABANDONED', trip_id: null });
}

describe('kill -9 after the start was written, before the end', () => {
  const pgUrl = inject('pgUrl');

  it.skipIf(!pgUrl)('PostgreSQL: leaves a pending attempt that reconcile closes as abandoned', async () => {
    const schema = uniqueSchema('crash');
    const database = await openDatabase({ databaseUrl: pgUrl, dataDir: 'memory://', schema, poolSize: 2 });
    try {
      await migrate(database);
      const requestId = await killAfterStart(['postgres', pgUrl!, schema]);
      await expectClosedByReconcile(database, requestId);
    } finally {
      await database.close();
    }
  });

  it('PGlite: the folder opens again and the pending attempt is closed the same way', {
    timeout: 300_000,
  }, async () => {
    const dataDir = join(mkdtempSync('/tmp/tripmeter-crash-'), 'pgdata');
    const requestId = await killAfterStart(['pglite', dataDir]);
    const database = await openDatabase({ dataDir, schema: 'trip_tracking' });
    try {
      await expectClosedByReconcile(database, requestId);
    } finally {
      await database.close();
    }
  });
});
