import { expect, it } from 'vitest';
import { createApiKey } from '../../src/auth/index.js';
import { loadConfig } from '../../src/config/index.js';
import { createHttpTripmeter } from '../../src/http/index.js';
import { GroupCommitWriter } from '../../src/ingest/index.js';
import { silentLogger } from '../../src/logging/index.js';
import { createApp } from '../../src/server/app.js';
import type { Database } from '../../src/storage/index.js';
import { createTripmeter } from '../../src/store/index.js';
import { PostgresSink } from '../../src/store/postgres-sink.js';
import { describeOnDatabases } from '../support/databases.js';

/** Each failed attempt's stored code, kind and the class kept in its failed event, by request id. */
async function failures(database: Database) {
  const db = database.db.withSchema(database.schema);
  const attempts = await db
    .selectFrom('trip_creation_attempts')
    .select(['request_id', 'status', 'error_code', 'failure_kind'])
    .orderBy('request_id')
    .execute();
  const events = await db
    .selectFrom('trip_creation_events')
    .select(['request_id', 'payload_json'])
    .where('event_type', '=', 'create_trip_failed')
    .execute();
  const classOf = new Map(
    events.map((e) => [e.request_id, (e.payload_json as { error_class?: string } | null)?.error_class]),
  );
  return attempts.map((a) => ({ ...a, error_class: classOf.get(a.request_id) ?? null }));
}

/** What the worker's catch path reports (`error.name`), and what must be stored for it. */
const THROWN = [
  { requestId: 'r-abort', error: new DOMException('The operation was aborted.', 'AbortError') },
  { requestId: 'r-error', error: new Error('boom') },
  { requestId: 'r-some', error: Object.assign(new Error('odd'), { name: 'some-thing' }) },
  { requestId: 'r-type', error: new TypeError('Failed to fetch') },
];
const STORED = [
  {
    request_id: 'r-abort',
    status: 'failed',
    error_code: 'ABORT_ERROR',
    error_class: 'AbortError',
    failure_kind: 'abort',
  },
  {
    request_id: 'r-enqueue',
    status: 'failed',
    error_code: 'ASYNC_ENQUEUE_FAILED',
    error_class: null,
    failure_kind: 'infrastructure',
  },
  {
    request_id: 'r-error',
    status: 'failed',
    error_code: 'ERROR',
    error_class: 'Error',
    failure_kind: 'unknown',
  },
  {
    request_id: 'r-some',
    status: 'failed',
    error_code: 'SOME_THING',
    error_class: 'some-thing',
    failure_kind: 'unknown',
  },
  {
    request_id: 'r-type',
    status: 'failed',
    error_code: 'TYPE_ERROR',
    error_class: 'TypeError',
    failure_kind: 'network',
  },
];

describeOnDatabases('failures of any code shape', (ctx) => {
  it('createTripmeter stores them normalised, with their class and kind (infrastructure included)', async () => {
    const database = await ctx.open();
    const tracker = createTripmeter({ database });
    for (const { requestId, error } of THROWN) {
      tracker.startAttempt({ requestId }).fail({ errorCode: error.name, error });
    }
    tracker
      .startAttempt({ requestId: 'r-enqueue' })
      .fail({ errorCode: 'ASYNC_ENQUEUE_FAILED', httpStatus: 503 });
    await tracker.flush();
    expect(tracker.stats()).toMatchObject({ rejected: 0 });
    expect(await failures(database)).toEqual(STORED);
  });

  it('POST /v1/events and tripmeter/http store them the same way', async () => {
    const database = await ctx.open();
    const now = new Date();
    const app = createApp({
      config: loadConfig({ env: {} }),
      database,
      logger: silentLogger,
      now: () => now,
      ingestWriter: new GroupCommitWriter({ sink: new PostgresSink(database) }),
    });
    const { key } = await createApiKey(database, { scope: 'ingest' });
    // The edge tracker normalises before sending and carries the class as `error_class`.
    const edge = createHttpTripmeter({
      endpoint: 'http://tripmeter.test',
      key,
      fetch: async (input, init) => app.request(String(input), init),
    });
    for (const { requestId, error } of THROWN.slice(0, 2)) {
      edge.startAttempt({ requestId }).fail({ errorCode: error.name, error });
    }
    await edge.flush();
    expect(edge.stats()).toMatchObject({ rejected: 0, dropped: 0 });
    // A plain HTTP client sends the raw names; the server normalises them.
    const events = [
      ...THROWN.slice(2).map(({ requestId, error }) => ({
        type: 'create_trip_failed',
        request_id: requestId,
        error_code: error.name,
        error_message: error.message,
      })),
      {
        type: 'create_trip_failed',
        request_id: 'r-enqueue',
        error_code: 'ASYNC_ENQUEUE_FAILED',
        http_status: 503,
      },
    ];
    const res = await app.request('/v1/events', {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify({ events }),
    });
    expect(res.status).toBe(202);
    expect(await failures(database)).toEqual(STORED);
  });
});
