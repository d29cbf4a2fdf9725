import { sql } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { ALERTS_LOCK_KEY, evaluateAlerts, listIncidents, webhookNotifier } from '../../src/alerts/index.js';
import { createApiKey } from '../../src/auth/index.js';
import { loadConfig } from '../../src/config/index.js';
import { silentLogger } from '../../src/logging/index.js';
import { createApp } from '../../src/server/app.js';
import type { Database } from '../../src/storage/index.js';
import { createTripmeter } from '../../src/store/index.js';
import { describeOnDatabases } from '../support/databases.js';
import { type StaticServer, startStaticServer } from '../support/static-server.js';

const MINUTE = 60_000;
const T = Date.UTC(2026, 10, 25, 3, 0); // a Wednesday night
const config = loadConfig({ env: {} }).alerts;

describeOnDatabases('alerting end to end', (ctx) => {
  let database: Database;
  let receiver: StaticServer;
  let clock = T - 8 * 24 * 60 * MINUTE;
  const messages = () =>
    receiver.requests
      .filter((r) => r.method === 'POST')
      .map((r) => JSON.parse(r.body) as Record<string, unknown>);

  beforeAll(async () => {
    database = await ctx.open({ now: new Date(T) });
    receiver = await startStaticServer({});
  });
  afterAll(async () => {
    await receiver.close();
  });

  /** Writes `total` attempts through the tracker, `failed` of them failing, spread over [from, to). */
  async function traffic(from: number, to: number, total: number, failed: number) {
    const tracker = createTripmeter({ database, now: () => clock });
    for (let i = 0; i < total; i++) {
      clock = from + Math.floor(((to - from) * i) / total);
      const attempt = tracker.startAttempt({ provider: 'openai', model: 'gpt-4o' });
      clock += 1_000;
      if (Math.floor(((i + 1) * failed) / total) > Math.floor((i * failed) / total))
        attempt.fail({ errorCode: 'PROVIDER_TIMEOUT' });
      else attempt.succeed({ tripId: `trip-${i}` });
    }
    await tracker.shutdown();
  }

  const evaluate = (at: number) =>
    evaluateAlerts({
      database,
      config,
      now: new Date(at),
      notifiers: [webhookNotifier(`${receiver.url}/hook`)],
      delivery: { baseDelayMs: 1 },
    });

  it('opens an incident on a failure spike and notifies the webhook', async () => {
    // The baseline: the same hour of the week, 7 days earlier, 2% failures.
    await traffic(T - 7 * 24 * 60 * MINUTE - 25 * MINUTE, T - 7 * 24 * 60 * MINUTE + 25 * MINUTE, 150, 3);
    // The spike: 40% of 40 attempts in the last 8 minutes.
    await traffic(T - 8 * MINUTE, T - 30_000, 40, 16);

    const first = await evaluate(T);
    expect(first.leader).toBe(true);
    expect(first.transitions).toEqual([]); // pending: one breaching evaluation is not enough
    expect(messages()).toEqual([]);

    const second = await evaluate(T + MINUTE);
    const opened = second.transitions.filter((t) => t.kind === 'opened').map((t) => `${t.rule}:${t.scope}`);
    expect(opened).toEqual(
      expect.arrayContaining(['failure_rate:overall', 'failure_rate_provider_model:openai/gpt-4o']),
    );
    const overall = messages().find((m) => m.rule === 'failure_rate');
    expect(overall).toMatchObject({ source: 'tripmeter', kind: 'opened', scope: 'overall' });
    expect(String(overall?.text)).toMatch(
      /^FIRING Failure-rate spike \(overall\): \d+\.\d% failed \(\d+\/\d+ in (1|5|10) min\), baseline 2\.0%, threshold 7\.0%$/,
    );

    const open = await listIncidents(database.db, database.schema, { state: 'firing' });
    const incident = open.find((i) => i.rule === 'failure_rate');
    expect(incident).toMatchObject({ scope: 'overall', openedAt: new Date(T + MINUTE) });
    expect(incident?.baselineRate).toBeCloseTo(0.02, 5);
    expect(incident?.peakRate).toBeGreaterThanOrEqual(0.4);
    const deliveries = await database.db
      .withSchema(database.schema)
      .selectFrom('alert_deliveries')
      .selectAll()
      .where('incident_id', '=', incident!.id)
      .execute();
    expect(deliveries).toMatchObject([
      { notifier: 'webhook', kind: 'opened', attempt: 1, status: 'delivered', response_code: 204 },
    ]);

    // A third evaluation while still firing sends nothing new (repeat interval 4 h).
    const before = messages().length;
    expect((await evaluate(T + 2 * MINUTE)).transitions).toEqual([]);
    expect(messages()).toHaveLength(before);
  });

  it('shows incidents on GET /v1/alerts to admin keys only', async () => {
    const app = createApp({
      config: loadConfig({ env: {} }),
      database,
      logger: silentLogger,
      now: () => new Date(T),
    });
    expect((await app.request('/v1/alerts')).status).toBe(401);
    const { key: ingest } = await createApiKey(database, { scope: 'ingest' });
    expect((await app.request('/v1/alerts', { headers: { authorization: `Bearer ${ingest}` } })).status).toBe(
      403,
    );
    const { key } = await createApiKey(database, { scope: 'admin' });
    const response = await app.request('/v1/alerts?state=firing', {
      headers: { authorization: `Bearer ${key}` },
    });
    expect(response.status).toBe(200);
    const body = (await response.json()) as { incidents: { rule: string; state: string }[] };
    expect(body.incidents.map((i) => i.rule)).toContain('failure_rate');
    const bad = await app.request('/v1/alerts?state=nope', { headers: { authorization: `Bearer ${key}` } });
    expect(bad.status).toBe(400);
    expect(bad.headers.get('content-type')).toContain('application/problem+json');
  });

  it('resolves after two clear evaluations and notifies the resolution', async () => {
    await traffic(T + 3 * MINUTE, T + 14 * MINUTE, 120, 0);
    expect((await evaluate(T + 14 * MINUTE)).transitions.filter((t) => t.kind === 'resolved')).toEqual([]);
    const done = await evaluate(T + 15 * MINUTE);
    expect(done.transitions.map((t) => `${t.kind}:${t.rule}`)).toContain('resolved:failure_rate');
    expect(messages().find((m) => m.kind === 'resolved' && m.rule === 'failure_rate')).toMatchObject({
      scope: 'overall',
      text: 'RESOLVED Failure-rate spike (overall): back to normal',
    });
    expect(await listIncidents(database.db, database.schema, { state: 'firing' })).toEqual([]);
    const [resolved] = await listIncidents(database.db, database.schema, { state: 'resolved', limit: 1 });
    expect(resolved?.resolvedAt).toEqual(new Date(T + 15 * MINUTE));
  });

  it.runIf(ctx.kind === 'postgres')('lets one instance evaluate at a time on Postgres', async () => {
    await database.db.transaction().execute(async (trx) => {
      await sql`SELECT pg_advisory_xact_lock(${ALERTS_LOCK_KEY})`.execute(trx);
      expect(await evaluate(T + 20 * MINUTE)).toMatchObject({ leader: false, transitions: [] });
    });
    expect((await evaluate(T + 21 * MINUTE)).leader).toBe(true);
  });
});
