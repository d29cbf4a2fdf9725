import { sql } from 'kysely';
import type { Database } from '../storage/index.js';

const HOUR_MS = 3_600_000;

/** Ranges up to this long are answered from raw rows alone, with exact percentiles. */
export const SHORT_RANGE_MS = 48 * HOUR_MS;

/** A half-open time segment `[from, to)`. */
export interface Segment {
  from: Date;
  to: Date;
}

/**
 * Where the rows of a range come from: whole hours already rolled up (`rollup`) and the rest
 * (partial edge hours, the hours after the last rollup run) from raw rows.
 */
export interface RangePlan {
  rollup: Segment | undefined;
  raw: Segment[];
}

const floorHour = (t: number) => Math.floor(t / HOUR_MS) * HOUR_MS;
const ceilHour = (t: number) => Math.ceil(t / HOUR_MS) * HOUR_MS;

/** The rollup bookkeeping that decides a plan (see src/rollups). */
export interface RollupCoverage {
  /** Hours before this hour start are fully rolled up (the hour of the last rollup run). */
  rolledUpThrough: Date | null;
  /** Hours before this are final: their raw rows may be purged. */
  finalizedThrough: Date | null;
}

/** Reads the rollup coverage; `null`s when the rollup job never ran. */
export async function readCoverage(database: Database): Promise<RollupCoverage> {
  const { rows } = await sql<{ last_run_at: Date | null; finalized_through: Date | null }>`
    SELECT last_run_at, finalized_through FROM ${sql.table(`${database.schema}.rollup_state`)}
    WHERE name = 'hourly'`.execute(database.db);
  const row = rows[0];
  return {
    rolledUpThrough: row?.last_run_at ? new Date(floorHour(new Date(row.last_run_at).getTime())) : null,
    finalizedThrough: row?.finalized_through ? new Date(row.finalized_through) : null,
  };
}

/**
 * Splits `[from, to)`: short ranges (≤ 48 h) whose raw rows still exist read raw rows only;
 * longer ones read the rolled-up whole hours from the hourly rollups and only the edges from
 * raw rows, so they stay fast and keep answering after raw rows are purged.
 *
 * @example
 * planRange(from, to, { rolledUpThrough: new Date('2026-11-25T10:00:00Z'), finalizedThrough: null });
 */
export function planRange(from: Date, to: Date, coverage: RollupCoverage): RangePlan {
  const all: RangePlan = { rollup: undefined, raw: [{ from, to }] };
  if (coverage.rolledUpThrough === null) return all;
  const purged = coverage.finalizedThrough !== null && from < coverage.finalizedThrough;
  if (to.getTime() - from.getTime() <= SHORT_RANGE_MS && !purged) return all;
  const start = ceilHour(from.getTime());
  const end = Math.min(floorHour(to.getTime()), coverage.rolledUpThrough.getTime());
  if (end <= start) return all;
  const raw: Segment[] = [];
  if (from.getTime() < start) raw.push({ from, to: new Date(start) });
  if (end < to.getTime()) raw.push({ from: new Date(end), to });
  return { rollup: { from: new Date(start), to: new Date(end) }, raw };
}
