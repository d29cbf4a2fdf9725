import { sql } from 'kysely';
import type { Database } from '../storage/index.js';
import type { Segment } from './range-plan.js';

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;
/** Bound on cached (day, query shape) entries per database. */
const MAX_ENTRIES = 20_000;

interface Entry<R> {
  checksum: string;
  rows: R[];
}

const caches = new WeakMap<Database, Map<string, Entry<unknown>>>();

/**
 * A fingerprint of each hour of rollup rows in `[from, to)`: row count, attempts,
 * durations and a hash of every row's dimensions weighted by its attempts. Any recompute of an
 * hour that changes its aggregates changes its day's fingerprint. Reads no histogram.
 */
async function hourChecksums(database: Database, from: Date, to: Date): Promise<Map<number, string>> {
  const { rows } = await sql<{ hour: number; checksum: string }>`
    SELECT floor(extract(epoch FROM bucket) / 3600)::integer AS hour,
      concat_ws(':', count(*), sum(attempts), sum(duration_count), sum(duration_sum_ms),
        sum(hashtext(concat_ws('|', status, error_code, failure_kind, provider, model, prompt_contract_version,
          source, signed_in::text))::bigint * attempts)) AS checksum
    FROM ${sql.table(`${database.schema}.attempt_rollups_hourly`)}
    WHERE bucket >= ${from.toISOString()}::timestamptz AND bucket < ${to.toISOString()}::timestamptz
    GROUP BY 1`.execute(database.db);
  return new Map(rows.map((row) => [Number(row.hour) * HOUR_MS, row.checksum]));
}

/**
 * Reads the rollup rows of `segment` through a per-process cache of whole UTC days: each day's
 * answer (per query shape) is kept with its day's fingerprint and reused while the fingerprint
 * is unchanged, so a 30-day range merges 30 cached answers instead of summing tens of
 * thousands of 282-bucket histograms. Partial days at the edges are cached the same way (by the
 * fingerprints of their hours).
 *
 * @example
 * const rows = await readRollupDays(database, segment, 'summary|{}', (s) => rollupRows(database, s, options));
 */
export async function readRollupDays<R>(
  database: Database,
  segment: Segment,
  shape: string,
  read: (segment: Segment) => Promise<R[]>,
): Promise<R[]> {
  let cache = caches.get(database);
  if (!cache) {
    cache = new Map();
    caches.set(database, cache);
  }
  const store = cache;
  // Pieces: the whole UTC days of the segment, and the partial days at its edges.
  const pieces: Segment[] = [];
  for (let t = segment.from.getTime(); t < segment.to.getTime(); ) {
    const next = Math.min(segment.to.getTime(), (Math.floor(t / DAY_MS) + 1) * DAY_MS);
    pieces.push({ from: new Date(t), to: new Date(next) });
    t = next;
  }
  const checksums = await hourChecksums(database, segment.from, segment.to);
  const parts = pieces.map((piece) => {
    const sums: string[] = [];
    for (let h = piece.from.getTime(); h < piece.to.getTime(); h += HOUR_MS) {
      const c = checksums.get(h);
      if (c !== undefined) sums.push(`${h}=${c}`);
    }
    if (sums.length === 0) return Promise.resolve([] as R[]); // no rollup rows there
    const checksum = sums.join(',');
    const key = `${database.schema}|${shape}|${piece.from.getTime()}|${piece.to.getTime()}`;
    const hit = store.get(key) as Entry<R> | undefined;
    if (hit && hit.checksum === checksum) return Promise.resolve(hit.rows);
    return read(piece).then((rows) => {
      store.delete(key);
      store.set(key, { checksum, rows });
      if (store.size > MAX_ENTRIES) store.delete(store.keys().next().value as string);
      return rows;
    });
  });
  return (await Promise.all(parts)).flat();
}
