import { sql } from 'kysely';
import { beforeAll, expect, it } from 'vitest';
import { createApiKey, revokeApiKey } from '../../src/auth/index.js';
import { loadConfig } from '../../src/config/index.js';
import { silentLogger } from '../../src/logging/index.js';
import { createApp } from '../../src/server/app.js';
import type { Database } from '../../src/storage/index.js';
import { describeOnDatabases } from '../support/databases.js';

const NOW = new Date('2026-11-25T10:00:00Z');
const ORIGIN = 'https://app.example.com';
const ANON = '2f1c7a52-9b7e-4c41-8f0e-0c3b8d1a6e55';
const USER = '7d0c7d3e-5a55-4f0e-9c3f-1f2d3c4b5a69';
const PATH = '/v1/client-events';

const at = (msAgo: number) => new Date(NOW.getTime() - msAgo).toISOString();
const uuid = (i: number) => `6a1e2b3c-4d5e-4f60-8a7b-${String(i).padStart(12, '0')}`;

const cta = (i: number, extra: Record<string, unknown> = {}) => ({
  id: uuid(i),
  name: 'create_trip__cta--generate',
  anon_session_id: ANON,
  occurred_at: at(60_000 - i),
  props: { destination_count: 2, date_mode: 'flex', route_lock: false, round_trip: true, provider: 'openai' },
  ...extra,
});

interface Problem {
  code: string;
  errors?: { index?: number; field: string; message: string }[];
}

