import { sql } from 'kysely';
import type { Database } from '../storage/index.js';
import { mergeHistograms, percentileOf } from './histogram.js';

/** Attempt metrics of a period, read from the hourly rollups only. */
export interface AttemptSummary {
  attempts: number;
  byStatus: Record<string, number>;
  byErrorCode: Record<string, number>;
  durationCount: number;
  durationSumMs: number;
  p50: number | undefined;
  p95: number | undefined;
  p99: number | undefined;
}

/**
 * Sums the attempt rollups of the hours in `[from, to)`: counts, duration sum and the
 * percentiles of the merged duration histogram. Works after the raw rows are purged.
 *
 * @example
 * const { attempts, p95 } = await summarizeAttempts(database, { from, to });
 */
export async function summarizeAttempts(
  database: Database,
  range: { from: Date; to: Date },
): Promise<AttemptSummary> {
  const { rows } = await sql<{
    status: string;
    error_code: string;
    attempts: number;
    duration_count: number;
    duration_sum_ms: number;
    duration_hist: number[];
  }>`
    SELECT status, error_code, attempts, duration_count, duration_sum_ms, duration_hist
    FROM ${sql.table(`${database.schema}.attempt_rollups_hourly`)}
    WHERE bucket >= ${range.from.toISOString()}::timestamptz AND bucket < ${range.to.toISOString()}::timestamptz`.execute(
    database.db,
  );
  const summary: AttemptSummary = {
    attempts: 0,
    byStatus: {},
    byErrorCode: {},
    durationCount: 0,
    durationSumMs: 0,
    p50: undefined,
    p95: undefined,
    p99: undefined,
  };
  for (const row of rows) {
    summary.attempts += row.attempts;
    summary.byStatus[row.status] = (summary.byStatus[row.status] ?? 0) + row.attempts;
    if (row.error_code !== '')
      summary.byErrorCode[row.error_code] = (summary.byErrorCode[row.error_code] ?? 0) + row.attempts;
    summary.durationCount += row.duration_count;
    summary.durationSumMs += Number(row.duration_sum_ms);
  }
  const hist = mergeHistograms(rows.map((row) => row.duration_hist));
  summary.p50 = percentileOf(hist, 0.5);
  summary.p95 = percentileOf(hist, 0.95);
  summary.p99 = percentileOf(hist, 0.99);
  return summary;
}
