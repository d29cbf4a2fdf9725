import { errorCodeOf } from '../domain/index.js';
import type { Logger } from '../logging/index.js';
import type { JobClaims } from './job-runs.js';

/** A periodic job: `run` gets the current time from the injected clock. */
export interface Job {
  name: string;
  intervalMs: number;
  /** Also run once right after start. */
  runAtStart?: boolean;
  run(now: Date): Promise<unknown>;
}

/** Runs, failures and periods left to another instance, per job, for /metrics and tests. */
export interface JobStats {
  runs: number;
  failures: number;
  /** Scheduled periods another instance had already claimed. */
  skipped: number;
  lastError?: string;
}

/** The start of the period of `intervalMs` holding `now` (periods are aligned to the epoch). */
export function periodStart(now: Date, intervalMs: number): Date {
  return new Date(Math.floor(now.getTime() / intervalMs) * intervalMs);
}

/** The longest random delay after a period starts before an instance ticks (see {@link tickDelay}). */
const MAX_SPREAD_MS = 30_000;

/**
 * Milliseconds from `now` to this instance's next tick of a job of `intervalMs`: the start of the
 * next period plus a random delay of up to a quarter of the interval (at most 30 s), drawn anew
 * every period. Ticks aligned to the period keep one run per period on one instance; the random
 * delay makes which of several instances takes a period a fresh draw each time, instead of
 * always the one whose start-up put its timer first (and spreads the claims' load).
 */
export function tickDelay(now: Date, intervalMs: number, random: () => number = Math.random): number {
  const next = periodStart(now, intervalMs).getTime() + intervalMs;
  const spread = Math.min(intervalMs / 4, MAX_SPREAD_MS);
  return next - now.getTime() + Math.floor(random() * spread);
}

/**
 * Runs jobs on timers inside `serve`, once per period (the interval, aligned to the epoch; see
 * {@link tickDelay}). A run never overlaps the previous run of the same job; a failure is logged
 * and counted, and the job runs again at its next tick. Timers are unref'd so they never keep a
 * process alive. With `claims`, every scheduled run first claims its period, so instances sharing
 * a database run each period once; {@link runNow} is a manual run and claims nothing.
 */
export class Scheduler {
  private readonly timers = new Map<Job, NodeJS.Timeout>();
  private readonly running = new Map<string, Promise<void>>();
  readonly stats = new Map<string, JobStats>();

  constructor(
    private readonly logger: Logger,
    private readonly now: () => Date,
    private readonly claims?: JobClaims,
    private readonly random: () => number = Math.random,
  ) {}

  /** Starts `job`: a tick every period (and one right away with `runAtStart`). */
  add(job: Job): void {
    this.stats.set(job.name, { runs: 0, failures: 0, skipped: 0 });
    this.schedule(job);
    if (job.runAtStart) void this.runScheduled(job);
  }

  /** Runs `job` now unless a run of it is in progress (then waits for that one). */
  runNow(job: Job): Promise<void> {
    return this.exclusive(job, async () => {
      await this.execute(job, this.now());
    });
  }

  /** A timer's run: claims the current period first when instances share the database. */
  runScheduled(job: Job): Promise<void> {
    return this.exclusive(job, async () => {
      const at = this.now();
      const claims = this.claims;
      if (claims === undefined) return void (await this.execute(job, at));
      const period = periodStart(at, job.intervalMs);
      let claimed: boolean;
      try {
        claimed = await claims.claim(job.name, period, at);
      } catch (error) {
        this.fail(job, error, 'job claim failed; retrying at next tick');
        return;
      }
      if (!claimed) {
        this.statsOf(job).skipped++;
        return;
      }
      const ok = await this.execute(job, at);
      await claims.finish(job.name, period, { ok, now: this.now() }).catch((error: unknown) => {
        this.logger.warn({ job: job.name, err: { code: errorCodeOf(error) } }, 'job claim not closed');
      });
    });
  }

  /** Stops the timers and waits for runs in progress. */
  async stop(): Promise<void> {
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
    await Promise.all(this.running.values());
  }

  /**
   * Arms the timer of `job`'s next tick; each tick first arms the one after it, so a cleared timer
   * ends the chain. The delay is read from the real clock that drives timers: an injected clock
   * may be frozen (tests), which would make every delay the same few milliseconds.
   */
  private schedule(job: Job): void {
    const timer = setTimeout(
      () => {
        this.schedule(job);
        void this.runScheduled(job);
      },
      tickDelay(new Date(), job.intervalMs, this.random),
    );
    timer.unref();
    this.timers.set(job, timer);
  }

  private exclusive(job: Job, body: () => Promise<void>): Promise<void> {
    const current = this.running.get(job.name);
    if (current) return current;
    const run = body().finally(() => this.running.delete(job.name));
    this.running.set(job.name, run);
    return run;
  }

  private async execute(job: Job, at: Date): Promise<boolean> {
    try {
      const result = await job.run(at);
      this.statsOf(job).runs++;
      this.logger.debug({ job: job.name, result }, 'job ran');
      return true;
    } catch (error) {
      this.fail(job, error, 'job failed; retrying at next tick');
      return false;
    }
  }

  private fail(job: Job, error: unknown, message: string): void {
    const stats = this.statsOf(job);
    stats.failures++;
    stats.lastError = (error as Error).message;
    // The type and code only: a database error's message can echo the data it refused.
    this.logger.warn(
      { job: job.name, err: { type: (error as Error).name, code: errorCodeOf(error) } },
      message,
    );
  }

  private statsOf(job: Job): JobStats {
    let stats = this.stats.get(job.name);
    if (stats === undefined) {
      stats = { runs: 0, failures: 0, skipped: 0 };
      this.stats.set(job.name, stats);
    }
    return stats;
  }
}
