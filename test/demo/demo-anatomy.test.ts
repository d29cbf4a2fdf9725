import { sql } from 'kysely';
import { beforeAll, expect, it } from 'vitest';
import { COSTLY_VERSION, type DemoResult, loadDemo } from '../../src/demo/index.js';
import { type Database, migrate } from '../../src/storage/index.js';
import { describeOnDatabases } from '../support/databases.js';

describeOnDatabases('tripmeter demo: the anatomy of its generations', ({ open }) => {
  const now = new Date('2026-11-20T18:00:00Z');
  let database: Database;
  let result: DemoResult;
  const q = async <T>(query: ReturnType<typeof sql<T>>) => (await query.execute(database.db)).rows;
  const t = (name: string) => sql.table(`${database.schema}.${name}`);

  beforeAll(async () => {
    database = await open({ migrate: false });
    await migrate(database, now);
    result = await loadDemo(database, { days: 4, now, sessionsPerDay: 60 });
  }, 240_000);

  it('records every call it reports, each priced, with tokens and time to first token', async () => {
    const [calls] = await q<{ n: number; unpriced: number; answered: number; ttft: number }>(sql`
      SELECT count(*)::int AS n, count(*) FILTER (WHERE cost_usd IS NULL AND output_tokens IS NOT NULL)::int AS unpriced,
        count(*) FILTER (WHERE status = 'success')::int AS answered,
        count(*) FILTER (WHERE status = 'success' AND ttft_ms > 0 AND output_tokens > 0)::int AS ttft
      FROM ${t('trip_creation_provider_calls')}`);
    expect(calls!.n).toBe(result.calls);
    expect(calls!.n).toBeGreaterThan(result.attempts * 0.8);
    expect(calls!.unpriced).toBe(0);
    expect(calls!.ttft).toBe(calls!.answered);
  });

  it('gives each finished attempt its totals and phases that add up to its duration', async () => {
    const rows = await q<{
      status: string;
      duration_ms: number;
      phases: number;
      calls: number;
      call_count: number;
    }>(sql`
      SELECT a.status, a.duration_ms, a.call_count,
        (SELECT coalesce(sum(p.duration_ms), 0)::int FROM ${t('trip_creation_attempt_phases')} p WHERE p.request_id = a.request_id) AS phases,
        (SELECT count(*)::int FROM ${t('trip_creation_provider_calls')} c WHERE c.request_id = a.request_id) AS calls
      FROM ${t('trip_creation_attempts')} a WHERE a.status = 'success'`);
    expect(rows.length).toBeGreaterThan(50);
    for (const row of rows) {
      expect(row.phases).toBe(row.duration_ms);
      expect(row.call_count).toBe(row.calls);
    }
  });

  it('retries Gemini timeouts on OpenAI, and rescues attempts', async () => {
    const [chains] = await q<{ fallbacks: number; rescued: number }>(sql`
      SELECT count(*) FILTER (WHERE c.retry_reason = 'fallback' AND c.provider = 'openai' AND first.provider = 'gemini')::int AS fallbacks,
        count(DISTINCT a.request_id) FILTER (WHERE a.status = 'success' AND c.call_index > 0)::int AS rescued
      FROM ${t('trip_creation_provider_calls')} c
      JOIN ${t('trip_creation_provider_calls')} first ON first.request_id = c.request_id AND first.call_index = 0
      JOIN ${t('trip_creation_attempts')} a ON a.request_id = c.request_id`);
    expect(chains!.fallbacks).toBeGreaterThan(0);
    expect(chains!.rescued).toBeGreaterThan(0);
  });

  it('has a cost incident: the costly prompt version writes about twice the output tokens', async () => {
    const rows = await q<{ costly: boolean; output: number }>(sql`
      SELECT prompt_contract_version = ${COSTLY_VERSION} AS costly, avg(output_tokens)::float AS output
      FROM ${t('trip_creation_provider_calls')}
      WHERE status = 'success' AND model = 'gpt-5.4' AND created_at >= ${result.costIncident.from.toISOString()}::timestamptz
      GROUP BY 1`);
    const costly = rows.find((r) => r.costly)!.output;
    const usual = rows.find((r) => !r.costly)!.output;
    expect(costly / usual).toBeGreaterThan(1.6);
    expect(costly / usual).toBeLessThan(2.5);
  });
});
