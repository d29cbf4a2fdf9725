import { type RawBuilder, sql } from 'kysely';
import { picoUsd } from '../domain/index.js';
import { cellSumSql, FAMILIES, familyRowsSql, type GenerationFamily } from '../rollups/index.js';
import type { Database } from '../storage/index.js';
import { DatabaseCache } from './database-cache.js';
import { filterSql, productTable } from './filter-sql.js';
import type { MetricsFilter } from './metrics-query.js';
import type { RangePlan, Segment } from './range-plan.js';
import { dayGenerations, type RollupTable, readRollupDays } from './rollup-day-cache.js';

/** Whole rolled-up segments already merged, per query shape, valid while their days' generations are. */
const segmentCache = new DatabaseCache<{ token: string; groups: FamilyGroup[] }>(2_000);
const DAY_MS = 86_400_000;

/**
 * One group of a generation family: its key values, its sums (`bigint`; cost columns in
 * pico-USD, 10⁻¹² USD, so they add exactly) and its histograms.
 */
export interface FamilyGroup {
  key: string[];
  sums: Record<string, bigint>;
  hists: Record<string, number[]>;
}

/** What {@link collectFamily} reads. */
export interface FamilyOptions {
  family: GenerationFamily;
  /** Dimension columns to group by (`[]`: one group). */
  keys: readonly string[];
  filter: MetricsFilter;
  plan: RangePlan;
  /** Sum the histograms too (costs 282 sums per group on a cold read). */
  hists: boolean;
  /** The rollup generations of the range's days, when the caller read them already (one read for several families). */
  generations?: Map<number, string> | undefined;
}

/** A SQL sum as text → bigint; a numeric with decimals (cost) → pico-USD. */
const parseSum = (text: string | null): bigint =>
  text === null ? 0n : text.includes('.') ? picoUsd(text) : BigInt(text);

/** The select list shared by rollup and raw reads: keys, sums as text, summed histograms. */
function selectList(options: FamilyOptions): RawBuilder<unknown> {
  const shape = FAMILIES[options.family];
  const parts = [
    ...options.keys.map((k, i) => `r.${k} AS k${i}`),
    ...shape.sums.map((s) => `sum(r.${s})::text AS ${s}`),
    ...(options.hists
      ? shape.hists.map((h) => `${cellSumSql(`r.${h.column}`, h.cells)}::float8[] AS ${h.column}`)
      : []),
  ];
  return sql.raw(parts.join(', '));
}

const groupBy = (keys: readonly string[], first: number) =>
  sql.raw(Array.from({ length: keys.length + first }, (_, i) => String(i + 1)).join(', ') || '()');

type Row = Record<string, unknown> & { piece?: number };

function toGroup(row: Row, options: FamilyOptions): FamilyGroup {
  const shape = FAMILIES[options.family];
  const sums: Record<string, bigint> = {};
  for (const s of shape.sums) sums[s] = parseSum(row[s] as string | null);
  const hists: Record<string, number[]> = {};
  if (options.hists)
    for (const h of shape.hists) hists[h.column] = ((row[h.column] as number[]) ?? []).map(Number);
  return { key: options.keys.map((_, i) => String(row[`k${i}`] ?? '')), sums, hists };
}

async function rollupPieces(
  database: Database,
  table: RollupTable,
  pieces: Segment[],
  options: FamilyOptions,
) {
  const { rows } = await sql<Row>`
    SELECT (extract(epoch FROM p.f) * 1000)::float8 AS piece, ${selectList(options)}
    FROM unnest(${pieces.map((p) => p.from.toISOString())}::timestamptz[],
                ${pieces.map((p) => p.to.toISOString())}::timestamptz[]) AS p(f, t)
      JOIN ${productTable(database.schema, `${options.family}_rollups_${table}`)} AS r
        ON r.bucket >= p.f AND r.bucket < p.t
    WHERE true${filterSql(options.filter, 'r')}
    GROUP BY ${groupBy(options.keys, 1)}`.execute(database.db);
  const byPiece = new Map<number, FamilyGroup[]>();
  for (const row of rows) {
    const piece = Number(row.piece);
    byPiece.set(piece, [...(byPiece.get(piece) ?? []), toGroup(row, options)]);
  }
  return byPiece;
}

