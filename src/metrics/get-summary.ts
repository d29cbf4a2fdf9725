import type { Database } from '../storage/index.js';
import { collectAttempts, type Percentiles } from './collect-attempts.js';
import { getSessionStatsCached, type SessionStats } from './get-session-stats.js';
import { type MetricsQuery, ratio, roundMs } from './metrics-query.js';
import { planRange, readCoverage } from './range-plan.js';

/** The headline numbers of a range. */
export interface Summary {
  from: string;
  to: string;
  /** Every attempt started in the range (pending ones included). */
  attempts: number;
  succeeded: number;
  failed: number;
  pending: number;
  /** succeeded / (succeeded + failed): pending attempts are not decided yet. */
  successRate: number | null;
  /** failed / (succeeded + failed). */
  failureRate: number | null;
  /** End-to-end duration of finished attempts, ms. */
  durationMs: Percentiles;
  /** Share of attempts made by a signed-in user (a `user_id` on the row). */
  signedInShare: number | null;
  sessions: SessionStats;
  /** `true`: percentiles are exact (raw rows); `false`: read from rollup histograms (±5 %). */
  exact: boolean;
}

/**
 * The summary of `[from, to)`: attempts, success and failure rate, p50/p95/p99, attempts per
 * anonymous session, share of signed-in attempts and of anonymous sessions later linked.
 *
 * @example
 * const summary = await getSummary(database, { from, to, provider: 'openai' });
 * console.log(summary.attempts, summary.durationMs.p95);
 */
export async function getSummary(database: Database, query: MetricsQuery): Promise<Summary> {
  const plan = planRange(query.from, query.to, await readCoverage(database));
  const { groups, exact } = await collectAttempts(database, {
    grouping: 'none',
    filter: query,
    plan,
    percentiles: true,
  });
  const g = groups[0];
  const attempts = g?.attempts ?? 0;
  const succeeded = g?.succeeded ?? 0;
  const failed = g?.failed ?? 0;
  const sessions = await getSessionStatsCached(database, query, attempts);
  return {
    from: query.from.toISOString(),
    to: query.to.toISOString(),
    attempts,
    succeeded,
    failed,
    pending: g?.pending ?? 0,
    successRate: ratio(succeeded, succeeded + failed),
    failureRate: ratio(failed, succeeded + failed),
    durationMs: {
      p50: roundMs(g?.percentiles?.p50),
      p95: roundMs(g?.percentiles?.p95),
      p99: roundMs(g?.percentiles?.p99),
    },
    signedInShare: ratio(g?.signedIn ?? 0, attempts),
    sessions,
    exact,
  };
}
