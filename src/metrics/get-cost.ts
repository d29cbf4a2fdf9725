import { usdText } from '../domain/index.js';
import type { Database } from '../storage/index.js';
import { collectFamily, type FamilyGroup, totalOf } from './collect-generation.js';
import type { MetricsQuery } from './metrics-query.js';
import { costQuantile, num, usd, usdPer } from './money.js';
import type { Unavailable } from './purged-range.js';
import { planRange, type RollupCoverage, readCoverage } from './range-plan.js';
import { dayGenerations } from './rollup-day-cache.js';

/** Why a cost figure is unknown. */
export const COST_REASONS = {
  noCalls: 'no provider call recorded in the range',
  allUnpriced: 'every provider call of the range is unpriced (no price for its model)',
  noTokens: 'no provider call of the range reported token counts',
  noPricedSuccess: 'no successful attempt of the range has all its calls priced',
} as const;

/** Tokens of a set of calls; `null` when none of them reported a count. */
export interface TokenTotals {
  input: number;
  output: number;
  cachedInput: number;
  reasoning: number;
}

/** Cost and tokens of one provider/model (the model requested) or one prompt contract version. */
export interface CostRow {
  calls: number;
  pricedCalls: number;
  unpricedCalls: number;
  /** Sum over priced calls (USD); `null` when none is priced. */
  costUsd: number | null;
  tokens: TokenTotals | null;
}

/** Cost of a successful attempt (trip stored): defined over successes whose calls are all priced. */
export interface PerSuccessfulTrip {
  successes: number;
  /** Successes with calls all priced: the ones the figures below describe. */
  pricedSuccesses: number;
  /** Successes with at least one unpriced call (cost unknown, not counted as $0). */
  unpricedSuccesses: number;
  /** Successes that recorded no provider call. */
  successesWithoutCalls: number;
  meanUsd: number | null;
  /** From the cost histogram (±5 %). */
  p50Usd: number | null;
  p95Usd: number | null;
}

/** `GET /v1/metrics/cost`. */
export interface Cost {
  from: string;
  to: string;
  currency: 'USD';
  /** Sum of cost over priced calls of the range; `null` when no call is priced. */
  totalCostUsd: number | null;
  /** The same sum, exact, as a decimal string (12 decimals). */
  totalCostUsdExact: string | null;
  calls: number;
  pricedCalls: number;
  unpricedCalls: number;
  tokens: TokenTotals | null;
  perSuccessfulTrip: PerSuccessfulTrip;
  /** Most expensive first; unpriced models after, flagged by `unpricedCalls`. */
  byModel: (CostRow & { provider: string; model: string })[];
  byVersion: (CostRow & { promptContractVersion: string; perSuccessfulTripMeanUsd: number | null })[];
  /** Models with unpriced calls in the range (add a price: `tripmeter prices set`). */
  unpricedModels: { provider: string; model: string; calls: number }[];
  /** The window of the same length just before the range. */
  previous: { totalCostUsd: number | null; perSuccessfulTripMeanUsd: number | null; successes: number };
  /** Figures that are `null` because they cannot be known, with the reason. */
  unavailable: Unavailable;
}

function costRow(g: FamilyGroup): CostRow {
  const s = g.sums;
  const priced = num(s.priced_calls);
  return {
    calls: num(s.calls),
    pricedCalls: priced,
    unpricedCalls: num(s.unpriced_calls),
    costUsd: priced > 0 ? usd(s.cost_usd ?? 0n) : null,
    tokens:
      num(s.token_calls) > 0
        ? {
            input: num(s.input_tokens),
            output: num(s.output_tokens),
            cachedInput: num(s.cached_input_tokens),
            reasoning: num(s.reasoning_tokens),
          }
        : null,
  };
}

function perSuccess(successGroups: FamilyGroup[]): PerSuccessfulTrip {
  const t = totalOf(successGroups).sums;
  const hist = totalOf(successGroups).hists.cost_hist;
  const priced = num(t.priced_attempts);
  return {
    successes: num(t.attempts),
    pricedSuccesses: priced,
    unpricedSuccesses: num(t.unpriced_attempts),
    successesWithoutCalls: num(t.attempts) - num(t.with_calls),
    meanUsd: usdPer(t.priced_cost_usd ?? 0n, priced),
    p50Usd: priced > 0 ? costQuantile(hist, 0.5) : null,
    p95Usd: priced > 0 ? costQuantile(hist, 0.95) : null,
  };
}

type Shared = { coverage: RollupCoverage; generations: Map<number, string> };

