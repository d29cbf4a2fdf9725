import { type RawBuilder, sql } from 'kysely';
import type { CallRollupsTable, GenerationRollupsTable, PhaseRollupsTable } from '../storage/index.js';
import { bucketIndexSql, HISTOGRAM_BUCKETS } from './histogram.js';

/** Cells of the calls-per-attempt histogram: index = calls, the last cell counts that many or more. */
export const CALLS_HIST_CELLS = 16;

/** The three generation rollup families (tables `<family>_rollups_hourly|daily`, migration 0013). */
export type GenerationFamily = 'call' | 'phase' | 'generation';

/** One family's shape: its dimensions, summed columns and histogram columns (with their cells). */
export interface FamilyShape {
  dimensions: readonly string[];
  sums: readonly string[];
  hists: readonly { column: string; cells: number }[];
}

type Columns<T> = Exclude<keyof T, 'bucket'> & string;

/**
 * Checks at compile time that a family's shape names exactly the columns of its table's row type
 * (storage/schema-types.ts): a column missing from either side is a type error, so the SQL built
 * from the shape and the type readers use cannot drift apart.
 */
function shapeOf<T>() {
  return <
    const D extends readonly Columns<T>[],
    const S extends readonly Columns<T>[],
    const H extends readonly { column: Columns<T>; cells: number }[],
  >(
    shape: { dimensions: D; sums: S; hists: H } & ([
      Exclude<Columns<T>, D[number] | S[number] | H[number]['column']>,
    ] extends [never]
      ? unknown
      : { missing: Exclude<Columns<T>, D[number] | S[number] | H[number]['column']> }),
  ): FamilyShape => shape;
}

const SHARED = ['provider', 'model', 'prompt_contract_version', 'flow', 'source'] as const;

/** The columns of each family, declared once: recompute, daily derivation and readers use them. */
export const FAMILIES: Record<GenerationFamily, FamilyShape> = {
  call: shapeOf<CallRollupsTable>()({
    dimensions: [...SHARED, 'response_model', 'status', 'retry_reason'],
    sums: [
      'calls',
      'token_calls',
      'input_tokens',
      'output_tokens',
      'cached_input_tokens',
      'reasoning_tokens',
      'cost_usd',
      'priced_calls',
      'unpriced_calls',
      'ttft_count',
      'ttft_sum_ms',
      'duration_count',
      'duration_sum_ms',
    ],
    hists: [
      { column: 'ttft_hist', cells: HISTOGRAM_BUCKETS },
      { column: 'duration_hist', cells: HISTOGRAM_BUCKETS },
    ],
  }),
  phase: shapeOf<PhaseRollupsTable>()({
    dimensions: ['phase', ...SHARED],
    sums: ['phases', 'duration_sum_ms', 'e2e_phases', 'e2e_phase_sum_ms', 'e2e_sum_ms'],
    hists: [{ column: 'duration_hist', cells: HISTOGRAM_BUCKETS }],
  }),
  generation: shapeOf<GenerationRollupsTable>()({
    dimensions: ['status', ...SHARED],
    sums: [
      'attempts',
      'with_calls',
      'call_sum',
      'input_tokens',
      'output_tokens',
      'cached_input_tokens',
      'reasoning_tokens',
      'priced_attempts',
      'priced_cost_usd',
      'unpriced_attempts',
      'retried',
      'fell_back',
      'had_failed_call',
      'fell_back_after_failure',
      'with_phases',
      'claimed',
      'answered',
      'claimed_answered',
    ],
    hists: [
      { column: 'calls_hist', cells: CALLS_HIST_CELLS },
      { column: 'cost_hist', cells: HISTOGRAM_BUCKETS },
    ],
  }),
};

/** Every column of a family's rollup table after `bucket`, in order. */
export function familyColumns(family: GenerationFamily): string[] {
  const shape = FAMILIES[family];
  return [...shape.dimensions, ...shape.sums, ...shape.hists.map((h) => h.column)];
}

