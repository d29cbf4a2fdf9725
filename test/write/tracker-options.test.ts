import { existsSync, mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { InvalidOptionError } from '../../src/index.js';
import { createTripmeter, type TripmeterOptions } from '../../src/store/index.js';
import { describeOnDatabases } from '../support/databases.js';

const anon = '0190a3c4-5b6d-7e8f-9a0b-1c2d3e4f5a6b';

describe('createTripmeter refuses a configuration that can never work, before opening anything', () => {
  it.each([
    ['databaseUrl', { databaseUrl: '' }],
    ['databaseUrl', { databaseUrl: 'localhost:5432/app' }],
    ['databaseUrl', { databaseUrl: 'mysql://localhost/app' }],
    ['databaseUrl', { databaseUrl: 'postgres://db host/app' }],
    ['dataDir', { dataDir: '' }],
    ['dataDir', { dataDir: 42 }],
    ['schema', { schema: 'Trip-Tracking' }],
    ['schema', { schema: 'public' }],
    ['database', { database: { db: {} } }],
    ['migrate', { migrate: 'yes' }],
    ['batchSize', { batchSize: 0 }],
    ['maxBatchSize', { maxBatchSize: -5 }],
    ['flushIntervalMs', { flushIntervalMs: -1 }],
    ['concurrency', { concurrency: 1.5 }],
    ['retry.maxRetryAfterMs', { retry: { maxRetryAfterMs: -1 } }],
  ])('%s: %j', (option, bad) => {
    const dataDir = join(mkdtempSync('/tmp/tripmeter-options-'), 'pgdata');
    let error: unknown;
    try {
      createTripmeter({ dataDir, ...(bad as TripmeterOptions) });
    } catch (thrown) {
      error = thrown;
    }
    expect(error).toBeInstanceOf(InvalidOptionError);
    expect(error).toMatchObject({ code: 'INVALID_OPTION', option });
    expect((error as Error).message).toContain(`option ${option} must be `);
    // Refused before the database opened: no PGlite folder, no lock left behind.
    expect(existsSync(dataDir)).toBe(false);
    expect(existsSync(`${dataDir}.lock`)).toBe(false);
  });

  it('accepts the URL forms the driver takes (credentials, query, unix socket)', () => {
    for (const databaseUrl of [
      'postgres://app:s3cr%23t@db.example.com:5432/app?sslmode=require',
      'postgresql://localhost/app',
      'postgres://app@/app?host=/var/run/postgresql',
    ]) {
      // Nothing listens there: created, shut down at once, nothing written.
      const tracker = createTripmeter({ databaseUrl, flushIntervalMs: 60_000 });
      void tracker.shutdown(0);
    }
  });
});

describeOnDatabases('createTripmeter with valid options', (ctx) => {
  it('writes as before', async () => {
    const database = await ctx.open();
    const tracker = createTripmeter({
      database,
      batchSize: 10,
      maxBatchSize: 100,
      maxQueue: 1_000,
      concurrency: 1,
      flushIntervalMs: 50,
      overflow: 'drop-oldest',
      notesPolicy: 'drop',
      retry: { baseMs: 10, maxMs: 1_000 },
    });
    tracker.startAttempt({ anonSessionId: anon }).succeed({ tripId: 'trip-1' });
    expect(await tracker.shutdown()).toBe(0);
    expect(tracker.stats()).toMatchObject({ written: 2, rejected: 0 });
  });
});
