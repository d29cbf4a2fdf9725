import { type RawBuilder, sql } from 'kysely';
import { bucketIndexSql, histogramSumSql, mergeHistograms, percentileOf } from '../rollups/index.js';
import type { Database } from '../storage/index.js';
import { filterSql, productTable } from './filter-sql.js';
import type { MetricsFilter } from './metrics-query.js';
import type { RangePlan, Segment } from './range-plan.js';
import { type RollupTable, readRollupDays } from './rollup-day-cache.js';

/** How attempts are grouped: one group, time buckets (UTC), or a dimension. */
export type Grouping = 'none' | 'hour' | 'day' | 'model' | 'version' | 'failure';

/** Duration percentiles in ms (`null` when no attempt of the group has a duration). */
export interface Percentiles {
  p50: number | null;
  p95: number | null;
  p99: number | null;
}

/** The attempt counts of one group. `key` holds up to two values (e.g. provider and model). */
export interface AttemptGroup {
  key: [string, string];
  attempts: number;
  succeeded: number;
  failed: number;
  pending: number;
  signedIn: number;
  percentiles: Percentiles | undefined;
}

/** What {@link collectAttempts} reads. */
export interface CollectOptions {
  grouping: Grouping;
  filter: MetricsFilter;
  plan: RangePlan;
  /** Compute duration percentiles (costs a histogram merge on rollups). */
  percentiles: boolean;
  /** Only failed attempts (failures by code). */
  onlyFailed?: boolean;
}

interface Counted {
  k1: string;
  k2: string;
  attempts: number;
  succeeded: number;
  failed: number;
  pending: number;
  signed_in: number;
}

function keySql(grouping: Grouping, time: string, alias: string): [RawBuilder<unknown>, RawBuilder<unknown>] {
  const col = (name: string) => sql.ref(`${alias}.${name}`);
  const t = sql.ref(`${alias}.${time}`);
  switch (grouping) {
    case 'hour':
      return [
        sql`to_char(date_trunc('hour', ${t} AT TIME ZONE 'UTC'), 'YYYY-MM-DD"T"HH24":00:00Z"')`,
        sql`''`,
      ];
    case 'day':
      return [sql`to_char(date_trunc('day', ${t} AT TIME ZONE 'UTC'), 'YYYY-MM-DD"T00:00:00Z"')`, sql`''`];
    case 'model':
      return [sql`coalesce(${col('provider')}, '')`, sql`coalesce(${col('model')}, '')`];
    case 'version':
      return [sql`${col('prompt_contract_version')}`, sql`''`];
    case 'failure':
      return [sql`coalesce(${col('error_code')}, '')`, sql`coalesce(${col('failure_kind')}, '')`];
    default:
      return [sql`''`, sql`''`];
  }
}

const HIST_SUMS = sql.raw(histogramSumSql('r.duration_hist'));

function rawWhere(segment: Segment, options: CollectOptions) {
  const failed = options.onlyFailed ? sql` AND a.status = 'failed'` : sql``;
  return sql`a.created_at >= ${segment.from.toISOString()}::timestamptz
    AND a.created_at < ${segment.to.toISOString()}::timestamptz${failed}${filterSql(options.filter, 'a')}`;
}

async function rawCounts(database: Database, segment: Segment, options: CollectOptions, exact: boolean) {
  const [k1, k2] = keySql(options.grouping, 'created_at', 'a');
  const pct = exact
    ? sql`, percentile_cont(ARRAY[0.5, 0.95, 0.99]) WITHIN GROUP (ORDER BY a.duration_ms) AS pct`
    : sql``;
  const { rows } = await sql<Counted & { pct?: number[] | null }>`
    SELECT ${k1} AS k1, ${k2} AS k2, count(*)::integer AS attempts,
      count(*) FILTER (WHERE a.status = 'success')::integer AS succeeded,
      count(*) FILTER (WHERE a.status = 'failed')::integer AS failed,
      count(*) FILTER (WHERE a.status = 'pending')::integer AS pending,
      count(*) FILTER (WHERE a.user_id IS NOT NULL)::integer AS signed_in${pct}
    FROM ${productTable(database.schema, 'trip_creation_attempts')} AS a
    WHERE ${rawWhere(segment, options)}
    GROUP BY 1, 2`.execute(database.db);
  return rows;
}

async function rawHistograms(database: Database, segment: Segment, options: CollectOptions) {
  const [k1, k2] = keySql(options.grouping, 'created_at', 'a');
  const { rows } = await sql<{ k1: string; k2: string; idx: number; n: number }>`
    SELECT ${k1} AS k1, ${k2} AS k2, ${sql.raw(bucketIndexSql('a.duration_ms'))} AS idx, count(*)::integer AS n
    FROM ${productTable(database.schema, 'trip_creation_attempts')} AS a
    WHERE ${rawWhere(segment, options)} AND a.duration_ms IS NOT NULL
    GROUP BY 1, 2, 3`.execute(database.db);
  return rows;
}

type RolledUp = Counted & { piece: number; hist?: number[] };