/**
 * A histogram of `cells` integer counts from an `integer[]` of bucket indexes (NULL or empty
 * gives all zeros): the form of every stored histogram.
 */
function histFromIndexes(indexes: string, cells: number): string {
  return `ARRAY(SELECT coalesce(n.c, 0)::integer FROM generate_series(0, ${cells - 1}) AS g(i)
    LEFT JOIN (SELECT x, count(*) AS c FROM unnest(${indexes}) AS x GROUP BY x) AS n ON n.x = g.i ORDER BY g.i)`;
}

/** Calls and phases of an attempt are looked for this close to its start (partition pruning). */
const NEAR = (t: string, at: string) =>
  `${t}.created_at >= ${at}.created_at - interval '1 day' AND ${t}.created_at < ${at}.created_at + interval '2 days'`;

/**
 * The rows of a family's rollup table computed from raw rows, one set per segment `[from, to)`,
 * labelled with `bucket` = the segment's start: hours when the rollup job recomputes, any
 * segment when a metric reads the part of a range not rolled up yet. The only place that says how
 * a raw row counts, so rollups and raw reads agree.
 */
export function familyRowsSql(
  family: GenerationFamily,
  schema: string,
  segments: readonly { from: Date; to: Date }[],
): RawBuilder<unknown> {
  const froms = segments.map((s) => s.from.toISOString());
  const tos = segments.map((s) => s.to.toISOString());
  const seg = sql`SELECT f, t FROM unnest(${froms}::timestamptz[], ${tos}::timestamptz[]) AS s(f, t)`;
  const t = (name: string) => sql.table(`${schema}.${name}`);
  const calls = t('trip_creation_provider_calls');
  const phases = t('trip_creation_attempt_phases');
  const attempts = t('trip_creation_attempts');
  if (family === 'call') {
    return sql`
      WITH seg AS (${seg}),
      base AS (
        SELECT seg.f AS bucket, coalesce(c.provider, '') AS provider, coalesce(c.model, '') AS model,
          coalesce(c.prompt_contract_version, '') AS prompt_contract_version, coalesce(c.flow, '') AS flow,
          coalesce(c.source, '') AS source, coalesce(c.response_model, '') AS response_model, c.status,
          coalesce(c.retry_reason, '') AS retry_reason, c.input_tokens, c.output_tokens,
          c.cached_input_tokens, c.reasoning_tokens, c.cost_usd, c.ttft_ms, c.duration_ms,
          ${sql.raw(bucketIndexSql('c.ttft_ms'))} AS ti, ${sql.raw(bucketIndexSql('c.duration_ms'))} AS di
        FROM seg JOIN ${calls} AS c ON c.created_at >= seg.f AND c.created_at < seg.t
      ),
      g AS (
        SELECT bucket, provider, model, prompt_contract_version, flow, source, response_model, status, retry_reason,
          count(*)::integer AS calls,
          count(*) FILTER (WHERE input_tokens IS NOT NULL OR output_tokens IS NOT NULL
            OR cached_input_tokens IS NOT NULL OR reasoning_tokens IS NOT NULL)::integer AS token_calls,
          coalesce(sum(input_tokens), 0)::bigint AS input_tokens,
          coalesce(sum(output_tokens), 0)::bigint AS output_tokens,
          coalesce(sum(cached_input_tokens), 0)::bigint AS cached_input_tokens,
          coalesce(sum(reasoning_tokens), 0)::bigint AS reasoning_tokens,
          coalesce(sum(cost_usd), 0)::numeric(30, 12) AS cost_usd,
          count(cost_usd)::integer AS priced_calls, (count(*) - count(cost_usd))::integer AS unpriced_calls,
          count(ttft_ms)::integer AS ttft_count, coalesce(sum(ttft_ms), 0)::bigint AS ttft_sum_ms,
          array_agg(ti) FILTER (WHERE ti IS NOT NULL) AS tis,
          count(duration_ms)::integer AS duration_count, coalesce(sum(duration_ms), 0)::bigint AS duration_sum_ms,
          array_agg(di) FILTER (WHERE di IS NOT NULL) AS dis
        FROM base GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9
      )
      SELECT bucket, provider, model, prompt_contract_version, flow, source, response_model, status, retry_reason,
        calls, token_calls, input_tokens, output_tokens, cached_input_tokens, reasoning_tokens, cost_usd,
        priced_calls, unpriced_calls, ttft_count, ttft_sum_ms, duration_count, duration_sum_ms,
        ${sql.raw(histFromIndexes('g.tis', HISTOGRAM_BUCKETS))} AS ttft_hist,
        ${sql.raw(histFromIndexes('g.dis', HISTOGRAM_BUCKETS))} AS duration_hist
      FROM g`;
  }
  if (family === 'phase') {
    return sql`
      WITH seg AS (${seg}),
      base AS (
        SELECT seg.f AS bucket, p.phase, coalesce(a.provider, '') AS provider, coalesce(a.model, '') AS model,
          coalesce(a.prompt_contract_version, '') AS prompt_contract_version, coalesce(a.flow, '') AS flow,
          coalesce(p.source, '') AS source, p.duration_ms, a.duration_ms AS e2e_ms,
          ${sql.raw(bucketIndexSql('p.duration_ms'))} AS di
        FROM seg JOIN ${phases} AS p ON p.created_at >= seg.f AND p.created_at < seg.t
          LEFT JOIN LATERAL (
            SELECT x.provider, x.model, x.prompt_contract_version, x.flow, x.duration_ms FROM ${attempts} AS x
            WHERE x.request_id = p.request_id AND ${sql.raw(NEAR('p', 'x'))}
            ORDER BY x.created_at LIMIT 1
          ) AS a ON true
      ),
      -- A phase counts towards its attempt's end-to-end time at most whole (see getPhases).
      g AS (
        SELECT bucket, phase, provider, model, prompt_contract_version, flow, source,
          count(*)::integer AS phases, coalesce(sum(duration_ms), 0)::bigint AS duration_sum_ms,
          array_agg(di) AS dis,
          count(*) FILTER (WHERE e2e_ms IS NOT NULL)::integer AS e2e_phases,
          coalesce(sum(least(duration_ms, e2e_ms)) FILTER (WHERE e2e_ms IS NOT NULL), 0)::bigint AS e2e_phase_sum_ms,
          coalesce(sum(e2e_ms), 0)::bigint AS e2e_sum_ms
        FROM base GROUP BY 1, 2, 3, 4, 5, 6, 7
      )
      SELECT bucket, phase, provider, model, prompt_contract_version, flow, source, phases, duration_sum_ms,
        e2e_phases, e2e_phase_sum_ms, e2e_sum_ms,
        ${sql.raw(histFromIndexes('g.dis', HISTOGRAM_BUCKETS))} AS duration_hist
      FROM g`;
  }
  const microUsd = '(round(a.cost_usd * 1000000))';
  return sql`
    WITH seg AS (${seg}),
    base AS (
      SELECT seg.f AS bucket, a.status, coalesce(a.provider, '') AS provider, coalesce(a.model, '') AS model,
        coalesce(a.prompt_contract_version, '') AS prompt_contract_version, coalesce(a.flow, '') AS flow,
        coalesce(a.source, '') AS source, coalesce(a.call_count, c.n, 0) AS n,
        coalesce(a.input_tokens, 0) AS input_tokens, coalesce(a.output_tokens, 0) AS output_tokens,
        coalesce(a.cached_input_tokens, 0) AS cached_input_tokens,
        coalesce(a.reasoning_tokens, 0) AS reasoning_tokens,
        (coalesce(a.call_count, c.n, 0) > 0 AND coalesce(a.unpriced_calls, 0) = 0 AND a.cost_usd IS NOT NULL) AS priced,
        a.cost_usd, ${sql.raw(bucketIndexSql(microUsd))} AS ci,
        coalesce(a.unpriced_calls, 0) > 0 AS unpriced,
        coalesce(c.any_failed, false) AS any_failed, coalesce(c.any_ok, false) AS any_ok,
        coalesce(c.fell_back, false) AS fell_back,
        coalesce(p.n, 0) > 0 AS with_phases, coalesce(p.queue_wait, false) AS claimed
      FROM seg JOIN ${attempts} AS a ON a.created_at >= seg.f AND a.created_at < seg.t
        LEFT JOIN LATERAL (
          SELECT count(*)::integer AS n, bool_or(y.status = 'failed') AS any_failed,
            bool_or(y.status = 'success') AS any_ok,
            (count(DISTINCT (y.provider, y.model)) > 1 OR bool_or(y.retry_reason = 'fallback')) AS fell_back
          FROM ${calls} AS y WHERE y.request_id = a.request_id AND ${sql.raw(NEAR('y', 'a'))}
        ) AS c ON true
        LEFT JOIN LATERAL (
          SELECT count(*)::integer AS n, bool_or(z.phase = 'queue_wait') AS queue_wait
          FROM ${phases} AS z WHERE z.request_id = a.request_id AND ${sql.raw(NEAR('z', 'a'))}
        ) AS p ON true
    ),
    g AS (
      SELECT bucket, status, provider, model, prompt_contract_version, flow, source,
        count(*)::integer AS attempts, count(*) FILTER (WHERE n > 0)::integer AS with_calls,
        coalesce(sum(n), 0)::bigint AS call_sum, array_agg(least(n, ${sql.lit(CALLS_HIST_CELLS - 1)})) AS nis,
        coalesce(sum(input_tokens), 0)::bigint AS input_tokens, coalesce(sum(output_tokens), 0)::bigint AS output_tokens,
        coalesce(sum(cached_input_tokens), 0)::bigint AS cached_input_tokens,
        coalesce(sum(reasoning_tokens), 0)::bigint AS reasoning_tokens,
        count(*) FILTER (WHERE priced)::integer AS priced_attempts,
        coalesce(sum(cost_usd) FILTER (WHERE priced), 0)::numeric(30, 12) AS priced_cost_usd,
        array_agg(ci) FILTER (WHERE priced) AS cis,
        count(*) FILTER (WHERE unpriced)::integer AS unpriced_attempts,
        count(*) FILTER (WHERE n > 1)::integer AS retried,
        count(*) FILTER (WHERE fell_back)::integer AS fell_back,
        count(*) FILTER (WHERE any_failed)::integer AS had_failed_call,
        count(*) FILTER (WHERE fell_back AND any_failed)::integer AS fell_back_after_failure,
        count(*) FILTER (WHERE with_phases)::integer AS with_phases,
        count(*) FILTER (WHERE claimed)::integer AS claimed,
        count(*) FILTER (WHERE any_ok)::integer AS answered,
        count(*) FILTER (WHERE claimed AND any_ok)::integer AS claimed_answered
      FROM base GROUP BY 1, 2, 3, 4, 5, 6, 7
    )
    SELECT bucket, status, provider, model, prompt_contract_version, flow, source, attempts, with_calls, call_sum,
      input_tokens, output_tokens, cached_input_tokens, reasoning_tokens, priced_attempts, priced_cost_usd,
      unpriced_attempts, retried, fell_back, had_failed_call, fell_back_after_failure, with_phases, claimed,
      answered, claimed_answered,
      ${sql.raw(histFromIndexes('g.nis', CALLS_HIST_CELLS))} AS calls_hist,
      ${sql.raw(histFromIndexes('g.cis', HISTOGRAM_BUCKETS))} AS cost_hist
    FROM g`;
}

/** `ARRAY[sum(col[1]), …]::integer[]`: a histogram column summed cell by cell over a group. */
export function cellSumSql(column: string, cells: number): string {
  const parts = Array.from({ length: cells }, (_, i) => `coalesce(sum(${column}[${i + 1}]), 0)`);
  return `ARRAY[${parts.join(', ')}]`;
}
