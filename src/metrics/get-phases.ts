import { percentileOf } from '../rollups/index.js';
import type { Database } from '../storage/index.js';
import { collectAttempts } from './collect-attempts.js';
import { collectFamily } from './collect-generation.js';
import { type MetricsQuery, ratio, roundMs } from './metrics-query.js';
import { num } from './money.js';
import type { Unavailable } from './purged-range.js';
import { planRange, readCoverage } from './range-plan.js';

/** One named phase of the attempts of a range. */
export interface PhaseRow {
  phase: string;
  /** Phases recorded (at most one per attempt and phase name). */
  count: number;
  meanMs: number | null;
  /** From the duration histogram (±5 %). */
  p50Ms: number | null;
  p95Ms: number | null;
  /**
   * Of the end-to-end time of the attempts that report this phase (and have finished), the part
   * spent in it: Σ min(phase, its attempt's end to end) / Σ their end to end, so at most 1. A phase
   * longer than its attempt (a queue wait before the tracker's start, a worker still running after
   * the attempt timed out) counts as the whole of it; `meanMs`, `p50Ms` and `p95Ms` keep its real
   * duration. Phases may overlap, so shares need not add to 1.
   */
  shareOfEndToEnd: number | null;
}

/** `GET /v1/metrics/phases`: where the time of an attempt goes. */
export interface Phases {
  from: string;
  to: string;
  /** In the order of a generation (`queue_wait`, `provider_call`, `parse`, `normalize`, `persist`), then app-defined by name. */
  phases: PhaseRow[];
  /** End-to-end duration of the attempts of the range (the summary's figure). */
  endToEndMs: { p50: number | null; p95: number | null };
  unavailable: Unavailable;
}

/** The phases the origin's worker knows, in the order they run. */
export const KNOWN_PHASES = ['queue_wait', 'provider_call', 'parse', 'normalize', 'persist'];

const rank = (phase: string) => {
  const i = KNOWN_PHASES.indexOf(phase);
  return i < 0 ? KNOWN_PHASES.length : i;
};

/**
 * The phase breakdown of a range: per phase the count, mean, p50/p95 and its share of the
 * end-to-end time of the attempts that report it; and the end-to-end p50/p95. Phases are
 * filtered by their attempt's provider, model, version and flow, and by the source that reported them.
 *
 * @example
 * const { phases } = await getPhases(database, { from, to });
 */
export async function getPhases(database: Database, query: MetricsQuery): Promise<Phases> {
  const plan = planRange(query.from, query.to, await readCoverage(database));
  const [groups, attempts] = await Promise.all([
    collectFamily(database, { family: 'phase', keys: ['phase'], filter: query, plan, hists: true }),
    collectAttempts(database, { grouping: 'none', filter: query, plan, percentiles: true }),
  ]);
  const phases = groups.map((g): PhaseRow => {
    const s = g.sums;
    const hist = g.hists.duration_hist ?? [];
    return {
      phase: g.key[0]!,
      count: num(s.phases),
      meanMs: roundMs(ratio(num(s.duration_sum_ms), num(s.phases))),
      p50Ms: roundMs(percentileOf(hist, 0.5)),
      p95Ms: roundMs(percentileOf(hist, 0.95)),
      shareOfEndToEnd: ratio(num(s.e2e_phase_sum_ms), num(s.e2e_sum_ms)),
    };
  });
  phases.sort((a, b) => rank(a.phase) - rank(b.phase) || a.phase.localeCompare(b.phase));
  const e2e = attempts.groups[0]?.percentiles;
  const unavailable: Unavailable = {};
  if (phases.length === 0) unavailable.phases = 'no phase recorded in the range (the app reports none)';
  return {
    from: query.from.toISOString(),
    to: query.to.toISOString(),
    phases,
    endToEndMs: { p50: roundMs(e2e?.p50), p95: roundMs(e2e?.p95) },
    unavailable,
  };
}
