import { beforeAll, expect, it } from 'vitest';
import { createApiKey } from '../../src/auth/index.js';
import { loadConfig } from '../../src/config/index.js';
import { GroupCommitWriter } from '../../src/ingest/index.js';
import { Scheduler } from '../../src/jobs/index.js';
import { silentLogger } from '../../src/logging/index.js';
import { createApp } from '../../src/server/app.js';
import { Histogram, TimedSink } from '../../src/server/prometheus/index.js';
import { PostgresSink } from '../../src/store/postgres-sink.js';
import { describeOnDatabases } from '../support/databases.js';

const TOKEN = 'scrape-token-0123456789';
const SAMPLE = /^[a-z_]+(\{[a-z]+="[^"]*"\})? -?[0-9.e+-]+$/;

describeOnDatabases('GET /metrics', (ctx) => {
  let app: ReturnType<typeof createApp>;
  const keys = { admin: '', ingest: '' };

  beforeAll(async () => {
    const database = await ctx.open();
    keys.admin = (await createApiKey(database, { scope: 'admin' })).key;
    keys.ingest = (await createApiKey(database, { scope: 'ingest' })).key;
    const dbLatency = new Histogram();
    const scheduler = new Scheduler(silentLogger, () => new Date());
    const ok = { name: 'rollup', intervalMs: 3_600_000, run: async () => 1 };
    const bad = {
      name: 'retention',
      intervalMs: 3_600_000,
      run: async () => {
        throw new Error('boom');
      },
    };
    scheduler.add(ok);
    scheduler.add(bad);
    await scheduler.runNow(ok);
    await scheduler.runNow(ok);
    await scheduler.runNow(bad);
    await scheduler.stop();
    app = createApp({
      config: loadConfig({ env: { TRIPMETER_METRICS_TOKEN: TOKEN } }),
      database,
      logger: silentLogger,
      now: () => new Date(),
      ingestWriter: new GroupCommitWriter({ sink: new TimedSink(new PostgresSink(database), dbLatency) }),
      scheduler,
      dbLatency,
    });
    const events = [
      { type: 'create_trip_attempted', request_id: 'm-1' },
      { type: 'create_trip_succeeded', request_id: 'm-1', trip_id: 't-1' },
    ];
    for (let i = 0; i < 2; i++) {
      const res = await app.request('/v1/events', {
        method: 'POST',
        headers: { authorization: `Bearer ${keys.ingest}`, 'content-type': 'application/json' },
        body: JSON.stringify({ events }),
      });
      expect(res.status).toBe(202);
    }
  });

  const scrape = (token?: string) =>
    app.request('/metrics', { headers: token ? { authorization: `Bearer ${token}` } : {} });

  it('needs an admin key or the scrape token', async () => {
    expect((await scrape()).status).toBe(401);
    expect((await scrape('wrong-token-0123456789')).status).toBe(401);
    expect((await scrape(keys.ingest)).status).toBe(403);
    expect((await scrape(keys.admin)).status).toBe(200);
    expect((await scrape(TOKEN)).status).toBe(200);
  });

  it('answers the Prometheus text format with ingest, writer, latency and job metrics', async () => {
    const res = await scrape(TOKEN);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = await res.text();
    for (const line of text.trimEnd().split('\n')) {
      if (line.startsWith('# ')) expect(line).toMatch(/^# (HELP|TYPE) [a-z_]+ /);
      else expect(line).toMatch(SAMPLE);
    }
    const value = (sample: string) =>
      Number(
        text
          .split('\n')
          .find((l) => l.startsWith(`${sample} `))
          ?.split(' ')[1],
      );
    expect(value('tripmeter_ingest_requests_total')).toBe(2);
    expect(value('tripmeter_ingested_events_total')).toBe(2);
    expect(value('tripmeter_ingest_duplicate_events_total')).toBe(2);
    expect(value('tripmeter_writer_batches_total')).toBe(2);
    expect(value('tripmeter_writer_queue_depth')).toBe(0);
    expect(value('tripmeter_writer_retries_total')).toBe(0);
    expect(value('tripmeter_ingest_rejected_total')).toBe(0);
    expect(value('tripmeter_ingest_dropped_total')).toBe(0);
    expect(value('tripmeter_db_write_duration_seconds_count')).toBe(2);
    expect(value('tripmeter_db_write_duration_seconds_bucket{le="+Inf"}')).toBe(2);
    expect(value('tripmeter_db_write_duration_seconds_sum')).toBeGreaterThan(0);
    expect(value('tripmeter_job_runs_total{job="rollup"}')).toBe(2);
    expect(value('tripmeter_job_failures_total{job="retention"}')).toBe(1);
    expect(text).toContain('# TYPE tripmeter_db_write_duration_seconds histogram');
  });
});
