import { errorCodeOf } from '../domain/index.js';
import type { Logger } from '../logging/index.js';

/** A periodic job: `run` gets the current time from the injected clock. */
export interface Job {
  name: string;
  intervalMs: number;
  /** Also run once right after start. */
  runAtStart?: boolean;
  run(now: Date): Promise<unknown>;
}

/** Runs and failures per job, for /metrics and tests. */
export interface JobStats {
  runs: number;
  failures: number;
  lastError?: string;
}

/**
 * Runs jobs on timers inside `serve`. A run never overlaps the previous run of the same job; a
 * failure is logged and counted, and the job runs again at its next tick. Timers are unref'd so
 * they never keep a process alive.
 */
export class Scheduler {
  private readonly timers: NodeJS.Timeout[] = [];
  private readonly running = new Map<string, Promise<void>>();
  readonly stats = new Map<string, JobStats>();

  constructor(
    private readonly logger: Logger,
    private readonly now: () => Date,
  ) {}

  /** Starts `job` on its interval. */
  add(job: Job): void {
    this.stats.set(job.name, { runs: 0, failures: 0 });
    const timer = setInterval(() => void this.runNow(job), job.intervalMs);
    timer.unref();
    this.timers.push(timer);
    if (job.runAtStart) void this.runNow(job);
  }

  /** Runs `job` now unless a run of it is in progress (then waits for that one). */
  runNow(job: Job): Promise<void> {
    const current = this.running.get(job.name);
    if (current) return current;
    const stats = this.stats.get(job.name) ?? { runs: 0, failures: 0 };
    this.stats.set(job.name, stats);
    const run = (async () => {
      try {
        const result = await job.run(this.now());
        stats.runs++;
        this.logger.debug({ job: job.name, result }, 'job ran');
      } catch (error) {
        stats.failures++;
        stats.lastError = (error as Error).message;
        // The type and code only: a database error's message can echo the data it refused.
        this.logger.warn(
          { job: job.name, err: { type: (error as Error).name, code: errorCodeOf(error) } },
          'job failed; retrying at next tick',
        );
      } finally {
        this.running.delete(job.name);
      }
    })();
    this.running.set(job.name, run);
    return run;
  }

  /** Stops the timers and waits for runs in progress. */
  async stop(): Promise<void> {
    for (const timer of this.timers) clearInterval(timer);
    this.timers.length = 0;
    await Promise.all(this.running.values());
  }
}