/** The groups of several day pieces of one rollup table, one query, keyed by piece start. */
async function rollupRows(
  database: Database,
  table: RollupTable,
  pieces: Segment[],
  options: CollectOptions,
): Promise<Map<number, RolledUp[]>> {
  const [k1, k2] = keySql(options.grouping, 'bucket', 'r');
  const failed = options.onlyFailed ? sql` AND r.status = 'failed'` : sql``;
  const hist = options.percentiles ? sql`, ${HIST_SUMS} AS hist` : sql``;
  const froms = pieces.map((p) => p.from.toISOString());
  const tos = pieces.map((p) => p.to.toISOString());
  const { rows } = await sql<RolledUp>`
    SELECT (extract(epoch FROM p.f) * 1000)::float8 AS piece, ${k1} AS k1, ${k2} AS k2,
      sum(r.attempts)::integer AS attempts,
      coalesce(sum(r.attempts) FILTER (WHERE r.status = 'success'), 0)::integer AS succeeded,
      coalesce(sum(r.attempts) FILTER (WHERE r.status = 'failed'), 0)::integer AS failed,
      coalesce(sum(r.attempts) FILTER (WHERE r.status = 'pending'), 0)::integer AS pending,
      coalesce(sum(r.attempts) FILTER (WHERE r.signed_in), 0)::integer AS signed_in${hist}
    FROM unnest(${froms}::timestamptz[], ${tos}::timestamptz[]) AS p(f, t)
      JOIN ${productTable(database.schema, `attempt_rollups_${table}`)} AS r
        ON r.bucket >= p.f AND r.bucket < p.t
    WHERE true${failed}${filterSql(options.filter, 'r')}
    GROUP BY 1, 2, 3`.execute(database.db);
  const byPiece = new Map<number, RolledUp[]>();
  for (const row of rows) {
    const piece = Number(row.piece);
    const list = byPiece.get(piece);
    if (list) list.push(row);
    else byPiece.set(piece, [row]);
  }
  return byPiece;
}

/** What distinguishes one rollup query from another (the cache key besides the day). */
function shapeOf(options: CollectOptions): string {
  const { grouping, filter, percentiles, onlyFailed } = options;
  return JSON.stringify([
    grouping,
    percentiles,
    onlyFailed ?? false,
    filter.provider,
    filter.model,
    filter.promptContractVersion,
    filter.source,
    filter.flow,
  ]);
}

interface Acc extends AttemptGroup {
  hists: number[][];
}

/**
 * Counts attempts per group over a {@link RangePlan}: raw segments with SQL on the attempts
 * table, the rolled-up segment from `attempt_rollups_daily` for whole UTC days and
 * `attempt_rollups_hourly` for the hours around them (and for hourly series). Percentiles are exact
 * (`percentile_cont`) when the plan is raw only, else read from the merged log-scale duration
 * histograms (within ±5 %). `exact` says which.
 */
export async function collectAttempts(
  database: Database,
  options: CollectOptions,
): Promise<{ groups: AttemptGroup[]; exact: boolean }> {
  const exact = options.plan.rollup === undefined;
  const groups = new Map<string, Acc>();
  const acc = (k1: string, k2: string): Acc => {
    const id = `${k1}\u0000${k2}`;
    let group = groups.get(id);
    if (!group) {
      group = {
        key: [k1, k2],
        attempts: 0,
        succeeded: 0,
        failed: 0,
        pending: 0,
        signedIn: 0,
        percentiles: undefined,
        hists: [],
      };
      groups.set(id, group);
    }
    return group;
  };
  const add = (row: Counted) => {
    const group = acc(row.k1, row.k2);
    group.attempts += row.attempts;
    group.succeeded += row.succeeded;
    group.failed += row.failed;
    group.pending += row.pending;
    group.signedIn += row.signed_in;
    return group;
  };
  const wantPct = options.percentiles;
  const jobs: Promise<void>[] = options.plan.raw.map(async (segment) => {
    const rows = await rawCounts(database, segment, options, exact && wantPct);
    for (const row of rows) {
      const group = add(row);
      if (exact && wantPct) {
        const pct = row.pct ?? null;
        group.percentiles = { p50: pct?.[0] ?? null, p95: pct?.[1] ?? null, p99: pct?.[2] ?? null };
      }
    }
    if (!exact && wantPct) {
      for (const row of await rawHistograms(database, segment, options)) {
        const hist = new Array<number>(row.idx + 1).fill(0);
        hist[row.idx] = row.n;
        acc(row.k1, row.k2).hists.push(hist);
      }
    }
  });
  const rollup = options.plan.rollup;
  if (rollup) {
    jobs.push(
      readRollupDays(database, rollup, shapeOf(options), options.grouping === 'hour', (table, pieces) =>
        rollupRows(database, table, pieces, options),
      ).then((rows) => {
        for (const row of rows) {
          const group = add(row);
          if (row.hist) group.hists.push(row.hist.map(Number));
        }
      }),
    );
  }
  await Promise.all(jobs);
  const result: AttemptGroup[] = [];
  for (const { hists, ...group } of groups.values()) {
    if (wantPct && !exact) {
      const merged = mergeHistograms(hists);
      group.percentiles = {
        p50: percentileOf(merged, 0.5) ?? null,
        p95: percentileOf(merged, 0.95) ?? null,
        p99: percentileOf(merged, 0.99) ?? null,
      };
    } else if (wantPct && group.percentiles === undefined) {
      group.percentiles = { p50: null, p95: null, p99: null };
    }
    result.push(group);
  }
  result.sort((a, b) => (a.key[0] + a.key[1] < b.key[0] + b.key[1] ? -1 : 1));
  return { groups: result, exact };
}
