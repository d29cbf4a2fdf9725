import { randomUUID } from 'node:crypto';
import { beforeAll, expect, it } from 'vitest';
import { createApiKey } from '../../src/auth/index.js';
import { loadConfig } from '../../src/config/index.js';
import { deleteSubject, runRetention } from '../../src/lifecycle/index.js';
import { silentLogger } from '../../src/logging/index.js';
import { createApp } from '../../src/server/app.js';
import type { Database } from '../../src/storage/index.js';
import { retryChain, seedAnatomy } from '../support/anatomy.js';
import { describeOnDatabases } from '../support/databases.js';
import { ensurePartitionsBetween } from '../support/ingest.js';

const NOW = new Date('2026-11-25T10:00:00Z');
const MIN = 60_000;
const ago = (ms: number) => new Date(NOW.getTime() - ms);

describeOnDatabases('GET /v1/attempts', (ctx) => {
  let database: Database;
  let app: ReturnType<typeof createApp>;
  let admin: string;
  const get = async (path: string) => {
    const res = await app.request(path, { headers: { authorization: `Bearer ${admin}` } });
    return { status: res.status, type: res.headers.get('content-type') ?? '', body: await res.json() };
  };
  const user = randomUUID();
  const anon = `anon-${randomUUID()}`;

  beforeAll(async () => {
    database = await ctx.open({ now: NOW });
    await ensurePartitionsBetween(database, ago(120 * 86_400_000), NOW);
    app = createApp({ config: loadConfig({ env: {} }), database, logger: silentLogger, now: () => NOW });
    admin = (await createApiKey(database, { scope: 'admin' })).key;
    // The chain of the issue: a timeout, a parse failure, a success on a fallback model.
    await seedAnatomy(database, [
      retryChain(ago(30 * MIN), {
        requestId: 'req-chain',
        tripId: 'trip-chain',
        userId: user,
        anonSessionId: anon,
      }),
      ...Array.from({ length: 5 }, (_, i) => ({
        at: ago((i + 1) * MIN),
        status: 'failed' as const,
        errorCode: 'OPENAI_REQUEST_TIMEOUT',
        model: i % 2 ? 'gpt-5.4' : 'gpt-5.4-mini',
        calls: [{ offsetMs: 0, status: 'failed' as const, costUsd: null }],
      })),
      { at: ago(2 * 86_400_000), flow: 'wizard', version: 'classic_v2' },
      { at: ago(10 * 86_400_000), userId: user, requestId: 'req-old' },
    ]);
  });

  it('lists recent attempts newest first with their totals, and never their text', async () => {
    const { status, body } = await get('/v1/attempts');
    expect(status).toBe(200);
    expect(body.attempts.map((a: { created_at: string }) => a.created_at)).toEqual(
      [...body.attempts.map((a: { created_at: string }) => a.created_at)].sort().reverse(),
    );
    expect(body.attempts).toHaveLength(7); // the one 10 days old is outside the default 7 days
    const chain = body.attempts.find((a: { request_id: string }) => a.request_id === 'req-chain');
    expect(chain).toMatchObject({
      status: 'success',
      trip_id: 'trip-chain',
      calls: 3,
      input_tokens: 3200,
      output_tokens: 1900,
      unpriced_calls: 1,
      provider: 'openai',
      model: 'gpt-5.4-mini',
    });
    expect(chain.cost_usd).toBeCloseTo(0.006, 9);
    for (const key of ['input_snapshot_json', 'effective_defaults_json', 'fingerprint', 'payload_json'])
      expect(Object.keys(chain)).not.toContain(key);
    expect(body.next_cursor).toBeNull();
  });

  it('filters like the panels: status, error code, failure kind, model, version, flow, source', async () => {
    const count = async (q: string) => (await get(`/v1/attempts?${q}`)).body.attempts.length;
    expect(await count('status=failed')).toBe(5);
    expect(await count('status=failed&model=gpt-5.4')).toBe(2);
    expect(await count('error_code=OPENAI_REQUEST_TIMEOUT&failure_kind=timeout')).toBe(5);
    expect(await count('failure_kind=quality')).toBe(0);
    expect(await count('flow=wizard')).toBe(1);
    expect(await count('prompt_contract_version=classic_v2')).toBe(1);
    expect(await count('source=app&provider=openai')).toBe(7);
    expect(await count(`from=${ago(10 * MIN).toISOString()}`)).toBe(5);
  });

  it('looks attempts up by trip, anonymous session or user, across the whole raw history', async () => {
    const ids = async (q: string) =>
      (await get(`/v1/attempts?${q}`)).body.attempts.map((a: { request_id: string }) => a.request_id);
    expect(await ids('trip_id=trip-chain')).toEqual(['req-chain']);
    expect(await ids(`anon_session_id=${anon}`)).toEqual(['req-chain']);
    expect(await ids(`user_id=${user}`)).toEqual(['req-chain', 'req-old']);
  });

  it('pages with a keyset cursor: every attempt once, newest first', async () => {
    const seen: string[] = [];
    let path = '/v1/attempts?limit=2';
    for (let pages = 0; pages < 10; pages++) {
      const { body } = await get(path);
      seen.push(...body.attempts.map((a: { created_at: string }) => a.created_at));
      if (!body.next_cursor) break;
      path = `/v1/attempts?limit=2&cursor=${body.next_cursor}`;
    }
    expect(seen).toHaveLength(7);
    expect(new Set(seen).size).toBe(7);
    expect(seen).toEqual([...seen].sort().reverse());
  });

  it('shows one attempt with its events, calls and phases as offsets from its start', async () => {
    const { status, body } = await get('/v1/attempts/req-chain');
    expect(status).toBe(200);
    expect(body.attempt).toMatchObject({ request_id: 'req-chain', calls: 3, unpriced_calls: 1 });
    expect(
      body.events.map((e: { event_type: string; offset_ms: number }) => [e.event_type, e.offset_ms]),
    ).toEqual([
      ['create_trip_attempted', 0],
      ['create_trip_succeeded', 9000],
    ]);
    expect(
      body.calls.map((c: Record<string, unknown>) => [
        c.call_index,
        c.offset_ms,
        c.model,
        c.status,
        c.retry_reason,
        c.cost_usd,
      ]),
    ).toEqual([
      [0, 100, 'gemini-2.5-flash', 'failed', null, null],
      [1, 5200, 'gpt-5.4', 'failed', 'timeout', 0.004],
      [2, 6800, 'gpt-5.4-mini', 'success', 'parse_failed', 0.002],
    ]);
    expect(body.calls[2]).toMatchObject({
      ttft_ms: 400,
      input_tokens: 1200,
      output_tokens: 900,
      duration_ms: 1800,
    });
    expect(body.phases.map((p: Record<string, unknown>) => [p.phase, p.offset_ms, p.duration_ms])).toEqual([
      ['queue_wait', -250, 250],
      ['provider_call', 100, 8500],
      ['parse', 8600, 120],
      ['persist', 8750, 200],
    ]);
  });

  it('refuses bad queries as problem+json naming the parameter, and answers 404 for an unknown attempt', async () => {
    for (const [q, field] of [
      ['status=done', 'status'],
      ['failure_kind=bored', 'failure_kind'],
      ['user_id=not-a-uuid', 'user_id'],
      ['cursor=bm90LWEtY3Vyc29y', 'cursor'],
      ['limit=0', 'limit'],
      ['prompt=hello', 'prompt'],
      [`from=${NOW.toISOString()}&to=${ago(MIN).toISOString()}`, 'from'],
    ]) {
      const res = await get(`/v1/attempts?${q}`);
      expect(res.status, q).toBe(400);
      expect(res.type).toMatch(/^application\/problem\+json/);
      expect(res.body).toMatchObject({ code: 'INVALID_QUERY' });
      expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
    }
    const missing = await get('/v1/attempts/req-nobody');
    expect(missing.status).toBe(404);
    expect(missing.type).toMatch(/^application\/problem\+json/);
    expect(missing.body.code).toBe('ATTEMPT_NOT_FOUND');
  });
});

