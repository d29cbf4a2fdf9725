import type { Database } from '../storage/index.js';
import { collectAttempts } from './collect-attempts.js';
import { type MetricsQuery, ratio, roundMs } from './metrics-query.js';
import { planRange, readCoverage } from './range-plan.js';

/** One prompt contract version, for side-by-side comparison. */
export interface VersionRow {
  promptContractVersion: string;
  attempts: number;
  successRate: number | null;
  failureRate: number | null;
  p50Ms: number | null;
  p95Ms: number | null;
  p99Ms: number | null;
}

/**
 * Prompt contract versions side by side: volume, success and failure rate, p50/p95/p99.
 *
 * @example
 * const { rows } = await getVersions(database, { from, to, provider: 'openai' });
 */
export async function getVersions(
  database: Database,
  query: MetricsQuery,
): Promise<{ rows: VersionRow[]; exact: boolean }> {
  const plan = planRange(query.from, query.to, await readCoverage(database));
  const { groups, exact } = await collectAttempts(database, {
    grouping: 'version',
    filter: query,
    plan,
    percentiles: true,
  });
  const rows = groups.map((g) => ({
    promptContractVersion: g.key[0],
    attempts: g.attempts,
    successRate: ratio(g.succeeded, g.succeeded + g.failed),
    failureRate: ratio(g.failed, g.succeeded + g.failed),
    p50Ms: roundMs(g.percentiles?.p50),
    p95Ms: roundMs(g.percentiles?.p95),
    p99Ms: roundMs(g.percentiles?.p99),
  }));
  rows.sort((a, b) => b.attempts - a.attempts);
  return { rows, exact };
}
