import { beforeAll, expect, it } from 'vitest';
import { databaseJobClaims, type Job, Scheduler } from '../../src/jobs/index.js';
import { silentLogger } from '../../src/logging/index.js';
import { type Database, openDatabase } from '../../src/storage/index.js';
import { describeOnDatabases } from '../support/databases.js';

const MINUTE = 60_000;
const T0 = Date.UTC(2026, 6, 1, 12, 0, 0);

describeOnDatabases('job periods claimed across instances', (ctx) => {
  let first: Database;
  /** A second handle (its own pool on PostgreSQL) on the same schema: another instance. */
  let second: Database;

  beforeAll(async () => {
    first = await ctx.open();
    second =
      ctx.kind === 'postgres'
        ? await openDatabase({
            databaseUrl: ctx.url,
            dataDir: 'memory://',
            schema: first.schema,
            poolSize: 2,
          })
        : first;
    return () => (second === first ? undefined : second.close());
  });

  /** Three instances' schedulers on the clock `now`, each running `job` as one counter. */
  function instances(now: () => Date, job: (name: string) => Job) {
    return ['a', 'b', 'c'].map((name, i) => ({
      scheduler: new Scheduler(
        silentLogger,
        now,
        databaseJobClaims(i === 1 ? second : first, `instance-${name}`),
      ),
      job: job(name),
    }));
  }

  it('runs a period once whichever instance ticks, and the next period again once', async () => {
    let clock = T0 + 5_000;
    const ran: string[] = [];
    const job = (name: string): Job => ({
      name: 'rollups',
      intervalMs: MINUTE,
      run: async () => {
        ran.push(name);
      },
    });
    const all = instances(() => new Date(clock), job);
    await Promise.all(all.map(({ scheduler, job }) => scheduler.runScheduled(job)));
    await Promise.all(all.map(({ scheduler, job }) => scheduler.runScheduled(job)));
    expect(ran).toHaveLength(1);
    clock += MINUTE;
    await Promise.all(all.map(({ scheduler, job }) => scheduler.runScheduled(job)));
    expect(ran).toHaveLength(2);
    const skipped = all.map(({ scheduler }) => scheduler.stats.get('rollups')?.skipped ?? 0);
    expect(skipped.reduce((a, b) => a + b, 0)).toBe(7); // 9 ticks, 2 runs

    const rows = await first.db
      .withSchema(first.adminSchema)
      .selectFrom('job_runs')
      .selectAll()
      .where('job', '=', 'rollups')
      .orderBy('period_start')
      .execute();
    expect(rows.map((r) => r.period_start.getTime())).toEqual([T0, T0 + MINUTE]);
    expect(rows.every((r) => r.finished_at !== null)).toBe(true);
    expect(rows.map((r) => r.instance)).toEqual(ran.map((name) => `instance-${name}`));
  });

  it('gives a failed period back, so another instance takes it', async () => {
    const clock = T0 + 10 * MINUTE;
    let tries = 0;
    const job = (): Job => ({
      name: 'reconcile',
      intervalMs: MINUTE,
      run: async () => {
        tries++;
        if (tries === 1) throw new Error('database away');
      },
    });
    const [a, b] = instances(() => new Date(clock), job);
    await a!.scheduler.runScheduled(a!.job);
    expect(a!.scheduler.stats.get('reconcile')).toMatchObject({ runs: 0, failures: 1 });
    await b!.scheduler.runScheduled(b!.job);
    expect(b!.scheduler.stats.get('reconcile')).toMatchObject({ runs: 1, skipped: 0 });
    await a!.scheduler.runScheduled(a!.job);
    expect(tries).toBe(2);
  });

  it('keeps a manual runNow outside the claims', async () => {
    let runs = 0;
    const job: Job = { name: 'retention', intervalMs: MINUTE, run: async () => void runs++ };
    const [a] = instances(
      () => new Date(T0 + 20 * MINUTE),
      () => job,
    );
    await a!.scheduler.runScheduled(job);
    await a!.scheduler.runNow(job);
    await a!.scheduler.runScheduled(job);
    expect(runs).toBe(2);
  });
});
