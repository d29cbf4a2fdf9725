import { CALLS_HIST_CELLS, percentileOf } from '../rollups/index.js';
import type { Database } from '../storage/index.js';
import { collectFamily, totalOf } from './collect-generation.js';
import { type MetricsQuery, ratio, roundMs } from './metrics-query.js';
import { num } from './money.js';
import type { Unavailable } from './purged-range.js';
import { planRange, readCoverage } from './range-plan.js';

/** TTFT and call duration of one provider/model (the model requested), ms (±5 %). */
export interface CallModelRow {
  provider: string;
  model: string;
  calls: number;
  failedCalls: number;
  /** Calls that reported a time to first token. */
  ttftCalls: number;
  ttftP50Ms: number | null;
  ttftP95Ms: number | null;
  durationP50Ms: number | null;
  durationP95Ms: number | null;
}

/** `GET /v1/metrics/calls`: provider calls, calls per attempt, retries, fallbacks, rescues. */
export interface Calls {
  from: string;
  to: string;
  calls: number;
  failedCalls: number;
  attempts: number;
  /** Attempts with at least one provider call recorded. */
  attemptsWithCalls: number;
  callsPerAttempt: {
    /** Over attempts with calls. */
    mean: number | null;
    /** Attempts by number of calls (`calls` 15 counts 15 or more). */
    distribution: { calls: number; attempts: number }[];
  };
  retries: {
    /** Attempts with more than one call, per attempt with calls. */
    retriedAttempts: number;
    retryRate: number | null;
    /** Attempts whose calls went to more than one provider/model (or a `fallback` retry reason). */
    fellBackAttempts: number;
    fallbackRate: number | null;
    /** Attempts with at least one failed call. */
    attemptsWithFailedCall: number;
    /** Of those, the ones that still stored a trip (status success): rescued by a retry. */
    rescued: number;
    rescueRate: number | null;
    /** Rescued attempts that fell back to another provider/model. */
    rescuedByFallback: number;
  };
  retryReasons: { retryReason: string; calls: number; failedCalls: number }[];
  byModel: CallModelRow[];
  unavailable: Unavailable;
}

/** Why call figures are unknown. */
export const NO_CALLS = 'no provider call recorded in the range';

/**
 * Provider calls of a range: count and failures, TTFT and duration p50/p95 per model, calls per
 * attempt, how often attempts retried or fell back and how often that rescued them (the attempt
 * stored a trip after a failed call), and retry reasons. Rates are per attempt with calls.
 *
 * @example
 * const { retries } = await getCalls(database, { from, to });
 * retries.rescueRate; // 0.62
 */
export async function getCalls(database: Database, query: MetricsQuery): Promise<Calls> {
  const plan = planRange(query.from, query.to, await readCoverage(database));
  const [models, reasons, generation] = await Promise.all([
    collectFamily(database, {
      family: 'call',
      keys: ['provider', 'model', 'status'],
      filter: query,
      plan,
      hists: true,
    }),
    collectFamily(database, {
      family: 'call',
      keys: ['retry_reason', 'status'],
      filter: query,
      plan,
      hists: false,
    }),
    collectFamily(database, { family: 'generation', keys: ['status'], filter: query, plan, hists: true }),
  ]);
  const all = totalOf(generation);
  const success = totalOf(generation.filter((g) => g.key[0] === 'success')).sums;
  const withCalls = num(all.sums.with_calls);
  const calls = num(totalOf(models).sums.calls);
  const failedCalls = num(totalOf(models.filter((g) => g.key[2] === 'failed')).sums.calls);
  const byModel = new Map<string, ReturnType<typeof totalOf>[]>();
  for (const g of models) {
    const id = `${g.key[0]}\u0000${g.key[1]}`;
    byModel.set(id, [...(byModel.get(id) ?? []), g]);
  }
  const modelRows: CallModelRow[] = [...byModel.entries()].map(([id, groups]) => {
    const [provider = '', model = ''] = id.split('\u0000');
    const t = totalOf(groups);
    const pct = (hist: number[] | undefined, p: number) => roundMs(hist ? percentileOf(hist, p) : undefined);
    return {
      provider,
      model,
      calls: num(t.sums.calls),
      failedCalls: num(totalOf(groups.filter((g) => g.key[2] === 'failed')).sums.calls),
      ttftCalls: num(t.sums.ttft_count),
      ttftP50Ms: pct(t.hists.ttft_hist, 0.5),
      ttftP95Ms: pct(t.hists.ttft_hist, 0.95),
      durationP50Ms: pct(t.hists.duration_hist, 0.5),
      durationP95Ms: pct(t.hists.duration_hist, 0.95),
    };
  });
  modelRows.sort((a, b) => b.calls - a.calls || a.provider.localeCompare(b.provider));
  const byReason = new Map<string, { retryReason: string; calls: number; failedCalls: number }>();
  for (const g of reasons) {
    const row = byReason.get(g.key[0]!) ?? { retryReason: g.key[0]!, calls: 0, failedCalls: 0 };
    row.calls += num(g.sums.calls);
    if (g.key[1] === 'failed') row.failedCalls += num(g.sums.calls);
    byReason.set(g.key[0]!, row);
  }
  const hist = all.hists.calls_hist ?? new Array<number>(CALLS_HIST_CELLS).fill(0);
  const failedAttempts = num(all.sums.had_failed_call);
  const rescued = num(success.had_failed_call);
  const unavailable: Unavailable = {};
  if (withCalls === 0)
    for (const f of ['callsPerAttempt.mean', 'retries.retryRate', 'retries.fallbackRate'])
      unavailable[f] = NO_CALLS;
  if (failedAttempts === 0) unavailable['retries.rescueRate'] = 'no attempt of the range had a failed call';
  return {
    from: query.from.toISOString(),
    to: query.to.toISOString(),
    calls,
    failedCalls,
    attempts: num(all.sums.attempts),
    attemptsWithCalls: withCalls,
    callsPerAttempt: {
      mean: ratio(num(all.sums.call_sum), withCalls),
      distribution: hist.map((attempts, n) => ({ calls: n, attempts })).filter((d) => d.attempts > 0),
    },
    retries: {
      retriedAttempts: num(all.sums.retried),
      retryRate: ratio(num(all.sums.retried), withCalls),
      fellBackAttempts: num(all.sums.fell_back),
      fallbackRate: ratio(num(all.sums.fell_back), withCalls),
      attemptsWithFailedCall: failedAttempts,
      rescued,
      rescueRate: ratio(rescued, failedAttempts),
      rescuedByFallback: num(success.fell_back_after_failure),
    },
    retryReasons: [...byReason.values()]
      .filter((r) => r.retryReason !== '')
      .sort((a, b) => b.calls - a.calls || a.retryReason.localeCompare(b.retryReason)),
    byModel: modelRows,
    unavailable,
  };
}
