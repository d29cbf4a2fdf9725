import type { AlertsConfig } from '../config/index.js';
import { OVERALL_SCOPE, providerModelScope, type RuleName, type Signal } from './rules.js';
import type { Snapshot } from './snapshot.js';
import { wilsonInterval } from './wilson.js';

/** Failures out of attempts in one window. */
export interface WindowCount {
  minutes: number;
  finished: number;
  failed: number;
}

type FailureConfig = Pick<AlertsConfig, 'failureRate'>;

/** The spike threshold for a baseline rate: max(baseline × factor, baseline + margin). */
export function spikeThreshold(baselineRate: number, config: FailureConfig): number {
  const { factor, marginPoints } = config.failureRate;
  return Math.max(baselineRate * factor, baselineRate + marginPoints / 100);
}

/**
 * One failure-rate signal. It breaches when some window (the main one or a shorter one) holds at
 * least `minFailures` failures AND the 95% Wilson lower bound of its failure rate is above the
 * threshold; it is clear when the Wilson upper bound of the main window is below the threshold
 * (or the main window has no attempts). Between the two is the hysteresis band.
 * `minFailures` defaults to `failureRate.minFailures` (the scoped rules pass `minFailuresPerScope`).
 *
 * @param windows the main window first.
 */
export function failureRateSignal(
  rule: RuleName,
  scope: string,
  windows: readonly WindowCount[],
  baselineRate: number,
  config: FailureConfig,
  minFailures = config.failureRate.minFailures,
): Signal {
  const threshold = spikeThreshold(baselineRate, config);
  const main = windows[0] ?? { minutes: 0, finished: 0, failed: 0 };
  let shown = main;
  let breaching = false;
  for (const window of windows) {
    const { lower } = wilsonInterval(window.failed, window.finished);
    if (window.failed >= minFailures && lower > threshold) {
      if (!breaching || window.failed / window.finished > shown.failed / shown.finished) shown = window;
      breaching = true;
    }
  }
  const clear = main.finished === 0 || wilsonInterval(main.failed, main.finished).upper < threshold;
  return {
    rule,
    scope,
    breaching,
    clear,
    value: shown.finished > 0 ? shown.failed / shown.finished : null,
    threshold,
    baseline: baselineRate,
    counts: { attempts: shown.finished, failures: shown.failed, windowMinutes: shown.minutes },
  };
}

const rate = (failed: number, finished: number) => (finished > 0 ? failed / finished : 0);

/** The failure-rate signals of a snapshot: overall, per provider/model, per error code. */
export function assessFailureRates(snapshot: Snapshot, config: AlertsConfig): Signal[] {
  if (!config.failureRate.enabled) return [];
  const { windows, baseline } = snapshot;
  const baseRate = rate(baseline.totals.failed, baseline.totals.finished);
  const perScope = config.failureRate.minFailuresPerScope;
  const signals = [
    failureRateSignal(
      'failure_rate',
      OVERALL_SCOPE,
      windows.map((w) => ({ minutes: w.minutes, finished: w.totals.finished, failed: w.totals.failed })),
      baseRate,
      config,
    ),
  ];
  if (config.failureRate.byProviderModel) {
    for (const pair of windows[0]?.pairs ?? []) {
      const scope = providerModelScope(pair.provider, pair.model);
      const counts = windows.map((w) => {
        const found = w.pairs.find((p) => providerModelScope(p.provider, p.model) === scope);
        return { minutes: w.minutes, finished: found?.finished ?? 0, failed: found?.failed ?? 0 };
      });
      const base = baseline.pairs.find((p) => providerModelScope(p.provider, p.model) === scope);
      const baseFor =
        base && base.finished >= config.baseline.minAttempts ? rate(base.failed, base.finished) : baseRate;
      signals.push(
        failureRateSignal('failure_rate_provider_model', scope, counts, baseFor, config, perScope),
      );
    }
  }
  if (config.failureRate.byErrorCode) {
    for (const code of windows[0]?.codes ?? []) {
      const counts = windows.map((w) => ({
        minutes: w.minutes,
        finished: w.totals.finished,
        failed: w.codes.find((c) => c.errorCode === code.errorCode)?.failed ?? 0,
      }));
      const base = baseline.codes.find((c) => c.errorCode === code.errorCode)?.failed ?? 0;
      signals.push(
        failureRateSignal(
          'failure_rate_error_code',
          code.errorCode,
          counts,
          rate(base, baseline.totals.finished),
          config,
          perScope,
        ),
      );
    }
  }
  return signals;
}