/** Calls by provider/model/version (one read serves both tables) and attempt figures by version/status. */
async function read(database: Database, query: MetricsQuery, detail: boolean, shared: Shared) {
  const plan = planRange(query.from, query.to, shared.coverage);
  const read = (family: 'call' | 'generation', keys: string[], hists: boolean) =>
    collectFamily(database, { family, keys, filter: query, plan, hists, generations: shared.generations });
  const [calls, generation] = await Promise.all([
    read('call', ['provider', 'model', 'prompt_contract_version'], false),
    read('generation', ['prompt_contract_version', 'status'], detail),
  ]);
  return { byModel: regroup(calls, [0, 1]), byVersion: regroup(calls, [2]), generation };
}

/** Groups summed over the key positions kept. */
function regroup(groups: FamilyGroup[], keep: number[]): FamilyGroup[] {
  const out = new Map<string, FamilyGroup[]>();
  for (const g of groups) {
    const key = keep.map((i) => g.key[i] ?? '');
    const id = key.join('\u0000');
    out.set(id, [...(out.get(id) ?? []), { ...g, key }]);
  }
  return [...out.values()].map((list) => ({ ...totalOf(list), key: list[0]!.key }));
}

/**
 * What a range's generations cost: the total over priced calls (exact), tokens, the cost per
 * successful trip (over successes whose calls are all priced: mean exact, p50/p95 ±5 %), cost
 * and tokens per provider/model and per prompt contract version, the unpriced models, and the
 * previous window. Calls are filtered by their own provider/model; attempt figures by the
 * attempt's. From rollups for long ranges (survives the purge of raw rows).
 *
 * @example
 * const cost = await getCost(database, { from, to, provider: 'openai' });
 * cost.perSuccessfulTrip.meanUsd; // 0.0213
 */
export async function getCost(database: Database, query: MetricsQuery): Promise<Cost> {
  const length = query.to.getTime() - query.from.getTime();
  const previousQuery = { ...query, from: new Date(query.from.getTime() - length), to: query.from };
  // One coverage read and one read of the day generations for both windows: a warm answer costs two queries.
  const [coverage, generations] = await Promise.all([
    readCoverage(database),
    dayGenerations(database, previousQuery.from, query.to),
  ]);
  const shared = { coverage, generations };
  const [now, before] = await Promise.all([
    read(database, query, true, shared),
    read(database, previousQuery, false, shared),
  ]);
  const total = costRow(totalOf(now.byVersion));
  const totalPico = totalOf(now.byVersion).sums.cost_usd ?? 0n;
  const successes = (groups: FamilyGroup[]) => groups.filter((g) => g.key[1] === 'success');
  const perSuccessfulTrip = perSuccess(successes(now.generation));
  const unavailable: Unavailable = {};
  if (total.calls === 0) {
    unavailable.totalCostUsd = COST_REASONS.noCalls;
    unavailable.tokens = COST_REASONS.noCalls;
  } else {
    if (total.pricedCalls === 0) unavailable.totalCostUsd = COST_REASONS.allUnpriced;
    if (total.tokens === null) unavailable.tokens = COST_REASONS.noTokens;
  }
  if (perSuccessfulTrip.pricedSuccesses === 0)
    for (const f of ['meanUsd', 'p50Usd', 'p95Usd'])
      unavailable[`perSuccessfulTrip.${f}`] = COST_REASONS.noPricedSuccess;
  const byModel = now.byModel
    .map((g) => ({ provider: g.key[0]!, model: g.key[1]!, ...costRow(g) }))
    .sort((a, b) => (b.costUsd ?? -1) - (a.costUsd ?? -1) || b.calls - a.calls);
  const byVersion = now.byVersion.map((g) => ({
    promptContractVersion: g.key[0]!,
    ...costRow(g),
    perSuccessfulTripMeanUsd: perSuccess(successes(now.generation.filter((x) => x.key[0] === g.key[0])))
      .meanUsd,
  }));
  byVersion.sort((a, b) => b.calls - a.calls);
  const previousSuccess = perSuccess(successes(before.generation));
  const previousTotal = costRow(totalOf(before.byVersion));
  return {
    from: query.from.toISOString(),
    to: query.to.toISOString(),
    currency: 'USD',
    totalCostUsd: total.costUsd,
    totalCostUsdExact: total.pricedCalls > 0 ? usdText(totalPico) : null,
    calls: total.calls,
    pricedCalls: total.pricedCalls,
    unpricedCalls: total.unpricedCalls,
    tokens: total.tokens,
    perSuccessfulTrip,
    byModel,
    byVersion,
    unpricedModels: byModel
      .filter((r) => r.unpricedCalls > 0)
      .map((r) => ({ provider: r.provider, model: r.model, calls: r.unpricedCalls })),
    previous: {
      totalCostUsd: previousTotal.costUsd,
      perSuccessfulTripMeanUsd: previousSuccess.meanUsd,
      successes: previousSuccess.successes,
    },
    unavailable,
  };
}
