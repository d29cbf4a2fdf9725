import fc from 'fast-check';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createApiKey } from '../../src/auth/index.js';
import { loadConfig } from '../../src/config/index.js';
import { GroupCommitWriter } from '../../src/ingest/index.js';
import { silentLogger } from '../../src/logging/index.js';
import { createApp } from '../../src/server/app.js';
import { type Database, migrate } from '../../src/storage/index.js';
import { PostgresSink } from '../../src/store/postgres-sink.js';
import { openTestDatabase } from '../support/databases.js';

const NOW = new Date('2026-11-25T10:00:00Z');
const ORIGIN = 'https://app.example.com';
const ANON = '2f1c7a52-9b7e-4c41-8f0e-0c3b8d1a6e55';
const USER = '7d0c7d3e-5a55-4f0e-9c3f-1f2d3c4b5a69';
const RUNS_PER_ROUTE = 3_334; // × 3 routes: 10,002 bodies

const pgUrl = inject('pgUrl');
const TABLES = [
  'trip_creation_events',
  'trip_creation_attempts',
  'trip_creation_client_events',
  'identity_links',
];

/** Values of the wrong type or out of range for every field. */
const wrong = fc.oneof(
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.jsonValue(), { maxLength: 4 }),
  fc.dictionary(fc.string(), fc.jsonValue(), { maxKeys: 4 }),
  fc.integer({ min: 10_001, max: 70_000 }).map((n) => 'x'.repeat(n)),
  fc.constantFrom('\u0000', 'a\ud800b', '\udfff'),
);

/** Strings that no id, name, time or label accepts (unicode edge cases, spaces, control characters). */
const badLabel = fc.oneof(
  fc.constantFrom('', '\u202e', '\ufeff', '𝔘𝔫𝔦𝔠𝔬𝔡𝔢', 'ﷺ'.repeat(200), 'e\u0301'.repeat(300), '🧳 ✈️', ' '),
  fc.string({ unit: 'binary', maxLength: 64 }).filter((v) => !/^[\x21-\x7e]{1,128}$/.test(v)),
);

/** A value nested `depth` deep (arrays and objects mixed). */
const deep = fc.integer({ min: 33, max: 2_000 }).map((depth) => {
  let value: unknown = 1;
  for (let i = 0; i < depth; i++) value = i % 2 === 0 ? [value] : { a: value };
  return value;
});

const PROTO_KEYS = ['__proto__', 'constructor', 'prototype'];
/** A valid body with a prototype-polluting key spliced into the JSON text (so it is an own key). */
const withProtoKey = (valid: Record<string, unknown>, key: string) =>
  `${JSON.stringify(valid).slice(0, -1)},"${key}":{"polluted":true,"prototype":{"polluted":true}}}`;

/** Turns a valid body into an invalid one: one field wrong, an unknown key, deep nesting, or proto keys. */
function invalidBodies(
  valid: Record<string, unknown>,
  fields: string[],
  formatted: string[],
  nest: (v: unknown) => unknown,
) {
  const put = ([field, value]: [string, unknown]) => JSON.stringify(nest({ ...valid, [field]: value }));
  return fc.oneof(
    fc.tuple(fc.constantFrom(...fields), wrong).map(put),
    fc.tuple(fc.constantFrom(...formatted), badLabel).map(put),
    fc.constantFrom(...PROTO_KEYS).map((key) => withProtoKey(nest(valid) as Record<string, unknown>, key)),
    deep.map((value) => JSON.stringify(nest({ ...valid, input_snapshot: value, props: value }))),
    fc
      .jsonValue()
      .filter((v) => typeof v !== 'object' || v === null || Array.isArray(v))
      .map((v) => JSON.stringify(v)),
    fc.string({ unit: 'grapheme', maxLength: 200 }),
  );
}

