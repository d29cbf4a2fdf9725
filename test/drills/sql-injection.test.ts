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
const pgUrl = inject('pgUrl');

/** Classic injection payloads (with and without spaces, quotes, comments, dollar quoting). */
const PAYLOADS = [
  "'; DROP TABLE trip_creation_events; --",
  "' OR '1'='1",
  "x');DELETE/**/FROM/**/api_keys;--",
  '$$; TRUNCATE trip_creation_attempts; $$',
  "\\'; SELECT pg_sleep(5); --",
  '"; DROP SCHEMA public CASCADE; --',
  "1; UPDATE api_keys SET revoked_at = now() WHERE '1'='1",
];
const noSpaces = (p: string, i: number) => `sqli-${i}-${p.replace(/\s+/g, '')}`.slice(0, 128);

(pgUrl ? describe : describe.skip)('drill: SQL injection strings on PostgreSQL', () => {
  let database: Database;
  let app: ReturnType<typeof createApp>;
  const keys = { ingest: '', site: '', admin: '' };

  beforeAll(async () => {
    database = await openTestDatabase('postgres', pgUrl);
    await migrate(database, NOW);
    keys.ingest = (await createApiKey(database, { scope: 'ingest' })).key;
    keys.site = (await createApiKey(database, { scope: 'site', origins: [ORIGIN] })).key;
    keys.admin = (await createApiKey(database, { scope: 'admin' })).key;
    app = createApp({
      config: loadConfig({ env: {} }),
      database,
      logger: silentLogger,
      now: () => NOW,
      ingestWriter: new GroupCommitWriter({ sink: new PostgresSink(database) }),
    });
  });
  afterAll(() => database?.close());

  const tables = async () =>
    (
      await sql<{
        name: string;
      }>`SELECT table_name AS name FROM information_schema.tables WHERE table_schema = ${database.schema} ORDER BY 1`.execute(
        database.db,
      )
    ).rows.map((r) => r.name);
  const post = (path: string, key: string, body: unknown, type = 'application/json') =>
    app.request(path, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': type, origin: ORIGIN },
      body: JSON.stringify(body),
    });

  it('stores every payload as data or refuses it (4xx), and every table survives', async () => {
    const before = await tables();
    const statuses: number[] = [];
    for (const [i, payload] of PAYLOADS.entries()) {
      const requestId = noSpaces(payload, i);
      const stored = await post('/v1/events', keys.ingest, {
        type: 'create_trip_failed',
        request_id: requestId,
        error_code: 'X_FAILED',
        error_message: payload,
        trip_id: payload.slice(0, 128),
        provider: payload.slice(0, 128),
        model: payload.slice(0, 128),
        input_snapshot: { destinationPrompt: payload },
      });
      statuses.push(stored.status);
      expect(stored.status).toBe(202);
      // Fields with formats refuse the payload (4xx), never 5xx.
      for (const field of [
        'source',
        'prompt_contract_version',
        'error_code',
        'anon_session_id',
        'occurred_at',
        'type',
      ])
        statuses.push(
          (
            await post('/v1/events', keys.ingest, {
              type: 'create_trip_attempted',
              request_id: `f-${i}`,
              [field]: payload,
            })
          ).status,
        );
      statuses.push(
        (await post('/v1/identify', keys.ingest, { anon_session_id: payload, user_id: payload })).status,
      );
      statuses.push(
        (
          await post(
            '/v1/client-events',
            keys.site,
            {
              events: [
                {
                  id: `6a1e2b3c-4d5e-4f60-8a7b-${String(i).padStart(12, '0')}`,
                  name: 'create_trip__cta--generate',
                  anon_session_id: ANON,
                  occurred_at: NOW.toISOString(),
                  props: { provider: payload },
                },
              ],
            },
            'text/plain',
          )
        ).status,
      );
      statuses.push(
        (
          await app.request(`/v1/metrics/summary?provider=${encodeURIComponent(payload)}`, {
            headers: { authorization: `Bearer ${keys.admin}` },
          })
        ).status,
      );
      statuses.push(
        (
          await app.request(`/v1/subjects/users/${encodeURIComponent(payload)}`, {
            method: 'DELETE',
            headers: { authorization: `Bearer ${keys.admin}` },
          })
        ).status,
      );
    }
    expect(statuses.filter((s) => s >= 500)).toEqual([]);
    expect(await tables()).toEqual(before);

    const attempts = await sql<{
      request_id: string;
      trip_id: string;
      provider: string;
      model: string;
    }>`
      SELECT request_id, trip_id, provider, model FROM ${sql.table(`${database.schema}.trip_creation_attempts`)}
      WHERE request_id LIKE 'sqli-%' ORDER BY request_id`.execute(database.db);
    expect(attempts.rows).toHaveLength(PAYLOADS.length);
    const byId = new Map(attempts.rows.map((r) => [r.request_id, r]));
    for (const [i, payload] of PAYLOADS.entries()) {
      const row = byId.get(noSpaces(payload, i))!;
      expect(row.provider).toBe(payload.slice(0, 128));
      expect(row.model).toBe(payload.slice(0, 128));
      expect(row.trip_id).toBe(payload.slice(0, 128));
    }
    const clientRows = await sql<{ props: { provider: string } }>`SELECT props FROM ${sql.table(
      `${database.schema}.trip_creation_client_events`,
    )}`.execute(database.db);
    expect(clientRows.rows.map((r) => r.props.provider).sort()).toEqual([...PAYLOADS].sort());
    const liveKeys = await sql<{
      n: string;
    }>`SELECT count(*) AS n FROM ${sql.table(`${database.schema}.api_keys`)} WHERE revoked_at IS NULL`.execute(
      database.db,
    );
    expect(Number(liveKeys.rows[0]!.n)).toBe(3);
  });
});
