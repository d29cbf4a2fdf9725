import type { Database } from '../storage/index.js';
import { collectAttempts } from './collect-attempts.js';
import { type MetricsQuery, ratio, roundMs } from './metrics-query.js';
import { planRange, readCoverage } from './range-plan.js';

/** Below this many attempts a model's rates are flagged as not yet meaningful. */
export const DEFAULT_MIN_VOLUME = 30;

/** One provider/model of the leaderboard. */
export interface ModelRow {
  provider: string;
  model: string;
  attempts: number;
  successRate: number | null;
  p50Ms: number | null;
  p95Ms: number | null;
  /** Fewer attempts than the minimum volume: compare with care. */
  lowVolume: boolean;
}

/**
 * Per provider/model: volume, success rate, p50/p95, most attempts first; rows under
 * `minVolume` attempts are flagged `lowVolume`.
 *
 * @example
 * const rows = await getModels(database, { from, to }, 50);
 */
export async function getModels(
  database: Database,
  query: MetricsQuery,
  minVolume = DEFAULT_MIN_VOLUME,
): Promise<{ minVolume: number; rows: ModelRow[]; exact: boolean }> {
  const plan = planRange(query.from, query.to, await readCoverage(database));
  const { groups, exact } = await collectAttempts(database, {
    grouping: 'model',
    filter: query,
    plan,
    percentiles: true,
  });
  const rows = groups.map((g) => ({
    provider: g.key[0],
    model: g.key[1],
    attempts: g.attempts,
    successRate: ratio(g.succeeded, g.succeeded + g.failed),
    p50Ms: roundMs(g.percentiles?.p50),
    p95Ms: roundMs(g.percentiles?.p95),
    lowVolume: g.attempts < minVolume,
  }));
  rows.sort((a, b) => b.attempts - a.attempts || a.provider.localeCompare(b.provider));
  return { minVolume, rows, exact };
}
