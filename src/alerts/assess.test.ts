import { describe, expect, it } from 'vitest';
import { DEFAULT_ALERTS_CONFIG } from '../config/alerts-settings.js';
import { failureRateSignal, spikeThreshold } from './assess-failure-rate.js';
import { assessAbandoned, assessLatency, assessTrafficDrop } from './assess-volume.js';
import type { RangeTotals } from './data-source.js';
import { assessSnapshot, stepAll } from './detector.js';
import type { RangeStats, Snapshot } from './snapshot.js';

const config = DEFAULT_ALERTS_CONFIG;
const totals = (t: Partial<RangeTotals>): RangeTotals => ({
  started: t.finished ?? 0,
  finished: 0,
  failed: 0,
  abandoned: 0,
  p95DurationMs: null,
  ...t,
});
const stats = (minutes: number, t: Partial<RangeTotals>, extra: Partial<RangeStats> = {}): RangeStats => ({
  range: { from: new Date(0), to: new Date(minutes * 60_000) },
  minutes,
  totals: totals(t),
  pairs: [],
  codes: [],
  ...extra,
});
const snapshot = (window: RangeStats, baseline: RangeStats, abandoned = totals({})): Snapshot => ({
  at: new Date(0),
  windows: [window],
  abandoned,
  baselineKind: 'same_hour_of_week',
  baseline,
  stuck: { count: 0, olderThanMs: 240_000 },
  cost: { window: { priced: 0, costUsd: 0 }, baseline: { priced: 0, costUsd: 0 } },
});
const BASELINE = stats(60, { finished: 6000, failed: 120 }); // 2%

describe('failure-rate spike', () => {
  it('uses max(baseline × 2, baseline + 5 points) as the threshold', () => {
    expect(spikeThreshold(0.02, config)).toBeCloseTo(0.07);
    expect(spikeThreshold(0.1, config)).toBeCloseTo(0.2);
    expect(spikeThreshold(0, config)).toBeCloseTo(0.05);
  });

  it('needs the minimum number of failures even when the rate is extreme', () => {
    const s = failureRateSignal(
      'failure_rate',
      'overall',
      [{ minutes: 10, finished: 4, failed: 4 }],
      0.02,
      config,
    );
    expect(s.breaching).toBe(false);
  });

  it('needs the Wilson lower bound above the threshold, not just the point rate', () => {
    // 9/100 = 9% > 7%, but the lower bound (4.8%) is not: noise at low volume.
    const noisy = failureRateSignal(
      'failure_rate',
      'overall',
      [{ minutes: 10, finished: 100, failed: 9 }],
      0.02,
      config,
    );
    expect(noisy).toMatchObject({ breaching: false, clear: false });
    const real = failureRateSignal(
      'failure_rate',
      'overall',
      [{ minutes: 10, finished: 200, failed: 30 }],
      0.02,
      config,
    );
    expect(real).toMatchObject({ breaching: true, clear: false, value: 0.15 });
  });

  it('is clear only when the Wilson upper bound is under the threshold (hysteresis)', () => {
    const s = failureRateSignal(
      'failure_rate',
      'overall',
      [{ minutes: 10, finished: 1000, failed: 20 }],
      0.02,
      config,
    );
    expect(s).toMatchObject({ breaching: false, clear: true });
  });

  it('sees a spike in a short window before the long one does', () => {
    const windows = [
      { minutes: 10, finished: 2000, failed: 66 }, // 3.3%: diluted
      { minutes: 1, finished: 200, failed: 30 }, // 15%
    ];
    const s = failureRateSignal('failure_rate', 'overall', windows, 0.02, config);
    expect(s).toMatchObject({ breaching: true, counts: { windowMinutes: 1, failures: 30 } });
  });

  it('is evaluated per provider/model and per error code against their own baselines', () => {
    const window = stats(
      10,
      { finished: 2000, failed: 136 }, // 6.8%: under the overall threshold of 7%
      {
        pairs: [
          { provider: 'openai', model: 'gpt-4o', finished: 1400, failed: 28 },
          { provider: 'acme', model: 'm1', finished: 600, failed: 108 },
        ],
        codes: [
          { errorCode: 'PROVIDER_TIMEOUT', failed: 130 }, // 6.5%, usually 0: over its threshold of 5%
          { errorCode: 'RATE_LIMITED', failed: 6 }, // 0.3%, usually 1%
        ],
      },
    );
    const baseline = stats(
      60,
      { finished: 6000, failed: 120 },
      { codes: [{ errorCode: 'RATE_LIMITED', failed: 60 }] },
    );
    const signals = assessSnapshot(snapshot(window, baseline), config);
    const breaching = signals.filter((s) => s.breaching).map((s) => `${s.rule}:${s.scope}`);
    expect(breaching).toEqual([
      'failure_rate_provider_model:acme/m1',
      'failure_rate_error_code:PROVIDER_TIMEOUT',
    ]);
  });
});

describe('p95 duration', () => {
  it('fires above the objective with enough attempts', () => {
    const over = assessLatency(
      snapshot(stats(10, { finished: 50, p95DurationMs: 80_000 }), BASELINE),
      config,
    );
    expect(over[0]).toMatchObject({ rule: 'p95_duration', breaching: true, clear: false, threshold: 75_000 });
    const few = assessLatency(snapshot(stats(10, { finished: 5, p95DurationMs: 90_000 }), BASELINE), config);
    expect(few[0]).toMatchObject({ breaching: false, clear: true });
    const under = assessLatency(
      snapshot(stats(10, { finished: 50, p95DurationMs: 30_000 }), BASELINE),
      config,
    );
    expect(under[0]).toMatchObject({ breaching: false, clear: true });
  });
});

describe('abandoned attempts', () => {
  it('fires above the allowed count in its window', () => {
    const at = (n: number) =>
      assessAbandoned(snapshot(stats(10, {}), BASELINE, totals({ abandoned: n })), config)[0];
    expect(at(5)).toMatchObject({ breaching: false, clear: true });
    expect(at(6)).toMatchObject({ breaching: true, clear: false, value: 6 });
  });
});

describe('traffic drop', () => {
  const baseline = stats(60, { finished: 600, started: 600 }); // expects 100 in 10 minutes
  it('fires near zero when the baseline expects traffic', () => {
    expect(assessTrafficDrop(snapshot(stats(10, { started: 3 }), baseline), config)[0]).toMatchObject({
      breaching: true,
      baseline: 100,
    });
    expect(assessTrafficDrop(snapshot(stats(10, { started: 30 }), baseline), config)[0]).toMatchObject({
      breaching: false,
      clear: false,
    });
    expect(assessTrafficDrop(snapshot(stats(10, { started: 60 }), baseline), config)[0]).toMatchObject({
      clear: true,
    });
  });

  it('stays quiet when the baseline expects almost nothing', () => {
    const quiet = stats(60, { finished: 60, started: 60 }); // 10 expected
    expect(assessTrafficDrop(snapshot(stats(10, { started: 0 }), quiet), config)[0]?.breaching).toBe(false);
  });
});

describe('stepAll', () => {
  it('resolves an incident whose scope has gone quiet', () => {
    const state = {
      rule: 'failure_rate_error_code' as const,
      scope: 'GONE',
      phase: 'firing' as const,
      breaches: 2,
      clears: 1,
      incidentId: 'i',
      openedAt: new Date(0),
      lastNotifiedAt: new Date(0),
      peak: 0.3,
    };
    const { states, transitions } = stepAll([state], [], new Date(60_000), config);
    expect(states).toEqual([]);
    expect(transitions.map((t) => t.kind)).toEqual(['resolved']);
  });
});
