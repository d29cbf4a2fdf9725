import type { Database } from '../storage/index.js';
import { collectAttempts, type Percentiles } from './collect-attempts.js';
import { getSessionStatsCached, type SessionStats } from './get-session-stats.js';
import { type MetricsQuery, ratio, roundMs } from './metrics-query.js';
import { PURGED_BY_RETENTION, rawRowsPurged, type Unavailable } from './purged-range.js';
import { planRange, readCoverage } from './range-plan.js';

/** The session figures when raw rows of the range are gone: unknown, not 0. */
const UNKNOWN_SESSIONS: SessionStats = Object.freeze({
  anonSessions: null,
  attemptsPerAnonSession: null,
  linkedShare: null,
  sampled: 1,
});
const SESSION_FIGURES = ['sessions.anonSessions', 'sessions.attemptsPerAnonSession', 'sessions.linkedShare'];

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
  /**
   * Figures that are `null` because they cannot be known, with the reason: the session figures
   * once retention deleted raw rows of the range (the rollups hold no identifiers), e.g.
   * `{ "sessions.anonSessions": "raw rows purged by retention", … }`. `{}` when all are known.
   */
  unavailable: Unavailable;
}

/**
 * The summary of `[from, to)`: attempts, success and failure rate, p50/p95/p99, attempts per
 * anonymous session, share of signed-in attempts and of anonymous sessions later linked. Counts,
 * rates and the signed-in share come from rollups where raw rows are gone (percentiles within
 * ±5 %); the session figures need raw rows, so they are `null` and listed in `unavailable` once
 * retention deleted rows of the range.
 *
 * @example
 * const summary = await getSummary(database, { from, to, provider: 'openai' });
 * console.log(summary.attempts, summary.durationMs.p95);
 */
export async function getSummary(database: Database, query: MetricsQuery): Promise<Summary> {
  const coverage = await readCoverage(database);
  const plan = planRange(query.from, query.to, coverage);
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
  const purged = await rawRowsPurged(database, query, coverage);
  const sessions = purged ? UNKNOWN_SESSIONS : await getSessionStatsCached(database, query, attempts);
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
    unavailable: purged ? Object.fromEntries(SESSION_FIGURES.map((f) => [f, PURGED_BY_RETENTION])) : {},
  };
}