(pgUrl ? describe : describe.skip)('drill: fuzzed bodies on PostgreSQL', () => {
  let database: Database;
  let app: ReturnType<typeof createApp>;
  const keys = { ingest: '', site: '' };

  beforeAll(async () => {
    database = await openTestDatabase('postgres', pgUrl);
    await migrate(database, NOW);
    keys.ingest = (await createApiKey(database, { scope: 'ingest' })).key;
    keys.site = (await createApiKey(database, { scope: 'site', origins: [ORIGIN] })).key;
    const config = loadConfig({ env: { TRIPMETER_RATE_LIMIT_KEY_PER_SECOND: '0' } });
    app = createApp({
      config,
      database,
      logger: silentLogger,
      now: () => NOW,
      ingestWriter: new GroupCommitWriter({ sink: new PostgresSink(database) }),
    });
  });
  afterAll(() => database?.close());

  const rowCount = async () => {
    let total = 0;
    for (const table of TABLES)
      total += Number(
        (
          await sql<{
            n: string;
          }>`SELECT count(*) AS n FROM ${sql.table(`${database.schema}.${table}`)}`.execute(database.db)
        ).rows[0]!.n,
      );
    return total;
  };

  const routes: {
    path: string;
    valid: Record<string, unknown>;
    fields: string[];
    formatted: string[];
    nest: (v: unknown) => unknown;
    type: string;
  }[] = [
    {
      path: '/v1/events',
      valid: { type: 'create_trip_attempted', request_id: 'fz-1', anon_session_id: ANON, provider: 'openai' },
      fields: [
        'type',
        'request_id',
        'anon_session_id',
        'user_id',
        'occurred_at',
        'duration_ms',
        'http_status',
        'source',
        'error_code',
        'error_message',
      ],
      // Not error_code: a code of any shape is stored normalised (`TypeError` → TYPE_ERROR), by design.
      formatted: ['type', 'request_id', 'anon_session_id', 'user_id', 'occurred_at', 'source'],
      nest: (v) => v,
      type: 'application/json',
    },
    {
      path: '/v1/client-events',
      valid: {
        name: 'create_trip__cta--generate',
        anon_session_id: ANON,
        occurred_at: NOW.toISOString(),
        props: { provider: 'x' },
      },
      fields: ['name', 'anon_session_id', 'occurred_at', 'id'],
      formatted: ['name', 'anon_session_id', 'occurred_at', 'id'],
      nest: (v) => ({ events: [v] }),
      type: 'text/plain',
    },
    {
      path: '/v1/identify',
      valid: { anon_session_id: ANON, user_id: USER },
      fields: ['anon_session_id', 'user_id'],
      formatted: ['anon_session_id', 'user_id'],
      nest: (v) => v,
      type: 'application/json',
    },
  ];

  it.each(routes)(
    '$path: 0 answers 5xx, 0 rows, no prototype pollution',
    async ({ path, valid, fields, formatted, nest, type }) => {
      const statuses = new Map<number, number>();
      const fiveXx: string[] = [];
      const auth = path === '/v1/client-events' ? keys.site : keys.ingest;
      await fc.assert(
        fc.asyncProperty(invalidBodies(valid, fields, formatted, nest), async (body) => {
          const res = await app.request(path, {
            method: 'POST',
            headers: { authorization: `Bearer ${auth}`, 'content-type': type, origin: ORIGIN },
            body,
          });
          await res.arrayBuffer();
          statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
          if (res.status >= 500) fiveXx.push(body.slice(0, 200));
          return res.status >= 400 && res.status < 500;
        }),
        { numRuns: RUNS_PER_ROUTE, seed: 9 },
      );
      expect(fiveXx).toEqual([]);
      expect(await rowCount()).toBe(0);
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
      expect((Object.prototype as Record<string, unknown>).polluted).toBeUndefined();
      expect([...statuses.keys()].every((s) => s >= 400 && s < 500)).toBe(true);
    },
  );

  it('stores unicode edge cases in free text as data, refuses NUL and lone surrogates, never 5xx', async () => {
    const texts = [
      '\u0000nul',
      'lone \ud800 surrogate',
      '\udfff',
      '\u202e rtl',
      '\ufeffbom',
      '𝔘𝔫𝔦𝔠𝔬𝔡𝔢 🧳✈️',
      'e\u0301',
    ];
    const statuses: number[] = [];
    for (const [i, text] of texts.entries()) {
      const res = await app.request('/v1/events', {
        method: 'POST',
        headers: { authorization: `Bearer ${keys.ingest}`, 'content-type': 'application/json' },
        body: JSON.stringify({
          type: 'create_trip_failed',
          request_id: `uv-${i}`,
          error_code: 'X_FAILED',
          trip_id: text,
          provider: text,
        }),
      });
      statuses.push(res.status);
    }
    expect(statuses).toEqual([400, 400, 400, 202, 202, 202, 202]);
    const stored = await sql<{ trip_id: string; provider: string }>`SELECT trip_id, provider FROM ${sql.table(
      `${database.schema}.trip_creation_attempts`,
    )} WHERE request_id LIKE 'uv-%' ORDER BY request_id`.execute(database.db);
    expect(stored.rows.map((r) => r.trip_id)).toEqual(texts.slice(3));
    expect(stored.rows.map((r) => r.provider)).toEqual(texts.slice(3));
  });
});