async function rawGroups(database: Database, segments: Segment[], options: FamilyOptions) {
  if (segments.length === 0) return [];
  const { rows } = await sql<Row>`
    SELECT ${selectList(options)}
    FROM (${familyRowsSql(options.family, database.schema, segments)}) AS r
    WHERE true${filterSql(options.filter, 'r')}
    ${options.keys.length > 0 ? sql`GROUP BY ${groupBy(options.keys, 0)}` : sql``}`.execute(database.db);
  return rows
    .filter((row) => row[FAMILIES[options.family].sums[0]!] !== null)
    .map((row) => toGroup(row, options));
}

/**
 * Groups of a generation family (calls, phases, attempt figures) over a {@link RangePlan}: whole
 * UTC days from the daily rollups and edge hours from the hourly ones, through the per-day
 * cache keyed by each day's rollup generation (a warm 30-day read is one primary-key range read),
 * and the part not rolled up yet from raw rows with the same SQL that builds the rollups.
 * Sums are exact; histograms add cell by cell.
 *
 * @example
 * const groups = await collectFamily(database, { family: 'call', keys: ['provider', 'model'], filter, plan, hists: false });
 */
export async function collectFamily(database: Database, options: FamilyOptions): Promise<FamilyGroup[]> {
  const { provider, model, promptContractVersion, source, flow } = options.filter;
  const dims = [provider, model, promptContractVersion, source, flow];
  const shape = JSON.stringify(['gen', options.family, options.keys, options.hists, dims]);
  const parts = await Promise.all([
    rawGroups(database, options.plan.raw, options),
    options.plan.rollup ? rolledUp(database, options.plan.rollup, shape, options) : Promise.resolve([]),
  ]);
  return mergeGroups(parts.flat());
}

/**
 * The rolled-up segment's groups: the merged answer of the whole segment is reused while the
 * generations of its days are unchanged (a warm read merges nothing), else the per-day cache.
 */
async function rolledUp(database: Database, segment: Segment, shape: string, options: FamilyOptions) {
  const generations = options.generations ?? (await dayGenerations(database, segment.from, segment.to));
  const first = Math.floor(segment.from.getTime() / DAY_MS) * DAY_MS;
  const token = [...generations]
    .filter(([day]) => day >= first && day < segment.to.getTime())
    .sort((a, b) => a[0] - b[0])
    .map(([day, generation]) => `${day}:${generation}`)
    .join(',');
  const key = `${database.schema}|${shape}|${segment.from.getTime()}|${segment.to.getTime()}`;
  const hit = segmentCache.get(database, key);
  if (hit && hit.token === token) return hit.groups;
  const rows = await readRollupDays(
    database,
    segment,
    shape,
    false,
    (table, pieces) => rollupPieces(database, table, pieces, options),
    generations,
  );
  const groups = mergeGroups(rows);
  segmentCache.set(database, key, { token, groups });
  return groups;
}

/** Adds groups with the same key (sums and histograms); the inputs are left unchanged. */
function mergeGroups(groups: readonly FamilyGroup[]): FamilyGroup[] {
  const merged = new Map<string, FamilyGroup>();
  for (const group of groups) {
    const id = group.key.join('\u0000');
    const into = merged.get(id);
    if (!into) {
      merged.set(id, {
        key: group.key,
        sums: { ...group.sums },
        hists: Object.fromEntries(Object.entries(group.hists).map(([k, v]) => [k, [...v]])),
      });
      continue;
    }
    for (const [k, v] of Object.entries(group.sums)) into.sums[k] = (into.sums[k] ?? 0n) + v;
    for (const [k, v] of Object.entries(group.hists)) {
      const target = into.hists[k] ?? [];
      v.forEach((n, i) => {
        target[i] = (target[i] ?? 0) + n;
      });
      into.hists[k] = target;
    }
  }
  return [...merged.values()];
}

/** Adds the sums of several groups (one total), histograms cell by cell. */
export function totalOf(groups: readonly FamilyGroup[]): FamilyGroup {
  const total: FamilyGroup = { key: [], sums: {}, hists: {} };
  for (const g of groups) {
    for (const [k, v] of Object.entries(g.sums)) total.sums[k] = (total.sums[k] ?? 0n) + v;
    for (const [k, v] of Object.entries(g.hists)) {
      const target = total.hists[k] ?? [];
      v.forEach((n, i) => {
        target[i] = (target[i] ?? 0) + n;
      });
      total.hists[k] = target;
    }
  }
  return total;
}
