import type { Database } from '../storage/index.js';
import { collectFamily, totalOf } from './collect-generation.js';
import { type MetricsQuery, ratio } from './metrics-query.js';
import { num } from './money.js';
import type { Unavailable } from './purged-range.js';
import { planRange, readCoverage } from './range-plan.js';

/** One step of the queue funnel; `lost` and `shareLost` are against the step before. */
export interface QueueStep {
  name: 'queued' | 'claimed' | 'answered' | 'stored';
  count: number | null;
  lost: number | null;
  shareLost: number | null;
}

/** `GET /v1/metrics/queue`: queued → claimed → provider answered → trip stored. */
export interface QueueFunnel {
  from: string;
  to: string;
  steps: QueueStep[];
  /** Attempts of the range still pending (counted as lost at the step they have not passed yet). */
  pending: number;
  unavailable: Unavailable;
}

/** Why a step is unknown. */
export const QUEUE_REASONS = {
  noPhases: 'no attempt of the range reported a phase, so claims (queue_wait) are not known',
  noCalls: 'no attempt of the range recorded a provider call',
} as const;

/**
 * The queue funnel of the attempts started in a range: every attempt is queued; claimed = it has
 * a `queue_wait` phase (the worker took it); answered = claimed and a provider call succeeded;
 * stored = answered and the attempt succeeded. A step the app does not report (no phases, or no
 * calls, in the whole range) is `null` with the reason, and the next step counts from the last known one.
 *
 * @example
 * const { steps } = await getQueue(database, { from, to });
 */
export async function getQueue(database: Database, query: MetricsQuery): Promise<QueueFunnel> {
  const plan = planRange(query.from, query.to, await readCoverage(database));
  const groups = await collectFamily(database, {
    family: 'generation',
    keys: ['status'],
    filter: query,
    plan,
    hists: false,
  });
  const all = totalOf(groups).sums;
  const ok = totalOf(groups.filter((g) => g.key[0] === 'success')).sums;
  const pending = num(totalOf(groups.filter((g) => g.key[0] === 'pending')).sums.attempts);
  const queued = num(all.attempts);
  const knowsClaims = num(all.with_phases) > 0;
  const knowsCalls = num(all.with_calls) > 0;
  const claimed = knowsClaims ? num(all.claimed) : null;
  const answered = knowsCalls ? num(knowsClaims ? all.claimed_answered : all.answered) : null;
  const stored = knowsCalls
    ? num(knowsClaims ? ok.claimed_answered : ok.answered)
    : knowsClaims
      ? num(ok.claimed)
      : num(ok.attempts);
  const steps: QueueStep[] = [{ name: 'queued', count: queued, lost: null, shareLost: null }];
  let last = queued;
  for (const [name, count] of [
    ['claimed', claimed],
    ['answered', answered],
    ['stored', stored],
  ] as const) {
    if (count === null) {
      steps.push({ name, count: null, lost: null, shareLost: null });
      continue;
    }
    steps.push({ name, count, lost: last - count, shareLost: ratio(last - count, last) });
    last = count;
  }
  const unavailable: Unavailable = {};
  if (!knowsClaims) unavailable['steps.claimed'] = QUEUE_REASONS.noPhases;
  if (!knowsCalls) unavailable['steps.answered'] = QUEUE_REASONS.noCalls;
  return { from: query.from.toISOString(), to: query.to.toISOString(), steps, pending, unavailable };
}