describeOnDatabases('GET /v1/attempts after deletion and retention', (ctx) => {
  it('answers 404 once the user is deleted, and forgets attempts past retention', async () => {
    const database = await ctx.open({ now: NOW });
    await ensurePartitionsBetween(database, ago(120 * 86_400_000), NOW);
    const app = createApp({
      config: loadConfig({ env: {} }),
      database,
      logger: silentLogger,
      now: () => NOW,
    });
    const admin = (await createApiKey(database, { scope: 'admin' })).key;
    const get = (path: string) => app.request(path, { headers: { authorization: `Bearer ${admin}` } });
    const user = randomUUID();
    await seedAnatomy(database, [
      {
        at: ago(MIN),
        requestId: 'req-user',
        userId: user,
        calls: [{ offsetMs: 0 }],
        phases: [{ phase: 'parse', offsetMs: 0, durationMs: 5 }],
      },
      { at: ago(100 * 86_400_000), requestId: 'req-ancient', calls: [{ offsetMs: 0 }] },
    ]);
    expect((await get('/v1/attempts/req-user')).status).toBe(200);
    expect((await get('/v1/attempts/req-ancient')).status).toBe(200);

    await deleteSubject(database, { userId: user }, { now: NOW, secret: 'attempts-test-secret-0123456789' });
    expect((await get('/v1/attempts/req-user')).status).toBe(404);
    expect((await (await get(`/v1/attempts?user_id=${user}`)).json()).attempts).toEqual([]);

    await runRetention(database, { now: NOW });
    expect((await get('/v1/attempts/req-ancient')).status).toBe(404);
    const all = await (await get(`/v1/attempts?from=${ago(399 * 86_400_000).toISOString()}`)).json();
    expect(all.attempts).toEqual([]);
  });
});
