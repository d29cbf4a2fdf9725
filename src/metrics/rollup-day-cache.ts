import { sql } from 'kysely';
import type { Database } from '../storage/index.js';
import type { Segment } from './range-plan.js';

const DAY_MS = 86_400_000;
/** Bound on cached (day, query shape) entries per database. */
const MAX_ENTRIES = 20_000;

interface Entry<R> {
  checksum: string;
  rows: R[];
}

const caches = new WeakMap<Database, Map<string, Entry<unknown>>>();

/**
 * A fingerprint of each whole UTC day of rollup rows in `[from, to)`: row count, attempts,
 * durations and a hash of every row's dimensions weighted by its attempts. Any recompute of an
 * hour that changes its aggregates changes its day's fingerprint. Reads no histogram.
 */
async function dayChecksums(database: Database, from: Date, to: Date): Promise<Map<number, string>> {
  const { rows } = await sql<{ day: number; checksum: string }>`
    SELECT floor(extract(epoch FROM bucket) / 86400)::integer AS day,
      concat_ws(':', count(*), sum(attempts), sum(duration_count), sum(duration_sum_ms),
        sum(hashtext(concat_ws('|', status, error_code, failure_kind, provider, model, prompt_contract_version,
          source, signed_in::text))::bigint * attempts)) AS checksum
    FROM ${sql.table(`${database.schema}.attempt_rollups_hourly`)}
    WHERE bucket >= ${from.toISOString()}::timestamptz AND bucket < ${to.toISOString()}::timestamptz
    GROUP BY 1`.execute(database.db);
  return new Map(rows.map((row) => [Number(row.day) * DAY_MS, row.checksum]));
}

/**
 * Reads the rollup rows of `segment` through a per-process cache of whole UTC days: each day's
 * answer (per query shape) is kept with its day's fingerprint and reused while the fingerprint
 * is unchanged, so a 30-day range merges 30 cached answers instead of summing tens of
 * thousands of 282-bucket histograms. Partial days at the edges are always read.
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
  const firstDay = Math.ceil(segment.from.getTime() / DAY_MS) * DAY_MS;
  const endDay = Math.floor(segment.to.getTime() / DAY_MS) * DAY_MS;
  if (endDay - firstDay < DAY_MS) return read(segment);
  let cache = caches.get(database);
  if (!cache) {
    cache = new Map();
    caches.set(database, cache);
  }
  const parts: Promise<R[]>[] = [];
  if (segment.from.getTime() < firstDay) parts.push(read({ from: segment.from, to: new Date(firstDay) }));
  if (endDay < segment.to.getTime()) parts.push(read({ from: new Date(endDay), to: segment.to }));
  const checksums = await dayChecksums(database, new Date(firstDay), new Date(endDay));
  for (let day = firstDay; day < endDay; day += DAY_MS) {
    const checksum = checksums.get(day);
    if (checksum === undefined) continue; // no rollup rows that day
    const key = `${database.schema}|${shape}|${day}`;
    const hit = cache.get(key) as Entry<R> | undefined;
    if (hit && hit.checksum === checksum) {
      parts.push(Promise.resolve(hit.rows));
      continue;
    }
    parts.push(
      read({ from: new Date(day), to: new Date(day + DAY_MS) }).then((rows) => {
        cache.delete(key);
        cache.set(key, { checksum, rows });
        if (cache.size > MAX_ENTRIES) cache.delete(cache.keys().next().value as string);
        return rows;
      }),
    );
  }
  return (await Promise.all(parts)).flat();
}
