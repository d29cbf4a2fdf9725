/** The rules the detector evaluates, each per scope. */
export const RULES = {
  failure_rate: { title: 'Failure-rate spike', higherIsWorse: true },
  failure_rate_provider_model: { title: 'Failure-rate spike of a provider/model', higherIsWorse: true },
  failure_rate_error_code: { title: 'Spike of one error code', higherIsWorse: true },
  p95_duration: { title: 'p95 duration above the objective', higherIsWorse: true },
  abandoned: { title: 'Abandoned attempts', higherIsWorse: true },
  traffic_drop: { title: 'Traffic dropped to near zero', higherIsWorse: false },
  stuck_attempts: { title: 'Stuck attempts', higherIsWorse: true },
  cost_per_success: { title: 'Cost per successful trip above its baseline', higherIsWorse: true },
} as const;

/** The name of a rule (stored in `alert_incidents.rule`). */
export type RuleName = keyof typeof RULES;

/** The scope of a rule that watches everything. */
export const OVERALL_SCOPE = 'overall';

/** The scope key of a provider/model pair, e.g. `openai/gpt-4o` (`-` for an unknown part). */
export function providerModelScope(provider: string | null, model: string | null): string {
  return `${provider ?? '-'}/${model ?? '-'}`;
}

/**
 * What one rule saw for one scope at one evaluation: whether it breaches (counts towards
 * firing), whether it is clear (counts towards resolving), and the numbers behind it. Neither
 * breaching nor clear is the hysteresis band: an open incident stays open, a pending one resets.
 */
export interface Signal {
  rule: RuleName;
  scope: string;
  breaching: boolean;
  clear: boolean;
  /** The observed measure: a failure rate (0–1), a p95 in ms, a count of attempts. */
  value: number | null;
  threshold: number;
  /** The baseline of the measure, when the rule has one. */
  baseline: number | null;
  /** The counts behind the value (attempts, failures, window minutes, …), stored on incidents. */
  counts: Record<string, number | string>;
}

/**
 * The signal of an overall count that must stay at or below `maxCount` (abandoned attempts,
 * stuck attempts): breaching above it, clear at or below it, no baseline.
 */
export function countSignal(
  rule: RuleName,
  count: number,
  maxCount: number,
  counts: Signal['counts'],
): Signal {
  return {
    rule,
    scope: OVERALL_SCOPE,
    breaching: count > maxCount,
    clear: count <= maxCount,
    value: count,
    threshold: maxCount,
    baseline: null,
    counts,
  };
}
