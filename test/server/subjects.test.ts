import { beforeAll, expect, it } from 'vitest';
import { createApiKey } from '../../src/auth/index.js';
import { loadConfig } from '../../src/config/index.js';
import { linkIdentity } from '../../src/identity/index.js';
import { subjectHmac } from '../../src/lifecycle/subject-hmac.js';
import { silentLogger } from '../../src/logging/index.js';
import { createApp } from '../../src/server/app.js';
import { describeOnDatabases } from '../support/databases.js';
import { countsOf, scanForIds, uuid, writeAttempts } from '../support/subjects.js';

const NOW = new Date('2026-11-25T10:00:00Z');
const SECRET = 'http-test-secret-0123456789';

describeOnDatabases('DELETE /v1/subjects/…', (ctx) => {
  // Start the engine (PGlite takes seconds on a busy machine) in a hook, not in the first test.
  beforeAll(async () => {
    await ctx.open();
  });

  it('deletes a user and its linked anonymous ids, answers the receipt, is idempotent', async () => {
    const database = await ctx.open({ now: NOW });
    const config = loadConfig({ env: { TRIPMETER_SECRET: SECRET } });
    const app = createApp({ config, database, logger: silentLogger, now: () => NOW });
    const admin = (await createApiKey(database, { scope: 'admin' })).key;
    const [anon, user] = [uuid(), uuid()];
    await writeAttempts(database, { anonSessionId: anon, at: NOW, count: 2 });
    await linkIdentity(database, { anonSessionId: anon, userId: user }, { now: NOW });
    const del = () =>
      app.request(`/v1/subjects/users/${user}`, {
        method: 'DELETE',
        headers: { authorization: `Bearer ${admin}` },
      });
    const res = await del();
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      receipt_id: expect.any(String),
      subject_kind: 'user',
      subject_hmac: subjectHmac(SECRET, 'user', user),
      counts: countsOf(database, {
        'product.trip_creation_attempts': 2,
        'product.trip_creation_events': 4,
        'product.identity_links': 1,
      }),
      requested_at: NOW.toISOString(),
      completed_at: expect.any(String),
    });
    expect(await scanForIds(database, [user, anon])).toEqual([]);
    const again = await (await del()).json();
    expect(again.counts).toEqual(countsOf(database, {}));
  });

  it('deletes an anonymous id', async () => {
    const database = await ctx.open({ now: NOW });
    const app = createApp({
      config: loadConfig({ env: {} }),
      database,
      logger: silentLogger,
      now: () => NOW,
    });
    const admin = (await createApiKey(database, { scope: 'admin' })).key;
    const anon = uuid();
    await writeAttempts(database, { anonSessionId: anon, at: NOW });
    const res = await app.request(`/v1/subjects/anon/${anon}`, {
      method: 'DELETE',
      headers: { authorization: `Bearer ${admin}` },
    });
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body).toMatchObject({ subject_kind: 'anon', counts: { 'product.trip_creation_attempts': 1 } });
    expect(body.subject_hmac).toMatch(/^[0-9a-f]{64}$/);
    expect(await scanForIds(database, [anon])).toEqual([]);
  });

  it('needs an admin key and refuses reserved ids with 400 RESERVED_ID', async () => {
    const database = await ctx.open({ now: NOW });
    const app = createApp({
      config: loadConfig({ env: {} }),
      database,
      logger: silentLogger,
      now: () => NOW,
    });
    const ingest = (await createApiKey(database, { scope: 'ingest' })).key;
    const admin = (await createApiKey(database, { scope: 'admin' })).key;
    const forbidden = await app.request(`/v1/subjects/users/${uuid()}`, {
      method: 'DELETE',
      headers: { authorization: `Bearer ${ingest}` },
    });
    expect(forbidden.status).toBe(403);
    const none = await app.request(`/v1/subjects/users/${uuid()}`, { method: 'DELETE' });
    expect(none.status).toBe(401);
    for (const [path, code, field] of [
      ['/v1/subjects/users/00000000-0000-0000-0000-000000000000', 'RESERVED_ID', 'user_id'],
      ['/v1/subjects/anon/guest', 'RESERVED_ID', 'anon_session_id'],
      ['/v1/subjects/anon/null', 'RESERVED_ID', 'anon_session_id'],
      ['/v1/subjects/users/not-a-uuid', 'INVALID_ID', 'user_id'],
    ]) {
      const res = await app.request(path!, {
        method: 'DELETE',
        headers: { authorization: `Bearer ${admin}` },
      });
      expect(res.status, path).toBe(400);
      expect(res.headers.get('content-type')).toBe('application/problem+json');
      expect(await res.json()).toMatchObject({ code, errors: [{ field }] });
    }
  });
});
