import { beforeAll, expect, it } from 'vitest';
import { createApiKey } from '../../src/auth/index.js';
import { loadConfig } from '../../src/config/index.js';
import { HttpLinkError, linkIdentity as linkOverHttp } from '../../src/http/index.js';
import { silentLogger } from '../../src/logging/index.js';
import { createApp } from '../../src/server/app.js';
import type { Database } from '../../src/storage/index.js';
import { describeOnDatabases } from '../support/databases.js';
import { countsOf, subjectRows, uuid, writeAttempts } from '../support/subjects.js';

const NOW = new Date('2026-11-25T10:00:00Z');

async function setup(database: Database) {
  const app = createApp({ config: loadConfig({ env: {} }), database, logger: silentLogger, now: () => NOW });
  const ingest = (await createApiKey(database, { scope: 'ingest' })).key;
  const admin = (await createApiKey(database, { scope: 'admin' })).key;
  const identify = (body: unknown, key = ingest) =>
    app.request('/v1/identify', {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
  return { app, identify, admin };
}

describeOnDatabases('POST /v1/identify', (ctx) => {
  // Start the engine (PGlite takes seconds on a busy machine) in a hook, not in the first test.
  beforeAll(async () => {
    await ctx.open();
  });

  it('tripmeter/http linkIdentity links through the route and surfaces refusals by code', async () => {
    const database = await ctx.open({ now: NOW });
    const { app } = await setup(database);
    const key = (await createApiKey(database, { scope: 'ingest' })).key;
    const options = {
      endpoint: 'http://tripmeter.test/',
      key,
      fetch: ((input, init) => app.request(String(input), init)) as typeof fetch,
    };
    const [anon, user] = [uuid(), uuid()];
    await writeAttempts(database, { anonSessionId: anon, at: new Date(NOW.getTime() - 60_000) });
    const linked = await linkOverHttp(options, { anonSessionId: anon, userId: user });
    expect(linked.outcome).toBe('linked');
    expect(Object.values(linked.rows_backfilled).reduce((a, b) => a + b, 0)).toBe(3);
    expect((await linkOverHttp(options, { anonSessionId: anon, userId: user })).outcome).toBe(
      'already_linked',
    );
    const conflict = linkOverHttp(options, { anonSessionId: anon, userId: uuid() });
    await expect(conflict).rejects.toBeInstanceOf(HttpLinkError);
    await expect(conflict).rejects.toMatchObject({ status: 409, code: 'ANON_ID_ALREADY_LINKED' });
    await expect(linkOverHttp(options, { anonSessionId: 'guest', userId: user })).rejects.toMatchObject({
      status: 400,
    });
  });

  it('links and backfills, then answers already_linked for the same pair', async () => {
    const database = await ctx.open({ now: NOW });
    const { identify } = await setup(database);
    const [anon, user] = [uuid(), uuid()];
    await writeAttempts(database, { anonSessionId: anon, at: new Date(NOW.getTime() - 3_600_000) });
    const res = await identify({ anon_session_id: anon, user_id: user });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      outcome: 'linked',
      rows_backfilled: countsOf(
        database,
        { 'product.trip_creation_attempts': 1, 'product.trip_creation_events': 2 },
        (t) => t.table.kind !== 'link',
      ),
    });
    expect((await subjectRows(database, database.schema)).every((r) => r.user_id === user)).toBe(true);
    const again = await identify({ anon_session_id: anon, user_id: user });
    expect(await again.json()).toEqual({ outcome: 'already_linked', rows_backfilled: {} });
  });

  it('answers 409 ANON_ID_ALREADY_LINKED for an anonymous id of another user', async () => {
    const database = await ctx.open({ now: NOW });
    const { identify } = await setup(database);
    const anon = uuid();
    await identify({ anon_session_id: anon, user_id: uuid() });
    const res = await identify({ anon_session_id: anon, user_id: uuid() });
    expect(res.status).toBe(409);
    expect(res.headers.get('content-type')).toBe('application/problem+json');
    expect(await res.json()).toMatchObject({
      status: 409,
      code: 'ANON_ID_ALREADY_LINKED',
      errors: [{ field: 'anon_session_id' }],
    });
  });

  it.each([
    [{ anon_session_id: 'guest', user_id: uuid() }, 'RESERVED_ID', 'anon_session_id'],
    [{ anon_session_id: '  ', user_id: uuid() }, 'RESERVED_ID', 'anon_session_id'],
    [{ anon_session_id: uuid(), user_id: '00000000-0000-0000-0000-000000000000' }, 'RESERVED_ID', 'user_id'],
    [{ anon_session_id: uuid(), user_id: 'null' }, 'RESERVED_ID', 'user_id'],
    [{ anon_session_id: 'abc', user_id: uuid() }, 'INVALID_ID', 'anon_session_id'],
    [{ anon_session_id: uuid() }, 'INVALID_BODY', 'user_id'],
    [{ anon_session_id: 5, user_id: uuid() }, 'INVALID_BODY', 'anon_session_id'],
  ])('refuses %j with 400 %s on %s', async (body, code, field) => {
    const database = await ctx.open({ now: NOW });
    const { identify } = await setup(database);
    const res = await identify(body);
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ status: 400, code, errors: [{ field }] });
  });

  it('refuses malformed JSON, a missing key and a key of another scope', async () => {
    const database = await ctx.open({ now: NOW });
    const { identify, admin, app } = await setup(database);
    expect((await (await identify('{nope')).json()).code).toBe('MALFORMED_JSON');
    const anonymous = await app.request('/v1/identify', { method: 'POST', body: '{}' });
    expect(anonymous.status).toBe(401);
    const wrong = await identify({ anon_session_id: uuid(), user_id: uuid() }, admin);
    expect(wrong.status).toBe(403);
    expect((await wrong.json()).code).toBe('FORBIDDEN_SCOPE');
  });
});
