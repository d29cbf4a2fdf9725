import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { silentLogger } from '../logging/index.js';
import type { JobClaims } from './job-runs.js';
import { periodStart, Scheduler, tickDelay } from './scheduler.js';

const T0 = Date.UTC(2026, 6, 1, 12, 0, 0);

describe('tickDelay', () => {
  it('waits for the next period start plus a random spread of at most a quarter interval', () => {
    const now = new Date(T0 + 1_500);
    expect(tickDelay(now, 2_000, () => 0)).toBe(500);
    expect(tickDelay(now, 2_000, () => 0.999)).toBe(500 + 499);
    // The spread is capped at 30 s for long intervals.
    expect(tickDelay(new Date(T0), 3_600_000, () => 0.999)).toBe(3_600_000 + 29_970);
  });
});

describe('Scheduler ticks', () => {
  beforeEach(() => {
    vi.useFakeTimers({ now: T0 + 700 });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('ticks once per period, after the period starts and within its spread', async () => {
    const at: number[] = [];
    const scheduler = new Scheduler(
      silentLogger,
      () => new Date(),
      undefined,
      () => 0.5,
    );
    scheduler.add({ name: 'rollups', intervalMs: 1_000, run: async (now) => void at.push(now.getTime()) });
    await vi.advanceTimersByTimeAsync(5_000);
    await scheduler.stop();
    // Started 700 ms into a period: the first tick is at the next start plus the drawn 125 ms.
    expect(at.map((t) => t - T0)).toEqual([1_125, 2_125, 3_125, 4_125, 5_125]);
    expect(new Set(at.map((t) => periodStart(new Date(t), 1_000).getTime())).size).toBe(at.length);
  });

  it('gives each period to a fresh draw among instances, not always the first to start', async () => {
    const taken = new Set<string>();
    const winners: string[] = [];
    /** One shared claim table in memory: the first claim of a period wins. */
    const claimsOf = (instance: string): JobClaims => ({
      instance,
      claim: async (job, period) => {
        const key = `${job}@${period.getTime()}`;
        if (taken.has(key)) return false;
        taken.add(key);
        winners.push(instance);
        return true;
      },
      finish: async () => {},
    });
    const schedulers = ['a', 'b', 'c'].map(
      (name) => new Scheduler(silentLogger, () => new Date(), claimsOf(name)),
    );
    for (const scheduler of schedulers)
      scheduler.add({ name: 'rollups', intervalMs: 1_000, run: async () => {} });
    await vi.advanceTimersByTimeAsync(40_000);
    await Promise.all(schedulers.map((s) => s.stop()));
    expect(winners).toHaveLength(40);
    // Started in the order a, b, c: with timers fixed at start-up, a would take every period.
    expect(new Set(winners).size).toBe(3);
    const skipped = schedulers.reduce((sum, s) => sum + (s.stats.get('rollups')?.skipped ?? 0), 0);
    expect(skipped).toBe(80);
  });

  it('stops ticking after stop', async () => {
    let runs = 0;
    const scheduler = new Scheduler(
      silentLogger,
      () => new Date(),
      undefined,
      () => 0.5,
    );
    scheduler.add({ name: 'alerts', intervalMs: 1_000, run: async () => void runs++ });
    await vi.advanceTimersByTimeAsync(1_000); // one tick, at 1,125 ms
    await scheduler.stop();
    const before = runs;
    await vi.advanceTimersByTimeAsync(5_000);
    expect(runs).toBe(before);
    expect(before).toBe(1);
  });
});
