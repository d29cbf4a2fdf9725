import { Writable } from 'node:stream';
import { beforeAll, expect, it } from 'vitest';
import { createApiKey } from '../../src/auth/index.js';
import { loadConfig } from '../../src/config/index.js';
import type { TelemetryEvent } from '../../src/domain/index.js';
import { GroupCommitWriter } from '../../src/ingest/index.js';
import { Scheduler } from '../../src/jobs/index.js';
import { createLogger } from '../../src/logging/index.js';
import { createApp } from '../../src/server/app.js';
import { PostgresSink } from '../../src/store/postgres-sink.js';
import { type Sink, TransientSinkError } from '../../src/tracker/sink.js';
import { describeOnDatabases } from '../support/databases.js';

const NOW = new Date('2026-11-25T10:00:00Z');
const ORIGIN = 'https://app.example.com';
const ADDRESS = '203.0.113.77';
const ADDRESS6 = '2001:db8::beef';
const USER_AGENT = 'Mozilla/5.0 (X11; Linux x86_64) PrivacyProbe/9.9';
const NOTE = 'ramen near Shibuya, call me at +1 415 555 0134 or jane.doe@example.com';
const ANON = '2f1c7a52-9b7e-4c41-8f0e-0c3b8d1a6e55';
const USER = '7d0c7d3e-5a55-4f0e-9c3f-1f2d3c4b5a69';

/** A sink whose database echoes the data it refuses, as Postgres errors do ("invalid input … "). */
function echoingSink(inner: Sink, mode: 'transient-once' | 'refuse'): Sink {
  let failed = false;
  return {
    reportsInserted: inner.reportsInserted,
    async write(events: TelemetryEvent[]) {
      if (mode === 'refuse')
        throw Object.assign(new Error(`invalid input syntax: "${NOTE}"`), { code: '22P02' });
      if (!failed) {
        failed = true;
        throw new TransientSinkError(`connection reset while writing "${NOTE}"`, 'ECONNRESET');
      }
      return inner.write(events);
    },
  };
}

describeOnDatabases('logs never hold an address, a user-agent, note text or key material', (ctx) => {
  const lines: string[] = [];
  const keys: string[] = [];
  let request: (path: string, init: RequestInit & { app?: 'ok' | 'failing' }) => Response | Promise<Response>;

  beforeAll(async () => {
    const database = await ctx.open({ now: NOW });
    const ingest = (await createApiKey(database, { scope: 'ingest' })).key;
    const admin = (await createApiKey(database, { scope: 'admin' })).key;
    const site = (await createApiKey(database, { scope: 'site', origins: [ORIGIN] })).key;
    keys.push(ingest, admin, site);
    const sink = new Writable({
      write(chunk, _encoding, done) {
        lines.push(...String(chunk).split('\n').filter(Boolean));
        done();
      },
    });
    const logger = createLogger('debug', sink);
    const config = loadConfig({ env: { TRIPMETER_TRUST_PROXY: 'true' } });
    const base = { config, database, logger, now: () => NOW };
    const ok = createApp({
      ...base,
      ingestWriter: new GroupCommitWriter({
        sink: echoingSink(new PostgresSink(database), 'transient-once'),
        logger,
        sleep: async () => {},
      }),
    });
    const failing = createApp({
      ...base,
      ingestWriter: new GroupCommitWriter({
        sink: echoingSink(new PostgresSink(database), 'refuse'),
        logger,
      }),
    });
    request = (path, init) =>
      (init.app === 'failing' ? failing : ok).request(path, {
        ...init,
        headers: {
          'x-forwarded-for': `${ADDRESS}, ${ADDRESS6}`,
          'user-agent': USER_AGENT,
          origin: ORIGIN,
          ...(init.headers as Record<string, string>),
        },
      });

    const auth = (key: string) => ({ authorization: `Bearer ${key}`, 'content-type': 'application/json' });
    const event = (id: string) => ({
      type: 'create_trip_failed',
      request_id: id,
      error_code: 'OPENAI_REQUEST_TIMEOUT',
      error_message: NOTE,
      anon_session_id: ANON,
      input_snapshot: { destinationPrompt: 'Tokyo', options: { notes: NOTE } },
    });
    const statuses = [
      (
        await request('/v1/events', {
          method: 'POST',
          headers: auth(ingest),
          body: JSON.stringify(event('log-1')),
        })
      ).status,
      (
        await request('/v1/events', {
          method: 'POST',
          headers: auth(ingest),
          body: JSON.stringify(event('log-2')),
          app: 'failing',
        })
      ).status,
      (
        await request('/v1/events', {
          method: 'POST',
          headers: auth(ingest),
          body: JSON.stringify({ ...event('x'), notes: NOTE }),
        })
      ).status,
      (await request('/v1/events', { method: 'POST', headers: auth(admin), body: '{}' })).status,
      (await request('/v1/events', { method: 'POST', headers: auth(`${ingest}x`), body: '{}' })).status,
      (
        await request('/v1/identify', {
          method: 'POST',
          headers: auth(ingest),
          body: JSON.stringify({ anon_session_id: ANON, user_id: USER }),
        })
      ).status,
      (
        await request('/v1/client-events', {
          method: 'POST',
          headers: { 'content-type': 'text/plain' },
          body: JSON.stringify({
            site_key: site,
            events: [
              {
                name: 'create_trip__cta--generate',
                anon_session_id: ANON,
                occurred_at: NOW.toISOString(),
                props: { provider: NOTE },
              },
            ],
          }),
        })
      ).status,
      (await request(`/v1/subjects/users/${USER}`, { method: 'DELETE', headers: auth(admin) })).status,
      (await request('/v1/metrics/summary?provider=x', { headers: auth(admin) })).status,
      (await request('/metrics', { headers: auth(admin) })).status,
    ];
    const scheduler = new Scheduler(logger, () => NOW);
    await scheduler.runNow({
      name: 'retention',
      intervalMs: 60_000,
      run: async () => {
        throw Object.assign(new Error(`invalid input syntax for type uuid: "${NOTE}"`), { code: '22P02' });
      },
    });
    expect(statuses).toEqual([202, 500, 422, 403, 401, 200, 202, 200, 200, 200]);
  });

  it('logged what happened (the scan is not vacuous)', () => {
    const messages = lines.map((l) => (JSON.parse(l) as { msg: string }).msg);
    expect(messages).toContain('ingest write failed; retrying');
    expect(messages).toContain('request failed');
    expect(messages).toContain('subject deleted');
    expect(messages).toContain('job failed; retrying at next tick');
  });

  it('holds none of the secrets', () => {
    const text = lines.join('\n');
    const found: string[] = [];
    const forbidden: [string, string][] = [
      ['client address', ADDRESS],
      ['client address (IPv6)', ADDRESS6],
      ['user-agent', 'PrivacyProbe'],
      ['note text', 'Shibuya'],
      ['e-mail', 'jane.doe@example.com'],
      ['phone', '555 0134'],
      ...keys.map((key): [string, string] => ['key material', key.slice(12)]),
    ];
    for (const [what, needle] of forbidden) if (text.includes(needle)) found.push(what);
    if (/\b\d{1,3}(\.\d{1,3}){3}\b/.test(text)) found.push('an IPv4 address');
    expect(found).toEqual([]);
  });
});
