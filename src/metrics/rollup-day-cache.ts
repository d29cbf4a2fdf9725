import { sql } from 'kysely';
import type { Database } from '../storage/index.js';
import { DatabaseCache } from './database-cache.js';
import type { Segment } from './range-plan.js';

const DAY_MS = 86_400_000;
/** Bound on cached (day piece, query shape) entries per database. */
const MAX_ENTRIES = 20_000;

/** Which rollup table a piece is read from: whole UTC days from the daily one, the rest hourly. */
export type RollupTable = 'daily' | 'hourly';

/**
 * Reads the rows of some pieces (each within one UTC day) of one rollup table in one query,
 * keyed by the start of their piece (ms).
 */
export type PieceReader<R> = (table: RollupTable, pieces: Segment[]) => Promise<Map<number, R[]>>;

interface Entry<R> {
  generation: string;
  rows: R[];
}

const cache = new DatabaseCache<Entry<unknown>>(MAX_ENTRIES);

/**
 * The generation of each UTC day in `[from, to)` that has rollups: the id of the transaction that
 * last rewrote its hourly and daily rows (see migration 0007). One primary-key range read.
 */
export async function dayGenerations(database: Database, from: Date, to: Date): Promise<Map<number, string>> {
  const { rows } = await sql<{ day: number; generation: string }>`
    SELECT (extract(epoch FROM day) * 1000)::float8 AS day, generation::text AS generation
    FROM ${sql.table(`${database.schema}.rollup_day_generations`)}
    WHERE day >= ${new Date(Math.floor(from.getTime() / DAY_MS) * DAY_MS).toISOString()}::timestamptz
      AND day < ${to.toISOString()}::timestamptz`.execute(database.db);
  return new Map(rows.map((row) => [Number(row.day), row.generation]));
}

/**
 * Reads the rollup rows of `segment` (whole hours) through a per-process cache of UTC-day
 * pieces: whole days come from `attempt_rollups_daily` (unless `hourlyOnly`, for hourly
 * series), partial days at the edges from `attempt_rollups_hourly`. Each piece's answer (per
 * query shape) is kept with its day's generation and reused while that is unchanged; the
 * pieces that miss are read with one query per table. A warm 30-day read costs one primary-key
 * range read of at most 31 generation rows.
 *
 * @example
 * const rows = await readRollupDays(database, segment, 'none|{}', false, (table, pieces) => read(table, pieces));
 */
export async function readRollupDays<R>(
  database: Database,
  segment: Segment,
  shape: string,
  hourlyOnly: boolean,
  read: PieceReader<R>,
  known?: Map<number, string>,
): Promise<R[]> {
  // `known`: generations a caller already read for a range covering this segment.
  const generations = known ?? (await dayGenerations(database, segment.from, segment.to));
  const out: R[][] = [];
  const missing: Record<RollupTable, { piece: Segment; key: string; generation: string }[]> = {
    daily: [],
    hourly: [],
  };
  for (let t = segment.from.getTime(); t < segment.to.getTime(); ) {
    const day = Math.floor(t / DAY_MS) * DAY_MS;
    const next = Math.min(segment.to.getTime(), day + DAY_MS);
    const piece = { from: new Date(t), to: new Date(next) };
    t = next;
    const generation = generations.get(day);
    if (generation === undefined) continue; // no rollup rows that day
    const table: RollupTable =
      !hourlyOnly && piece.from.getTime() === day && next === day + DAY_MS ? 'daily' : 'hourly';
    const key = `${database.schema}|${shape}|${table}|${piece.from.getTime()}|${next}`;
    const hit = cache.get(database, key) as Entry<R> | undefined;
    if (hit && hit.generation === generation) out.push(hit.rows);
    else missing[table].push({ piece, key, generation });
  }
  const reads = (Object.keys(missing) as RollupTable[]).map(async (table) => {
    const wanted = missing[table];
    if (wanted.length === 0) return;
    const byPiece = await read(
      table,
      wanted.map((w) => w.piece),
    );
    for (const { piece, key, generation } of wanted) {
      const rows = byPiece.get(piece.from.getTime()) ?? [];
      cache.set(database, key, { generation, rows });
      out.push(rows);
    }
  });
  await Promise.all(reads);
  return out.flat();
}
