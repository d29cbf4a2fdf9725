import { expect, it } from 'vitest';
import { reconcileAbandoned } from '../../src/lifecycle/reconcile.js';
import { createTripmeter } from '../../src/store/index.js';
import { cli } from '../support/cli.js';
import { describeOnDatabases, uniqueSchema } from '../support/databases.js';

const anon = '0b6e1d2c-3f4a-4b5c-8d9e-0f1a2b3c4d5e';

describeOnDatabases('reconcile abandoned attempts', (ctx) => {
  it('closes pending attempts older than the timeout, with the failed event, once', async () => {
    const database = await ctx.open();
    const t0 = Date.parse('2026-11-25T08:00:00Z');
    let clock = t0;
    const tracker = createTripmeter({ database, now: () => clock });
    const stale = tracker.startAttempt({ anonSessionId: anon, provider: 'openai' });
    clock = t0 + 10 * 60_000;
    const fresh = tracker.startAttempt({ anonSessionId: anon });
    const done = tracker.startAttempt({ anonSessionId: anon });
    done.succeed({ tripId: 't1' });
    await tracker.flush();

    const now = new Date(t0 + 16 * 60_000);
    expect((await reconcileAbandoned(database, { now })).closed).toBe(1);
    expect((await reconcileAbandoned(database, { now })).closed).toBe(0); // idempotent

    const db = database.db.withSchema(database.schema);
    const rows = await db
      .selectFrom('trip_creation_attempts')
      .select(['request_id', 'status', 'error_code', 'failure_kind'])
      .execute();
    const byId = new Map(rows.map((r) => [r.request_id, r]));
    expect(byId.get(stale.requestId)).toMatchObject({
      status: 'failed',
      error_code: 'ATTEMPT_ABANDONED',
      failure_kind: 'abandoned',
    });
    expect(byId.get(fresh.requestId)?.status).toBe('pending');
    expect(byId.get(done.requestId)?.status).toBe('success');
    const failed = await db
      .selectFrom('trip_creation_events')
      .selectAll()
      .where('event_type', '=', 'create_trip_failed')
      .execute();
    expect(failed).toHaveLength(1);
    expect(failed[0]).toMatchObject({ request_id: stale.requestId, anon_session_id: anon });
    expect(failed[0]?.payload_json).toMatchObject({
      error_code: 'ATTEMPT_ABANDONED',
      failure_kind: 'abandoned',
      provider: 'openai',
    });

    // A late terminal event after the reconcile does not resurrect the attempt or duplicate events.
    stale.succeed({ tripId: 'late' });
    await tracker.flush();
    const after = await db
      .selectFrom('trip_creation_attempts')
      .select(['status'])
      .where('request_id', '=', stale.requestId)
      .executeTakeFirstOrThrow();
    expect(after.status).toBe('failed');
    await tracker.shutdown();
  });
});

it('tripmeter reconcile closes abandoned attempts with --now', async () => {
  const dir = `/tmp/tripmeter-reconcile-${uniqueSchema()}`;
  expect((await cli(['migrate', '--data-dir', dir])).code).toBe(0);
  const result = await cli(['reconcile', '--data-dir', dir, '--now', '2030-01-01T00:00:00Z']);
  expect(result.code).toBe(0);
  expect(result.stdout).toMatch(
    /closed 0 abandoned attempts \(pending since before 2029-12-31T23:45:00.000Z\)/,
  );
  expect((await cli(['reconcile', '--data-dir', dir, '--timeout-minutes', 'soon'])).code).toBe(2);
});
