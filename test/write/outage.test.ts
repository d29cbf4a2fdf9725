import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrate, openDatabase } from '../../src/storage/index.js';
import { createTripmeter } from '../../src/store/index.js';
import {
  type PrivatePostgres,
  privatePostgresUnavailable,
  startPrivatePostgres,
} from '../support/private-postgres.js';

const unavailable = privatePostgresUnavailable();
if (unavailable && process.env.CI === 'true')
  throw new Error(`outage drill needs a private PostgreSQL: ${unavailable}`);
if (unavailable) console.warn(`⚠ outage drill SKIPPED: ${unavailable}`);

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

(unavailable ? describe.skip : describe)('Postgres outage drill (private server)', () => {
  let server: PrivatePostgres;
  beforeAll(async () => {
    server = await startPrivatePostgres();
  }, 60_000);
  afterAll(() => server?.destroy());

  it('keeps every attempt through a 5 s stop and restart in the middle of a 20,000-attempt run', async () => {
    const schema = 'outage';
    const admin = await openDatabase({ databaseUrl: server.url, dataDir: 'memory://', schema, poolSize: 2 });
    await migrate(admin);
    const tracker = createTripmeter({
      databaseUrl: server.url,
      schema,
      batchSize: 500,
      flushIntervalMs: 50,
      retry: { baseMs: 50, maxMs: 1_000 },
    });
    const total = 20_000;
    let stopped = false;
    for (let i = 0; i < total; i++) {
      const attempt = tracker.startAttempt({ requestId: `req-${i}`, anonSessionId: crypto.randomUUID() });
      if (i % 7 === 0) attempt.fail({ errorCode: 'OPENAI_REQUEST_TIMEOUT' });
      else attempt.succeed({ tripId: `trip-${i}` });
      if (i % 500 === 499) await sleep(40); // a steady stream, not one burst
      if (i === 6_000) {
        server.stop(); // the outage starts in the middle of the run
        stopped = true;
        setTimeout(() => {
          server.start();
          stopped = false;
        }, 5_000);
      }
    }
    while (stopped) await sleep(100);
    const lost = await tracker.shutdown(60_000);
    expect(lost).toBe(0);
    const stats = tracker.stats();
    expect(stats.retried).toBeGreaterThan(0); // the outage was felt
    expect(stats.dropped).toBe(0);
    expect(stats.rejected).toBe(0);

    const db = admin.db.withSchema(schema);
    const attempts = await db
      .selectFrom('trip_creation_attempts')
      .select((eb) => [
        eb.fn.countAll<number>().as('rows'),
        eb.fn.count<number>('request_id').distinct().as('ids'),
      ])
      .executeTakeFirstOrThrow();
    expect(attempts).toEqual({ rows: total, ids: total });
    const pending = await db
      .selectFrom('trip_creation_attempts')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('status', '=', 'pending')
      .executeTakeFirstOrThrow();
    expect(pending.n).toBe(0);
    const events = await db
      .selectFrom('trip_creation_events')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    expect(events.n).toBe(2 * total);
    await admin.close();
  }, 180_000);
});
