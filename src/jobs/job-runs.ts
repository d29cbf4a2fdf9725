import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { Database } from '../storage/index.js';

/** How long claimed periods are kept in `job_runs` (enough to read back a week of runs). */
const KEEP_MS = 7 * 86_400_000;

/**
 * Who may run a job's period. The scheduler asks before every scheduled run and reports after;
 * see {@link databaseJobClaims} for the one shared by every instance on a database.
 */
export interface JobClaims {
  /** This instance's name, as recorded with each claim. */
  readonly instance: string;
  /** True when this instance took the period (run it); false when another instance has it. */
  claim(job: string, periodStart: Date, now: Date): Promise<boolean>;
  /** Records the end of a claimed run; a failed run gives the period back. */
  finish(job: string, periodStart: Date, outcome: { ok: boolean; now: Date }): Promise<void>;
}

/** A readable, unique name for this process: `host/pid/random`. */
export function instanceName(): string {
  return `${hostname()}/${process.pid}/${randomBytes(3).toString('hex')}`;
}

/**
 * Claims in `<admin_schema>.job_runs`: the first instance whose
 * `INSERT … ON CONFLICT DO NOTHING` lands runs the period, every other instance skips it, so a
 * job runs once per period across all instances (and once per restart-free period on one).
 * A failed run deletes its claim so the next tick of any instance may take the period again.
 *
 * @example
 * const scheduler = new Scheduler(logger, now, databaseJobClaims(database));
 */
export function databaseJobClaims(database: Database, instance: string = instanceName()): JobClaims {
  const runs = () => database.db.withSchema(database.adminSchema);
  return {
    instance,
    async claim(job, periodStart, now) {
      const inserted = await runs()
        .insertInto('job_runs')
        .values({ job, period_start: periodStart, instance, started_at: now })
        .onConflict((oc) => oc.doNothing())
        .returning('job')
        .execute();
      if (inserted.length === 0) return false;
      // Claims are kept a week; the winner of a period trims its job's old ones (an index range).
      await runs()
        .deleteFrom('job_runs')
        .where('job', '=', job)
        .where('period_start', '<', new Date(now.getTime() - KEEP_MS))
        .execute();
      return true;
    },
    async finish(job, periodStart, { ok, now }) {
      if (ok)
        await runs()
          .updateTable('job_runs')
          .set({ finished_at: now })
          .where('job', '=', job)
          .where('period_start', '=', periodStart)
          .where('instance', '=', instance)
          .execute();
      else
        await runs()
          .deleteFrom('job_runs')
          .where('job', '=', job)
          .where('period_start', '=', periodStart)
          .where('instance', '=', instance)
          .execute();
    },
  };
}