describeOnDatabases('POST /v1/client-events', (ctx) => {
  let database: Database;
  let siteKey: string;
  let otherSiteKey: string;
  let ingestKey: string;
  let app: ReturnType<typeof createApp>;

  beforeAll(async () => {
    database = await ctx.open({ now: NOW });
    siteKey = (await createApiKey(database, { scope: 'site', origins: [ORIGIN, 'http://localhost:5173'] }))
      .key;
    otherSiteKey = (await createApiKey(database, { scope: 'site', origins: ['https://other.example.com'] }))
      .key;
    ingestKey = (await createApiKey(database, { scope: 'ingest' })).key;
    app = createApp({ config: loadConfig(), database, logger: silentLogger, now: () => NOW });
  });

  const post = (body: unknown, headers: Record<string, string> = {}) =>
    app.request(PATH, {
      method: 'POST',
      headers: { 'content-type': 'text/plain;charset=UTF-8', origin: ORIGIN, ...headers },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });

  const table = () => sql.table(`${database.schema}.trip_creation_client_events`);
  const rows = async () =>
    (
      await sql<{
        id: string;
        created_at: Date;
        anon_session_id: string;
        user_id: string | null;
        name: string;
        props: Record<string, unknown>;
      }>`SELECT * FROM ${table()} ORDER BY created_at, id`.execute(database.db)
    ).rows;
  const clear = () => sql`DELETE FROM ${table()}`.execute(database.db);

  it('stores a text/plain batch with the site key in the body and answers 202 with CORS headers', async () => {
    await clear();
    const toggle = {
      name: 'create_trip__toggle--roundtrip',
      anon_session_id: ANON.toUpperCase(),
      occurred_at: at(1000),
      props: { enabled: true },
    };
    const res = await post({ site_key: siteKey, events: [cta(1), toggle] });
    expect(res.status).toBe(202);
    expect(await res.json()).toEqual({ accepted: 2, duplicates: 0, rejected: [] });
    expect(res.headers.get('access-control-allow-origin')).toBe(ORIGIN);
    expect(res.headers.get('vary')).toMatch(/Origin/);
    const stored = await rows();
    expect(stored).toHaveLength(2);
    expect(stored[0]).toMatchObject({
      id: uuid(1),
      anon_session_id: ANON,
      user_id: null,
      name: 'create_trip__cta--generate',
      props: cta(1).props,
    });
    expect(new Date(stored[0]!.created_at).toISOString()).toBe(cta(1).occurred_at);
    expect(stored[1]).toMatchObject({ anon_session_id: ANON, name: toggle.name, props: { enabled: true } });
    expect(stored[1]!.id).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('accepts application/json with the key in Authorization: Bearer', async () => {
    await clear();
    const res = await post(
      { events: [cta(2)] },
      { 'content-type': 'application/json', authorization: `Bearer ${siteKey}` },
    );
    expect(res.status).toBe(202);
    expect(await rows()).toHaveLength(1);
  });

  it('redacts string props before storing them', async () => {
    await clear();
    const expand = {
      name: 'create_trip__section--expand',
      anon_session_id: ANON,
      occurred_at: at(5000),
      props: { section_id: 'mail jane.doe@example.com or call +49 170 1234567', expanded: true, extra: null },
    };
    expect((await post({ site_key: siteKey, events: [expand] })).status).toBe(202);
    expect((await rows())[0]!.props).toEqual({
      section_id: 'mail [email] or call [phone]',
      expanded: true,
      extra: null,
    });
  });

  it('stores a resent batch once: by event id, else by session, name and time', async () => {
    await clear();
    const withIds = { site_key: siteKey, events: [cta(3), cta(4)] };
    expect(await (await post(withIds)).json()).toEqual({ accepted: 2, duplicates: 0, rejected: [] });
    expect(await (await post(withIds)).json()).toEqual({ accepted: 0, duplicates: 2, rejected: [] });
    const { id: _a, ...noId } = cta(5);
    const withoutIds = { site_key: siteKey, events: [noId, noId] };
    expect(await (await post(withoutIds)).json()).toEqual({ accepted: 1, duplicates: 1, rejected: [] });
    expect(await (await post(withoutIds)).json()).toEqual({ accepted: 0, duplicates: 2, rejected: [] });
    const mixed = { site_key: siteKey, events: [cta(3), cta(6), cta(6)] };
    expect(await (await post(mixed)).json()).toEqual({ accepted: 1, duplicates: 2, rejected: [] });
    expect(await rows()).toHaveLength(4);
  });

  it('gives rows of an anonymous session linked to a user that user id', async () => {
    await clear();
    const linked = '3b4c5d6e-7f80-4912-a3b4-c5d6e7f80912';
    await sql`INSERT INTO ${sql.table(`${database.schema}.identity_links`)} (id, anon_session_id, user_id, outcome)
      VALUES (${uuid(99)}, ${linked}, ${USER}, 'linked')`.execute(database.db);
    const res = await post({ site_key: siteKey, events: [cta(7, { anon_session_id: linked }), cta(8)] });
    expect(res.status).toBe(202);
    const stored = await rows();
    expect(stored.find((r) => r.anon_session_id === linked)?.user_id).toBe(USER);
    expect(stored.find((r) => r.anon_session_id === ANON)?.user_id).toBeNull();
  });

  const many = (n: number) => Array.from({ length: n }, (_, i) => cta(100 + i));
  const refusals: [
    string,
    () => Response | Promise<Response>,
    number,
    string,
    { index?: number; field: string }?,
  ][] = [
    ['no key', () => post({ events: [cta(9)] }), 401, 'UNAUTHORIZED'],
    [
      'an unknown key',
      () => post({ site_key: `tm_site_${'x'.repeat(43)}`, events: [cta(9)] }),
      401,
      'UNAUTHORIZED',
    ],
    ['a key of another scope', () => post({ site_key: ingestKey, events: [cta(9)] }), 403, 'FORBIDDEN_SCOPE'],
    [
      'another origin',
      () => post({ site_key: siteKey, events: [cta(9)] }, { origin: 'https://evil.example' }),
      403,
      'ORIGIN_NOT_ALLOWED',
    ],
    [
      'no origin',
      () =>
        app.request(PATH, {
          method: 'POST',
          headers: { 'content-type': 'text/plain' },
          body: JSON.stringify({ site_key: siteKey, events: [cta(9)] }),
        }),
      403,
      'ORIGIN_NOT_ALLOWED',
    ],
    [
      'another site key’s origin',
      () => post({ site_key: otherSiteKey, events: [cta(9)] }),
      403,
      'ORIGIN_NOT_ALLOWED',
    ],
    [
      'an unknown event name',
      () => post({ site_key: siteKey, events: [cta(10, { name: 'checkout__cta--pay' })] }),
      422,
      'UNKNOWN_EVENT',
      { index: 0, field: 'events[0].name' },
    ],
    [
      'a nested prop',
      () => post({ site_key: siteKey, events: [cta(9, { props: { deep: { a: 1 } } })] }),
      422,
      'INVALID_EVENTS',
      { index: 0, field: 'events[0].props.deep' },
    ],
    [
      'more than 50 props',
      () =>
        post({
          site_key: siteKey,
          events: [cta(9, { props: Object.fromEntries(many(51).map((_, i) => [`k${i}`, i])) })],
        }),
      422,
      'INVALID_EVENTS',
      { index: 0, field: 'events[0].props' },
    ],
    [
      'a prop string over 500 characters',
      () => post({ site_key: siteKey, events: [cta(10, { props: { model: 'm'.repeat(501) } })] }),
      422,
      'INVALID_EVENTS',
      { index: 0, field: 'events[0].props.model' },
    ],
    [
      'a placeholder anon_session_id',
      () =>
        post({
          site_key: siteKey,
          events: [cta(9, { anon_session_id: '00000000-0000-0000-0000-000000000000' })],
        }),
      422,
      'INVALID_EVENTS',
      { index: 0, field: 'events[0].anon_session_id' },
    ],
    [
      'an occurred_at older than 7 days',
      () => post({ site_key: siteKey, events: [cta(9, { occurred_at: at(8 * 86_400_000) })] }),
      422,
      'INVALID_EVENTS',
      { index: 0, field: 'events[0].occurred_at' },
    ],
    [
      'an occurred_at 10 minutes ahead',
      () => post({ site_key: siteKey, events: [cta(9, { occurred_at: at(-600_000) })] }),
      422,
      'INVALID_EVENTS',
      { index: 0, field: 'events[0].occurred_at' },
    ],
    [
      'a malformed id',
      () => post({ site_key: siteKey, events: [cta(9, { id: 'evt-1' })] }),
      422,
      'INVALID_EVENTS',
      { index: 0, field: 'events[0].id' },
    ],
    ['no events', () => post({ site_key: siteKey, events: [] }), 422, 'INVALID_EVENTS', { field: 'events' }],
    [
      'more than 50 events',
      () => post({ site_key: siteKey, events: many(51) }),
      422,
      'TOO_MANY_EVENTS',
      { field: 'events' },
    ],
    [
      'a body over 64 KB',
      () => post({ site_key: siteKey, events: [cta(9)], pad: 'x'.repeat(65 * 1024) }),
      413,
      'BODY_TOO_LARGE',
    ],
    ['malformed JSON', () => post(`{"site_key":"${'k'}", "events": [`), 400, 'MALFORMED_JSON'],
    [
      'another content type',
      () =>
        post(
          { site_key: siteKey, events: [cta(9)] },
          { 'content-type': 'application/x-www-form-urlencoded' },
        ),
      415,
      'UNSUPPORTED_MEDIA_TYPE',
    ],
  ];

  it.each(refusals)(
    'refuses %s with problem+json and stores nothing',
    async (_what, send, status, code, problem) => {
      await clear();
      const res = await send();
      expect(res.status).toBe(status);
      expect(res.headers.get('content-type')).toBe('application/problem+json');
      const body = (await res.json()) as Problem;
      expect(body.code).toBe(code);
      if (problem) expect(body.errors).toContainEqual(expect.objectContaining(problem));
      if (status === 401) expect(res.headers.get('www-authenticate')).toBe('Bearer');
      expect(await rows()).toHaveLength(0);
    },
  );

  it('reports every bad event of a refused batch with its index and field', async () => {
    await clear();
    const res = await post({
      site_key: siteKey,
      events: [cta(12, { name: 'nope__x' }), cta(13, { props: { a: [1] }, anon_session_id: 'guest' })],
    });
    expect(res.status).toBe(422);
    const body = (await res.json()) as Problem;
    expect(body.code).toBe('UNKNOWN_EVENT');
    expect(body.errors?.map((e) => [e.index, e.field])).toEqual([
      [0, 'events[0].name'],
      [1, 'events[1].anon_session_id'],
      [1, 'events[1].props.a'],
    ]);
    expect(await rows()).toHaveLength(0);
  });

  it('stores the valid events of a batch and answers which were rejected and why', async () => {
    await clear();
    const res = await post({
      site_key: siteKey,
      events: [
        cta(11),
        cta(12, { name: 'checkout__cta--pay' }),
        cta(13, { props: { a: [1] }, anon_session_id: 'guest' }),
        cta(14, {
          name: 'create_trip_wizard__cta--generate',
          props: { branch: 'inspire', destination_count: 1 },
        }),
      ],
    });
    expect(res.status).toBe(202);
    expect(await res.json()).toEqual({
      accepted: 2,
      duplicates: 0,
      rejected: [
        { index: 1, code: 'UNKNOWN_EVENT', field: 'events[1].name', message: expect.any(String) },
        { index: 2, code: 'INVALID_EVENT', field: 'events[2].anon_session_id', message: expect.any(String) },
        { index: 2, code: 'INVALID_EVENT', field: 'events[2].props.a', message: expect.any(String) },
      ],
    });
    expect((await rows()).map((r) => r.name)).toEqual([
      'create_trip__cta--generate',
      'create_trip_wizard__cta--generate',
    ]);
  });

  it('stores a real mirror batch of the app: its extended catalog and the wizard CTA', async () => {
    await clear();
    // As src/client/mirror.ts sends it: text/plain JSON, the key in the body, an id per event.
    const names = [
      'create_trip__model--select',
      'create_trip__cta--blocked_offline',
      'create_trip__cta--redirect_login',
      'create_trip__cta--queue_pending_auth',
      'create_trip__destination_recommendation--select',
      'create_trip__ai_request--failed',
      'create_trip__ai_request--success',
      'create_trip_wizard__cta--generate',
      'create_trip__cta--generate',
    ];
    const events = names.map((name, i) =>
      cta(20 + i, { name, props: { provider: 'openai', model: 'gpt-5.4' } }),
    );
    const res = await post({ site_key: siteKey, events });
    expect(await res.json()).toEqual({ accepted: names.length, duplicates: 0, rejected: [] });
    expect((await rows()).map((r) => r.name).sort()).toEqual([...names].sort());
  });

  it('accepts the prefixes of clientEventPrefixes instead of the defaults', async () => {
    await clear();
    const custom = createApp({
      config: loadConfig({ env: { TRIPMETER_CLIENT_EVENT_PREFIXES: 'checkout__, create_trip__' } }),
      database,
      logger: silentLogger,
      now: () => NOW,
    });
    const res = await custom.request(PATH, {
      method: 'POST',
      headers: { 'content-type': 'text/plain;charset=UTF-8', origin: ORIGIN },
      body: JSON.stringify({
        site_key: siteKey,
        events: [
          cta(30, { name: 'checkout__cta--pay' }),
          cta(31, { name: 'create_trip_wizard__step--next' }),
        ],
      }),
    });
    const body = (await res.json()) as { accepted: number; rejected: { index: number; code: string }[] };
    expect(body.accepted).toBe(1);
    expect(body.rejected).toMatchObject([{ index: 1, code: 'UNKNOWN_EVENT' }]);
    expect(() => loadConfig({ env: { TRIPMETER_CLIENT_EVENT_PREFIXES: 'Checkout' } })).toThrow(
      /clientEventPrefixes/,
    );
  });

  it('answers the CORS preflight for origins of active site keys only', async () => {
    const preflight = (origin: string) =>
      app.request(PATH, {
        method: 'OPTIONS',
        headers: {
          origin,
          'access-control-request-method': 'POST',
          'access-control-request-headers': 'content-type',
        },
      });
    const allowed = await preflight('http://localhost:5173');
    expect(allowed.status).toBe(204);
    expect(allowed.headers.get('access-control-allow-origin')).toBe('http://localhost:5173');
    expect(allowed.headers.get('access-control-allow-methods')).toMatch(/POST/);
    expect(allowed.headers.get('access-control-allow-headers')).toMatch(/Content-Type/i);
    expect(allowed.headers.get('vary')).toMatch(/Origin/);

    const refused = await preflight('https://evil.example');
    expect(refused.status).toBe(403);
    expect(refused.headers.get('access-control-allow-origin')).toBeNull();
    expect(((await refused.json()) as Problem).code).toBe('ORIGIN_NOT_ALLOWED');

    // A refused POST from an unknown origin carries no CORS header either; from a site origin it does.
    const evil = await post({ site_key: 'nope', events: [cta(14)] }, { origin: 'https://evil.example' });
    expect(evil.headers.get('access-control-allow-origin')).toBeNull();
    const known = await post({ site_key: 'nope', events: [cta(14)] });
    expect(known.status).toBe(401);
    expect(known.headers.get('access-control-allow-origin')).toBe(ORIGIN);

    // Other routes get no CORS headers.
    const health = await app.request('/healthz', { headers: { origin: ORIGIN } });
    expect(health.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('gives a 403 no CORS header, even from an origin of another site key', async () => {
    await clear();
    // otherSiteKey belongs to other.example.com; ORIGIN is a site origin, but not this key's.
    const refused = await post({ site_key: otherSiteKey, events: [cta(15)] });
    expect(refused.status).toBe(403);
    expect(((await refused.json()) as Problem).code).toBe('ORIGIN_NOT_ALLOWED');
    expect(refused.headers.get('access-control-allow-origin')).toBeNull();
    const scoped = await post({ events: [cta(15)] }, { authorization: `Bearer ${ingestKey}` });
    expect(scoped.status).toBe(403);
    expect(scoped.headers.get('access-control-allow-origin')).toBeNull();
    expect(await rows()).toHaveLength(0);
  });

  it('checks a key in Authorization, or the origin, before reading the body', async () => {
    let read = false;
    /** A body that records whether anyone started reading it. */
    const body = () =>
      new ReadableStream<Uint8Array>(
        {
          pull(controller) {
            read = true;
            controller.enqueue(
              new TextEncoder().encode(JSON.stringify({ site_key: siteKey, events: [cta(16)] })),
            );
            controller.close();
          },
        },
        { highWaterMark: 0 },
      );
    const send = (headers: Record<string, string>) =>
      app.request(PATH, {
        method: 'POST',
        headers: { 'content-type': 'text/plain', ...headers },
        body: body(),
        duplex: 'half',
      } as RequestInit);
    const cases: [Record<string, string>, number, string][] = [
      [{ origin: ORIGIN, authorization: `Bearer tm_site_${'x'.repeat(43)}` }, 401, 'UNAUTHORIZED'],
      [{ origin: ORIGIN, authorization: `Bearer ${ingestKey}` }, 403, 'FORBIDDEN_SCOPE'],
      [{ origin: ORIGIN, authorization: `Bearer ${otherSiteKey}` }, 403, 'ORIGIN_NOT_ALLOWED'],
      [{ origin: 'https://evil.example' }, 403, 'ORIGIN_NOT_ALLOWED'],
      [{}, 403, 'ORIGIN_NOT_ALLOWED'],
    ];
    for (const [headers, status, code] of cases) {
      read = false;
      const res = await send(headers);
      expect(res.status, JSON.stringify(headers)).toBe(status);
      expect(((await res.json()) as Problem).code).toBe(code);
      expect(read, `body read for ${JSON.stringify(headers)}`).toBe(false);
    }
    // A beacon from a site origin: the key is in the body, so the body is read.
    read = false;
    await clear();
    expect((await send({ origin: ORIGIN })).status).toBe(202);
    expect(read).toBe(true);
  });

  it('stops answering the preflight of an origin once its only site key is revoked', async () => {
    const origin = 'https://revoked.example.com';
    const { id } = await createApiKey(database, { scope: 'site', origins: [origin] });
    const preflight = () => app.request(PATH, { method: 'OPTIONS', headers: { origin } });
    expect((await preflight()).status).toBe(204);
    await revokeApiKey(database, id);
    expect((await preflight()).status).toBe(403);
  });
});
