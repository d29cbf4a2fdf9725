import type { Database } from '../storage/index.js';
import { collectAttempts } from './collect-attempts.js';
import { type MetricsQuery, ratio } from './metrics-query.js';
import { planRange, readCoverage } from './range-plan.js';

/** Failures of one error code (and its failure kind). */
export interface FailureRow {
  errorCode: string;
  failureKind: string;
  count: number;
  /** Share of all failed attempts of the range. */
  shareOfFailures: number | null;
  /** Failures of this code per attempt (all attempts of the range). */
  rate: number | null;
  /** The same numbers over the previous window of the same length. */
  previousCount: number;
  previousRate: number | null;
  /** `rate − previousRate` (null when either is unknown). */
  rateChange: number | null;
  trend: 'up' | 'down' | 'flat' | 'new';
}

/** Failures by code over the whole range, with their trend against the previous window. */
export interface Failures {
  attempts: number;
  failed: number;
  previousAttempts: number;
  rows: FailureRow[];
}

async function countByCode(database: Database, query: MetricsQuery) {
  const coverage = await readCoverage(database);
  const plan = planRange(query.from, query.to, coverage);
  const [failures, totals] = await Promise.all([
    collectAttempts(database, {
      grouping: 'failure',
      filter: query,
      plan,
      percentiles: false,
      onlyFailed: true,
    }),
    collectAttempts(database, { grouping: 'none', filter: query, plan, percentiles: false }),
  ]);
  return { groups: failures.groups, attempts: totals.groups[0]?.attempts ?? 0 };
}

/**
 * Failed attempts by `error_code` and `failure_kind` over all of `[from, to)`, largest first,
 * each with its rate and the change against the window just before (same length).
 *
 * @example
 * const { rows } = await getFailures(database, { from, to });
 * rows[0]; // { errorCode: 'OPENAI_REQUEST_TIMEOUT', failureKind: 'timeout', count: 42, trend: 'up', … }
 */
export async function getFailures(database: Database, query: MetricsQuery): Promise<Failures> {
  const length = query.to.getTime() - query.from.getTime();
  const previousQuery = { ...query, from: new Date(query.from.getTime() - length), to: query.from };
  const [now, before] = await Promise.all([
    countByCode(database, query),
    countByCode(database, previousQuery),
  ]);
  const previous = new Map(before.groups.map((g) => [`${g.key[0]}\u0000${g.key[1]}`, g.attempts]));
  const failed = now.groups.reduce((sum, g) => sum + g.attempts, 0);
  const rows = now.groups.map((g): FailureRow => {
    const previousCount = previous.get(`${g.key[0]}\u0000${g.key[1]}`) ?? 0;
    const rate = ratio(g.attempts, now.attempts);
    const previousRate = ratio(previousCount, before.attempts);
    const rateChange = rate !== null && previousRate !== null ? rate - previousRate : null;
    const trend =
      previousCount === 0
        ? 'new'
        : rateChange === null || Math.abs(rateChange) < 0.002
          ? 'flat'
          : rateChange > 0
            ? 'up'
            : 'down';
    return {
      errorCode: g.key[0],
      failureKind: g.key[1],
      count: g.attempts,
      shareOfFailures: ratio(g.attempts, failed),
      rate,
      previousCount,
      previousRate,
      rateChange,
      trend,
    };
  });
  rows.sort((a, b) => b.count - a.count || a.errorCode.localeCompare(b.errorCode));
  return { attempts: now.attempts, failed, previousAttempts: before.attempts, rows };
}
