import { expect, it } from 'vitest';
import { createApiKey } from '../../src/auth/index.js';
import { loadConfig } from '../../src/config/index.js';
import { GroupCommitWriter } from '../../src/ingest/index.js';
import { silentLogger } from '../../src/logging/index.js';
import { createApp } from '../../src/server/app.js';
import type { Database } from '../../src/storage/index.js';
import { PostgresSink } from '../../src/store/postgres-sink.js';
import { TransientSinkError } from '../../src/tracker/sink.js';
import { describeOnDatabases } from '../support/databases.js';

const anon = '5b0f3c2e-8f1a-4c1e-9d2b-3a4b5c6d7e8f';
const user = '0d9f7a52-3c4b-4e8f-9a1b-2c3d4e5f6a7b';
const DAY = 86_400_000;

async function setup(
  open: () => Promise<Database>,
  writer?: (db: Database) => GroupCommitWriter,
  env: Record<string, string> = {},
) {
  const database = await open();
  const now = new Date();
  const ingestWriter = writer?.(database) ?? new GroupCommitWriter({ sink: new PostgresSink(database) });
  const app = createApp({
    config: loadConfig({ env }),
    database,
    logger: silentLogger,
    now: () => now,
    ingestWriter,
  });
  const { key } = await createApiKey(database, { scope: 'ingest' });
  const post = (body: unknown, headers: Record<string, string> = {}) =>
    app.request('/v1/events', {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json', ...headers },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
  const rows = async (schema = database.schema) => {
    const db = database.db.withSchema(schema);
    const attempts = await db
      .selectFrom('trip_creation_attempts')
      .selectAll()
      .orderBy('request_id')
      .execute();
    const events = await db.selectFrom('trip_creation_events').selectAll().orderBy('created_at').execute();
    return { attempts, events };
  };
  const at = (offsetMs: number) => new Date(now.getTime() + offsetMs).toISOString();
  return { database, app, key, post, rows, at, now };
}

describeOnDatabases('POST /v1/events', (ctx) => {
  it('stores one event and answers 202 with exact numbers', async () => {
    const t = await setup(ctx.open);
    const res = await t.post({
      type: 'create_trip_attempted',
      request_id: 'req-1',
      anon_session_id: anon.toUpperCase(),
      occurred_at: t.at(-60_000),
      provider: 'openai',
      model: 'gpt-5.4',
      input_snapshot: { destinationPrompt: 'Japan', notes: 'call +49 170 1234567', secretField: 'x' },
    });
    expect(res.status).toBe(202);
    expect(await res.json()).toEqual({ accepted: 1, duplicates: 0 });
    const { attempts, events } = await t.rows();
    expect(attempts).toHaveLength(1);
    expect(attempts[0]).toMatchObject({
      request_id: 'req-1',
      status: 'pending',
      anon_session_id: anon,
      provider: 'openai',
      prompt_contract_version: 'classic_v1',
      source: 'app',
    });
    expect(attempts[0]!.created_at.toISOString()).toBe(t.at(-60_000));
    const snapshot = JSON.stringify(attempts[0]!.input_snapshot_json);
    expect(attempts[0]!.input_snapshot_json).toMatchObject({ notes: { words: 4, redactions: { phone: 1 } } });
    expect(snapshot).not.toContain('1234567');
    expect(snapshot).not.toContain('secretField');
    expect(events.map((e) => e.event_type)).toEqual(['create_trip_attempted']);
  });

  it('stores a batch, counts duplicates on redelivery and within the batch', async () => {
    const t = await setup(ctx.open);
    const batch = {
      events: [
        { type: 'create_trip_attempted', request_id: 'a', occurred_at: t.at(-5_000), user_id: user },
        { type: 'create_trip_succeeded', request_id: 'a', occurred_at: t.at(-1_000), trip_id: 'trip_9' },
        {
          type: 'create_trip_failed',
          request_id: 'b',
          occurred_at: t.at(-2_000),
          error_code: 'RATE_LIMITED',
        },
        {
          type: 'create_trip_failed',
          request_id: 'b',
          occurred_at: t.at(-2_000),
          error_code: 'RATE_LIMITED',
        },
      ],
    };
    const first = await t.post(batch);
    expect(first.status).toBe(202);
    expect(await first.json()).toEqual({ accepted: 3, duplicates: 1 });
    const again = await t.post(batch);
    expect(await again.json()).toEqual({ accepted: 0, duplicates: 4 });
    const { attempts, events } = await t.rows();
    expect(attempts.map((a) => [a.request_id, a.status, a.duration_ms, a.trip_id, a.failure_kind])).toEqual([
      ['a', 'success', 4000, 'trip_9', null],
      ['b', 'failed', null, null, 'rate_limited'],
    ]);
    expect(events).toHaveLength(3);
    expect(attempts[0]!.user_id).toBe(user);
  });

  it('redacts and truncates error messages and classifies the failure', async () => {
    const t = await setup(ctx.open);
    const res = await t.post({
      type: 'create_trip_failed',
      request_id: 'f1',
      error_code: 'ASYNC_WORKER_UNKNOWN_ERROR',
      error_message: `upstream said no to anna@example.com from 10.1.2.3 ${'x'.repeat(500)}`,
      http_status: 503,
      duration_ms: 1234,
    });
    expect(res.status).toBe(202);
    const { attempts, events } = await t.rows();
    // A 5xx behind the worker's own catch-all code is our infrastructure, not the provider (issue 16).
    expect(attempts[0]).toMatchObject({
      status: 'failed',
      failure_kind: 'infrastructure',
      duration_ms: 1234,
    });
    const payload = events[0]!.payload_json as { error_message: string; http_status: number };
    expect(payload.error_message).toMatch(/^upstream said no to \[email\] from \[ip\] x+$/);
    expect([...payload.error_message]).toHaveLength(200);
    expect(payload.http_status).toBe(503);
  });

  it('applies the configured notes policy to snapshots: redact takes names and health terms too', async () => {
    const t = await setup(ctx.open, undefined, { TRIPMETER_NOTES_POLICY: 'redact' });
    await t.post({
      type: 'create_trip_attempted',
      request_id: 'n1',
      // As an edge tracker under `redact` sends it: patterns replaced, the rest left to the server.
      input_snapshot: {
        destinationPrompt: 'Oslo',
        notes: 'ping [email]; my wife Anna Müller has a nut allergy',
      },
    });
    const snapshot = (await t.rows()).attempts[0]!.input_snapshot_json as { notes: unknown };
    expect(snapshot.notes).toBe('ping [email]; my wife [name] has a nut [health]');
  });

  it('keeps a summary an edge tracker made, and makes one by default', async () => {
    const t = await setup(ctx.open);
    const summary = {
      length: 21,
      words: 2,
      redactions: { email: 1, phone: 0, url: 0, ip: 0, card: 0, iban: 0, handle: 0 },
    };
    await t.post({ type: 'create_trip_attempted', request_id: 'n1', input_snapshot: { notes: summary } });
    await t.post({
      type: 'create_trip_attempted',
      request_id: 'n2',
      input_snapshot: { notes: 'Anna Müller, 29' },
    });
    const notes = (await t.rows()).attempts.map((a) => (a.input_snapshot_json as { notes: unknown }).notes);
    expect(notes).toEqual(
      expect.arrayContaining([
        summary,
        { length: 15, words: 3, redactions: { ...summary.redactions, email: 0 } },
      ]),
    );
  });

  it('writes source "benchmark" to the admin schema only', async () => {
    const t = await setup(ctx.open);
    const res = await t.post({
      events: [{ type: 'create_trip_attempted', request_id: 'bench-1', source: 'benchmark' }],
    });
    expect(await res.json()).toEqual({ accepted: 1, duplicates: 0 });
    expect((await t.rows()).attempts).toHaveLength(0);
    const admin = await t.rows(t.database.adminSchema);
    expect(admin.attempts.map((a) => [a.request_id, a.source])).toEqual([['bench-1', 'benchmark']]);
  });

  it('accepts the ingest window edges and refuses just outside them', async () => {
    const t = await setup(ctx.open);
    const edge = (request_id: string, offset: number) => ({
      type: 'create_trip_attempted',
      request_id,
      occurred_at: t.at(offset),
    });
    const inside = await t.post({ events: [edge('old', -7 * DAY), edge('ahead', 5 * 60_000)] });
    expect(await inside.json()).toEqual({ accepted: 2, duplicates: 0 });
    const outside = await t.post({
      events: [edge('older', -7 * DAY - 1), edge('ok', 0), edge('further', 5 * 60_000 + 1)],
    });
    expect(outside.status).toBe(422);
    expect((await outside.json()).errors).toEqual([
      { index: 0, field: 'events[0].occurred_at', message: 'is older than 7 days' },
      { index: 2, field: 'events[2].occurred_at', message: 'is more than 5 minutes in the future' },
    ]);
    expect((await t.rows()).attempts.map((a) => a.request_id)).toEqual(['ahead', 'old']);
  });

  it('refuses a batch with any invalid event whole, naming each bad field', async () => {
    const t = await setup(ctx.open);
    const res = await t.post({
      events: [
        { type: 'create_trip_attempted', request_id: 'good' },
        { type: 'create_trip_attempted', request_id: 'x', colour: 'red', anon_session_id: 'guest' },
        { type: 'create_trip_failed', request_id: 'y', error_code: 'x'.repeat(1_001) },
        { type: 'create_trip_failed', request_id: 'z' },
        {
          type: 'create_trip_done',
          request_id: 'has space',
          user_id: '00000000-0000-0000-0000-000000000000',
        },
        'not an object',
      ],
    });
    expect(res.status).toBe(422);
    expect(res.headers.get('content-type')).toBe('application/problem+json');
    const problem = await res.json();
    expect(problem).toMatchObject({ status: 422, code: 'INVALID_EVENTS' });
    const fields = problem.errors.map((e: { index: number; field: string }) => `${e.index}:${e.field}`);
    expect(fields.sort()).toEqual(
      [
        '1:events[1].colour',
        '1:events[1].anon_session_id',
        '2:events[2].error_code',
        '3:events[3].error_code',
        '4:events[4].type',
        '4:events[4].request_id',
        '4:events[4].user_id',
        '5:events[5]',
      ].sort(),
    );
    expect(problem.errors.find((e: { field: string }) => e.field === 'events[1].colour').message).toBe(
      'is not a known field',
    );
    expect(await t.rows()).toEqual({ attempts: [], events: [] });
  });

  it('refuses single events with the field path, batch shape errors, and unknown batch keys', async () => {
    const t = await setup(ctx.open);
    const single = await t.post({
      type: 'create_trip_attempted',
      request_id: 'r',
      extra: 1,
      user_id: 'nope',
    });
    expect((await single.json()).errors).toEqual([
      { index: 0, field: 'user_id', message: 'must be a UUID' },
      { index: 0, field: 'extra', message: 'is not a known field' },
    ]);
    const missing = await t.post({ type: 'create_trip_attempted' });
    expect((await missing.json()).errors.map((e: { field: string }) => e.field)).toEqual(['request_id']);
    const tooMany = Array.from({ length: 1001 }, (_, i) => ({
      type: 'create_trip_attempted',
      request_id: `${i}`,
    }));
    const big = await t.post({ events: tooMany });
    expect(await big.json()).toMatchObject({ code: 'INVALID_EVENTS', errors: [{ field: 'events' }] });
    expect((await (await t.post({ events: [] })).json()).code).toBe('INVALID_EVENTS');
    const extra = await t.post({ events: [{ type: 'create_trip_attempted', request_id: 'r' }], meta: 1 });
    expect((await extra.json()).errors).toEqual([
      { index: 0, field: 'meta', message: 'is not a known field of a batch' },
    ]);
    expect((await (await t.post([1, 2])).json()).code).toBe('INVALID_EVENTS');
    expect(await t.rows()).toEqual({ attempts: [], events: [] });
  });

  it('refuses malformed JSON, other content types and oversized bodies', async () => {
    const t = await setup(ctx.open);
    const malformed = await t.post('{"type": ');
    expect(malformed.status).toBe(400);
    expect(await malformed.json()).toMatchObject({ code: 'MALFORMED_JSON' });
    const text = await t.post('{}', { 'content-type': 'text/plain' });
    expect(text.status).toBe(415);
    expect(await text.json()).toMatchObject({ code: 'UNSUPPORTED_MEDIA_TYPE' });
    const single = await t.post({
      type: 'create_trip_attempted',
      request_id: 'r',
      error_message: 'x'.repeat(9_000),
    });
    expect(single.status).toBe(413);
    expect(await single.json()).toMatchObject({ code: 'BODY_TOO_LARGE' });
    const batchOk = await t.post({
      events: [
        { type: 'create_trip_failed', request_id: 'r', error_code: 'E', error_message: 'x'.repeat(9_000) },
      ],
    });
    expect(batchOk.status).toBe(202);
    const events = Array.from({ length: 30 }, (_, i) => ({
      type: 'create_trip_failed',
      request_id: `big-${i}`,
      error_code: 'E',
      error_message: 'x'.repeat(9_000),
    }));
    const batch = await t.post({ events });
    expect(batch.status).toBe(413);
    expect(await batch.json()).toMatchObject({ code: 'BODY_TOO_LARGE' });
    expect((await t.rows()).attempts.map((a) => a.request_id)).toEqual(['r']);
  });

  it('requires an ingest key: 401 without or with an unknown key, 403 for another scope', async () => {
    const t = await setup(ctx.open);
    const event = JSON.stringify({ type: 'create_trip_attempted', request_id: 'r' });
    const send = (authorization?: string) =>
      t.app.request('/v1/events', {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(authorization ? { authorization } : {}) },
        body: event,
      });
    const none = await send();
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toBe('Bearer');
    expect((await send('Bearer tm_ingest_unknown')).status).toBe(401);
    const admin = await createApiKey(t.database, { scope: 'admin' });
    const forbidden = await send(`Bearer ${admin.key}`);
    expect(forbidden.status).toBe(403);
    expect(await forbidden.json()).toMatchObject({ code: 'FORBIDDEN_SCOPE' });
    expect(await t.rows()).toEqual({ attempts: [], events: [] });
  });

  it('answers 503 STORAGE_UNAVAILABLE with Retry-After when storage stays down past the deadline', async () => {
    let calls = 0;
    const t = await setup(
      ctx.open,
      () =>
        new GroupCommitWriter({
          sink: {
            async write() {
              calls++;
              throw new TransientSinkError('connection refused', 'ECONNREFUSED');
            },
          },
          deadlineMs: 200,
          retry: { baseMs: 10, maxMs: 40 },
        }),
    );
    const res = await t.post({ type: 'create_trip_attempted', request_id: 'r' });
    expect(res.status).toBe(503);
    expect(res.headers.get('retry-after')).toMatch(/^\d+$/);
    expect(await res.json()).toMatchObject({ code: 'STORAGE_UNAVAILABLE' });
    expect(calls).toBeGreaterThan(1);
  });
});
