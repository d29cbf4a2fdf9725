import { sql } from 'kysely';
import { collectAttempts } from '../../src/metrics/collect-attempts.js';
import type { Segment } from '../../src/metrics/range-plan.js';
import type { Database } from '../../src/storage/index.js';

/** What the rollups hold for a range of whole hours. */
export interface RolledUp {
  attempts: number;
  succeeded: number;
  failed: number;
  pending: number;
  signedIn: number;
  /** Attempts per non-empty `error_code`, whatever their status. */
  byErrorCode: Record<string, number>;
  /** From the merged duration histograms (within ±5 %), `null` without durations. */
  p50: number | null;
  p95: number | null;
  p99: number | null;
  durationCount: number;
  durationSumMs: number;
}

/**
 * Reads `[from, to)` (whole hours) from the rollups alone, the way the dashboard reads a long
 * range: src/metrics' `collectAttempts` over a plan with no raw segment, so the answer says what
 * the rollups hold whether or not the raw rows still exist. The duration count and sum, which no
 * metric shows but the rollups keep exactly, are read from the hourly table.
 *
 * @example
 * const { attempts, p95 } = await rolledUp(database, { from, to });
 */
export async function rolledUp(database: Database, range: Segment): Promise<RolledUp> {
  // The metrics keep rollup answers per handle while a day's generation is unchanged; a new
  // handle over the same connection makes every call read the tables, so a test sees what a
  // job did to them even if it forgot to bump the generation.
  const handle: Database = Object.create(database);
  const plan = { rollup: range, raw: [] };
  const [totals, byFailure, durations] = await Promise.all([
    collectAttempts(handle, { grouping: 'none', filter: {}, plan, percentiles: true }),
    collectAttempts(handle, { grouping: 'failure', filter: {}, plan, percentiles: false }),
    sql<{ count: number; sum: number }>`
      SELECT coalesce(sum(duration_count), 0)::integer AS count, coalesce(sum(duration_sum_ms), 0)::bigint AS sum
      FROM ${sql.table(`${database.schema}.attempt_rollups_hourly`)}
      WHERE bucket >= ${range.from.toISOString()}::timestamptz
        AND bucket < ${range.to.toISOString()}::timestamptz`.execute(database.db),
  ]);
  const group = totals.groups[0];
  const byErrorCode: Record<string, number> = {};
  for (const { key, attempts } of byFailure.groups) {
    if (key[0] !== '') byErrorCode[key[0]] = (byErrorCode[key[0]] ?? 0) + attempts;
  }
  const row = durations.rows[0]!;
  return {
    attempts: group?.attempts ?? 0,
    succeeded: group?.succeeded ?? 0,
    failed: group?.failed ?? 0,
    pending: group?.pending ?? 0,
    signedIn: group?.signedIn ?? 0,
    byErrorCode,
    p50: group?.percentiles?.p50 ?? null,
    p95: group?.percentiles?.p95 ?? null,
    p99: group?.percentiles?.p99 ?? null,
    durationCount: row.count,
    durationSumMs: row.sum,
  };
}
