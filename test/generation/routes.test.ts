import { beforeAll, expect, it } from 'vitest';
import { createApiKey } from '../../src/auth/index.js';
import { costRows } from '../../src/cli/commands/report.js';
import { loadConfig } from '../../src/config/index.js';
import { silentLogger } from '../../src/logging/index.js';
import { getCost } from '../../src/metrics/index.js';
import { updateRollups } from '../../src/rollups/index.js';
import { createApp } from '../../src/server/app.js';
import { GENERATION_ANSWERS } from '../../src/server/routes/generation-metrics-schemas.js';
import type { Database } from '../../src/storage/index.js';
import { type AnatomyAttempt as GenAttempt, seedAnatomy as seedGeneration } from '../support/anatomy.js';
import { describeOnDatabases } from '../support/databases.js';
import { ensurePartitionsBetween } from '../support/ingest.js';

// biome-ignore lint/suspicious/noExplicitAny: answers are checked against their zod schemas first
type Json = any;

const NOW = new Date('2026-11-25T10:00:00Z');
const HOUR = 3_600_000;
const ago = (ms: number) => new Date(NOW.getTime() - ms);

/**
 * Six attempts made by hand: one with three calls (a Gemini call that failed, its timeout retry,
 * a success on the OpenAI fallback), a priced and an unpriced success, a failure, and two pending
 * (one pending for an hour: stuck; one for a minute: not).
 */
const ATTEMPTS: GenAttempt[] = [
  {
    at: ago(3 * HOUR),
    durationMs: 30_000,
    calls: [
      { provider: 'google', model: 'gemini-2.5-pro', status: 'failed', costUsd: '0.002' },
      {
        provider: 'google',
        model: 'gemini-2.5-pro',
        status: 'failed',
        retryReason: 'timeout',
        costUsd: '0.003',
      },
      { provider: 'openai', model: 'gpt-5.4', retryReason: 'fallback', costUsd: '0.030', ttftMs: 900 },
    ],
    phases: [
      { phase: 'queue_wait', durationMs: 1_000 },
      { phase: 'provider_call', durationMs: 20_000, offsetMs: 1_000 },
      { phase: 'parse', durationMs: 200, offsetMs: 21_000 },
    ],
  },
  {
    at: ago(2 * HOUR),
    version: 'classic_v2',
    calls: [{ costUsd: '0.020' }],
    phases: [{ phase: 'queue_wait', durationMs: 500 }],
  },
  {
    at: ago(2 * HOUR),
    provider: 'mistral',
    model: 'mistral-large',
    calls: [{ costUsd: null }],
    phases: [{ phase: 'queue_wait', durationMs: 500 }],
  },
  {
    at: ago(HOUR + 60_000),
    status: 'failed',
    calls: [{ status: 'failed', costUsd: '0.001' }],
    phases: [{ phase: 'queue_wait', durationMs: 500 }],
  },
  { at: ago(HOUR), status: 'pending' },
  { at: ago(60_000), status: 'pending' },
];

