import type { AlertsConfig } from '../config/index.js';
import { countSignal, OVERALL_SCOPE, type Signal } from './rules.js';
import type { Snapshot } from './snapshot.js';

/** p95 duration of the main window above the objective (with enough finished attempts). */
export function assessLatency(snapshot: Snapshot, config: AlertsConfig): Signal[] {
  if (!config.latency.enabled) return [];
  const { objectiveMs, minAttempts } = config.latency;
  const totals = snapshot.windows[0]!.totals;
  const p95 = totals.p95DurationMs;
  const enough = totals.finished >= minAttempts && p95 !== null;
  return [
    {
      rule: 'p95_duration',
      scope: OVERALL_SCOPE,
      breaching: enough && p95 > objectiveMs,
      clear: !enough || p95 <= objectiveMs,
      value: p95,
      threshold: objectiveMs,
      baseline: null,
      counts: { attempts: totals.finished, windowMinutes: snapshot.windows[0]!.minutes },
    },
  ];
}

/** Abandoned attempts in the abandoned window above the allowed count. */
export function assessAbandoned(snapshot: Snapshot, config: AlertsConfig): Signal[] {
  if (!config.abandoned.enabled) return [];
  const { maxCount, windowMinutes } = config.abandoned;
  const count = snapshot.abandoned.abandoned;
  return [
    countSignal('abandoned', count, maxCount, {
      abandoned: count,
      attempts: snapshot.abandoned.started,
      windowMinutes,
    }),
  ];
}

/**
 * Traffic near zero while the baseline expects some: the expected attempts of the window are
 * the baseline's started attempts scaled to the window's length.
 */
export function assessTrafficDrop(snapshot: Snapshot, config: AlertsConfig): Signal[] {
  if (!config.trafficDrop.enabled) return [];
  const { minExpected, maxRatio, recoverRatio } = config.trafficDrop;
  const main = snapshot.windows[0]!;
  const expected =
    snapshot.baselineKind === 'none' || snapshot.baseline.minutes <= 0
      ? 0
      : (snapshot.baseline.totals.started * main.minutes) / snapshot.baseline.minutes;
  const started = main.totals.started;
  const expecting = expected >= minExpected;
  return [
    {
      rule: 'traffic_drop',
      scope: OVERALL_SCOPE,
      breaching: expecting && started <= expected * maxRatio,
      clear: !expecting || started > expected * recoverRatio,
      value: started,
      threshold: expected * maxRatio,
      baseline: expected,
      counts: { attempts: started, expected: Math.round(expected), windowMinutes: main.minutes },
    },
  ];
}
