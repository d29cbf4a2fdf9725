import type { AlertsConfig } from '../config/index.js';
import { countSignal, OVERALL_SCOPE, type Signal } from './rules.js';
import type { Snapshot } from './snapshot.js';

/** Attempts pending longer than `timeoutFactor` × the generation timeout, above the allowed count. */
export function assessStuck(snapshot: Snapshot, config: AlertsConfig): Signal[] {
  if (!config.stuckAttempts.enabled) return [];
  const { maxCount } = config.stuckAttempts;
  const { count, olderThanMs } = snapshot.stuck;
  return [countSignal('stuck_attempts', count, maxCount, { stuck: count, pendingLongerThanMs: olderThanMs })];
}

/**
 * Mean cost per successful priced attempt of the cost window against its baseline: breaching
 * above baseline × `factor`, clear at or under baseline × `recoverFactor` (hysteresis), both
 * only with `minSuccesses` priced successes in the window and in the baseline; without them it
 * neither fires nor holds an incident open.
 */
export function assessCostPerSuccess(snapshot: Snapshot, config: AlertsConfig): Signal[] {
  if (!config.costPerSuccess.enabled) return [];
  const { factor, recoverFactor, minSuccesses, windowMinutes, baselineHours } = config.costPerSuccess;
  const { window, baseline } = snapshot.cost;
  const mean = window.priced > 0 ? window.costUsd / window.priced : null;
  const base = baseline.priced > 0 ? baseline.costUsd / baseline.priced : null;
  const enough =
    window.priced >= minSuccesses && baseline.priced >= minSuccesses && mean !== null && base !== null;
  const threshold = base === null ? 0 : base * factor;
  return [
    {
      rule: 'cost_per_success',
      scope: OVERALL_SCOPE,
      breaching: enough && mean > threshold,
      clear: !enough || mean <= base * recoverFactor,
      value: mean,
      threshold,
      baseline: base,
      counts: { successes: window.priced, baselineSuccesses: baseline.priced, windowMinutes, baselineHours },
    },
  ];
}