describeOnDatabases('generation metrics routes', (ctx) => {
  let database: Database;
  let admin: string;
  let app: ReturnType<typeof createApp>;

  beforeAll(async () => {
    database = await ctx.open({ now: NOW });
    await ensurePartitionsBetween(database, ago(40 * 24 * HOUR), NOW);
    await seedGeneration(database, ATTEMPTS);
    admin = (await createApiKey(database, { scope: 'admin' })).key;
    app = createApp({ config: loadConfig({ env: {} }), database, logger: silentLogger, now: () => NOW });
  });

  const get = async (path: string, key = admin, on = app) => {
    const res = await on.request(path, { headers: { authorization: `Bearer ${key}` } });
    return {
      status: res.status,
      type: res.headers.get('content-type') ?? '',
      body: (await res.json()) as Json,
    };
  };
  const RANGE = `from=${ago(48 * HOUR).toISOString()}&to=${NOW.toISOString()}`;

  it('answer every route in its documented shape', async () => {
    for (const [name, schema] of Object.entries(GENERATION_ANSWERS)) {
      const { status, body } = await get(`/v1/metrics/${name}?${RANGE}`);
      expect(status, name).toBe(200);
      expect(() => schema.parse(body), name).not.toThrow();
    }
  });

  it('cost: exact total over priced calls, unpriced counted, per successful trip over priced successes', async () => {
    const { body } = await get(`/v1/metrics/cost?${RANGE}`);
    expect(body).toMatchObject({
      totalCostUsd: 0.056,
      totalCostUsdExact: '0.056000000000',
      calls: 6,
      pricedCalls: 5,
      unpricedCalls: 1,
      tokens: { input: 6000, output: 3000, cachedInput: 0, reasoning: 0 },
      perSuccessfulTrip: { successes: 3, pricedSuccesses: 2, unpricedSuccesses: 1, meanUsd: 0.0275 },
      unpricedModels: [{ provider: 'mistral', model: 'mistral-large', calls: 1 }],
      unavailable: {},
    });
    expect(body.perSuccessfulTrip.p50Usd).toBeGreaterThan(0.02 * 0.95);
    expect(body.perSuccessfulTrip.p95Usd).toBeGreaterThan(0.035 * 0.95);
    expect(body.perSuccessfulTrip.p95Usd).toBeLessThan(0.035 * 1.05);
    expect(body.byModel[0]).toMatchObject({ provider: 'openai', model: 'gpt-5.4', costUsd: 0.051, calls: 3 });
    expect(body.byModel.at(-1)).toMatchObject({ model: 'mistral-large', costUsd: null, unpricedCalls: 1 });
    const v2 = body.byVersion.find((r: Json) => r.promptContractVersion === 'classic_v2');
    expect(v2).toMatchObject({ costUsd: 0.02, perSuccessfulTripMeanUsd: 0.02 });
  });

  it('tripmeter report shows the cost: total, per successful trip, unpriced count, top models', async () => {
    const rows = Object.fromEntries(costRows(await getCost(database, { from: ago(48 * HOUR), to: NOW })));
    expect(rows).toMatchObject({
      'cost (priced calls)': '$0.0560',
      'successes priced / unpriced': '2 / 1',
      'unpriced calls': '1 (mistral/mistral-large)',
      'top model 1 by cost': 'openai/gpt-5.4 $0.0510 (3 calls)',
      'top model 2 by cost': 'google/gemini-2.5-pro $0.0050 (2 calls)',
    });
    expect(rows['cost per successful trip mean / p50 / p95']).toMatch(
      /^\$0\.0275 \/ \$0\.0\d+ \/ \$0\.0\d+$/,
    );
  });

  it('a filter changes the cost', async () => {
    expect((await get(`/v1/metrics/cost?${RANGE}&provider=openai`)).body.totalCostUsd).toBe(0.051);
    expect(
      (await get(`/v1/metrics/cost?${RANGE}&prompt_contract_version=classic_v2`)).body.totalCostUsd,
    ).toBe(0.02);
    const none = (await get(`/v1/metrics/cost?${RANGE}&provider=nobody`)).body;
    expect(none.totalCostUsd).toBeNull();
    expect(none.unavailable.totalCostUsd).toMatch(/no provider call/);
    const unpriced = (await get(`/v1/metrics/cost?${RANGE}&provider=mistral`)).body;
    expect(unpriced).toMatchObject({ totalCostUsd: null, unpricedCalls: 1 });
    expect(unpriced.unavailable.totalCostUsd).toMatch(/unpriced/);
  });

  it('calls: calls per attempt, retries, fallbacks and rescues', async () => {
    const { body } = await get(`/v1/metrics/calls?${RANGE}`);
    expect(body).toMatchObject({
      calls: 6,
      failedCalls: 3,
      attempts: 6,
      attemptsWithCalls: 4,
      callsPerAttempt: {
        mean: 1.5,
        distribution: [
          { calls: 0, attempts: 2 },
          { calls: 1, attempts: 3 },
          { calls: 3, attempts: 1 },
        ],
      },
      retries: {
        retriedAttempts: 1,
        retryRate: 0.25,
        fellBackAttempts: 1,
        attemptsWithFailedCall: 2,
        rescued: 1,
        rescueRate: 0.5,
        rescuedByFallback: 1,
      },
      retryReasons: [
        { retryReason: 'fallback', calls: 1, failedCalls: 0 },
        { retryReason: 'timeout', calls: 1, failedCalls: 1 },
      ],
    });
    const gpt = body.byModel.find((r: Json) => r.model === 'gpt-5.4');
    expect(gpt).toMatchObject({ calls: 3, failedCalls: 1, ttftCalls: 3 });
    expect(Math.abs(gpt.ttftP95Ms - 900) / 900).toBeLessThanOrEqual(0.05);
  });

  it('phases and the queue funnel', async () => {
    const phases = (await get(`/v1/metrics/phases?${RANGE}`)).body;
    expect(phases.phases.map((p: Json) => [p.phase, p.count])).toEqual([
      ['queue_wait', 4],
      ['provider_call', 1],
      ['parse', 1],
    ]);
    expect(phases.phases[0].shareOfEndToEnd).toBeCloseTo(2_500 / 45_000, 10);
    expect(phases.phases[1].shareOfEndToEnd).toBeCloseTo(20_000 / 30_000, 10);
    const queue = (await get(`/v1/metrics/queue?${RANGE}`)).body;
    expect(queue.steps).toEqual([
      { name: 'queued', count: 6, lost: null, shareLost: null },
      { name: 'claimed', count: 4, lost: 2, shareLost: 2 / 6 },
      { name: 'answered', count: 3, lost: 1, shareLost: 0.25 },
      { name: 'stored', count: 3, lost: 0, shareLost: 0 },
    ]);
    expect(queue.pending).toBe(2);
  });

  it('stuck: pending longer than twice the generation timeout (a setting)', async () => {
    expect((await get('/v1/metrics/stuck')).body).toMatchObject({
      generationTimeoutMs: 120_000,
      thresholdMs: 240_000,
      stuck: 1,
      oldestAgeMs: HOUR,
      sloMet: false,
    });
    const patient = createApp({
      config: loadConfig({ env: { TRIPMETER_GENERATION_TIMEOUT_MS: '3600000' } }),
      database,
      logger: silentLogger,
      now: () => NOW,
    });
    expect((await get('/v1/metrics/stuck', admin, patient)).body).toMatchObject({ stuck: 0, sloMet: true });
    expect((await get('/v1/metrics/stuck?provider=google')).body.stuck).toBe(0);
  });

  it('long ranges read the rollups and give the same cost', async () => {
    const raw = (
      await get(`/v1/metrics/cost?from=${ago(7 * 24 * HOUR).toISOString()}&to=${NOW.toISOString()}`)
    ).body;
    await updateRollups(database, { now: NOW });
    const rolled = (
      await get(`/v1/metrics/cost?from=${ago(7 * 24 * HOUR).toISOString()}&to=${NOW.toISOString()}`)
    ).body;
    expect(rolled.totalCostUsdExact).toBe('0.056000000000');
    expect({ ...rolled, perSuccessfulTrip: undefined }).toEqual({ ...raw, perSuccessfulTrip: undefined });
    expect(rolled.perSuccessfulTrip.meanUsd).toBe(raw.perSuccessfulTrip.meanUsd);
    const queue = (
      await get(`/v1/metrics/queue?from=${ago(7 * 24 * HOUR).toISOString()}&to=${NOW.toISOString()}`)
    ).body;
    expect(queue.steps.map((s: Json) => s.count)).toEqual([6, 4, 3, 3]);
  });

  it('refuse a bad or foreign parameter as problem+json naming it, and a key of another scope', async () => {
    const bad = await get('/v1/metrics/cost?bucket=hour');
    expect(bad.status).toBe(400);
    expect(bad.type).toMatch(/^application\/problem\+json/);
    expect(bad.body).toMatchObject({ code: 'INVALID_QUERY', errors: [{ field: 'bucket' }] });
    const flow = await get('/v1/metrics/phases?flow=Not-A-Flow');
    expect(flow.body.errors[0].field).toBe('flow');
    const ingest = (await createApiKey(database, { scope: 'ingest' })).key;
    expect((await get('/v1/metrics/queue', ingest)).status).toBe(403);
  });
});
