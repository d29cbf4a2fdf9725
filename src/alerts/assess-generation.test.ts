import { describe, expect, it } from 'vitest';
import { alertsConfigSchema, DEFAULT_ALERTS_CONFIG } from '../config/alerts-settings.js';
import { assessCostPerSuccess, assessStuck } from './assess-generation.js';
import { evaluateOnce } from './detector.js';
import { MemoryDataSource } from './memory-data-source.js';
import type { Snapshot } from './snapshot.js';
import type { RuleState } from './state-machine.js';

const config = DEFAULT_ALERTS_CONFIG;
const MIN = 60_000;

const snapshot = (over: Partial<Pick<Snapshot, 'stuck' | 'cost'>>): Snapshot =>
  ({
    stuck: { count: 0, olderThanMs: 240_000 },
    cost: { window: { priced: 0, costUsd: 0 }, baseline: { priced: 0, costUsd: 0 } },
    ...over,
  }) as Snapshot;
const cost = (priced: number, mean: number) => ({ priced, costUsd: priced * mean });

describe('stuck attempts', () => {
  it('breaches above zero and is clear at zero', () => {
    expect(assessStuck(snapshot({ stuck: { count: 1, olderThanMs: 240_000 } }), config)[0]).toMatchObject({
      rule: 'stuck_attempts',
      breaching: true,
      clear: false,
      value: 1,
      threshold: 0,
    });
    expect(assessStuck(snapshot({}), config)[0]).toMatchObject({ breaching: false, clear: true });
  });

  it('fires only after the pending period, on real pending attempts older than 2 × the timeout', async () => {
    const source = new MemoryDataSource();
    const t0 = Date.UTC(2026, 10, 25, 3, 0);
    source.record({ at: t0, status: 'pending' });
    let states: RuleState[] = [];
    const at = (minutes: number) => new Date(t0 + minutes * MIN);
    const step = async (minutes: number) => {
      const e = await evaluateOnce(source, states, at(minutes), config, { generationTimeoutMs: 120_000 });
      states = e.states;
      return e.transitions.filter((t) => t.incident.rule === 'stuck_attempts').map((t) => t.kind);
    };
    expect(await step(3)).toEqual([]); // 3 min < 2 × 2 min: not stuck yet
    expect(states.filter((s) => s.rule === 'stuck_attempts')).toEqual([]);
    expect(await step(5)).toEqual([]); // stuck: pending
    expect(await step(6)).toEqual(['opened']); // still stuck: fires
    // With a longer timeout the same attempt is not stuck.
    const long = await evaluateOnce(source, [], at(6), config, { generationTimeoutMs: 600_000 });
    expect(long.signals.find((s) => s.rule === 'stuck_attempts')).toMatchObject({
      value: 0,
      breaching: false,
    });
  });
});

describe('cost per successful trip', () => {
  it('breaches above baseline × 1.5 with enough successes on both sides', () => {
    const doubled = snapshot({ cost: { window: cost(40, 0.004), baseline: cost(500, 0.002) } });
    expect(assessCostPerSuccess(doubled, config)[0]).toMatchObject({
      rule: 'cost_per_success',
      breaching: true,
      clear: false,
      baseline: 0.002,
    });
    expect(assessCostPerSuccess(doubled, config)[0]!.value).toBeCloseTo(0.004, 12);
    expect(assessCostPerSuccess(doubled, config)[0]!.threshold).toBeCloseTo(0.003, 12);
  });

  it('needs the minimum volume in the window and in the baseline', () => {
    const few = snapshot({ cost: { window: cost(19, 0.01), baseline: cost(500, 0.002) } });
    expect(assessCostPerSuccess(few, config)[0]).toMatchObject({ breaching: false, clear: true });
    const noBaseline = snapshot({ cost: { window: cost(40, 0.01), baseline: cost(5, 0.002) } });
    expect(assessCostPerSuccess(noBaseline, config)[0]).toMatchObject({ breaching: false, clear: true });
  });

  it('holds an open incident in the band between 1.25× and 1.5× (hysteresis)', () => {
    const band = snapshot({ cost: { window: cost(40, 0.0028), baseline: cost(500, 0.002) } });
    expect(assessCostPerSuccess(band, config)[0]).toMatchObject({ breaching: false, clear: false });
    const back = snapshot({ cost: { window: cost(40, 0.0024), baseline: cost(500, 0.002) } });
    expect(assessCostPerSuccess(back, config)[0]).toMatchObject({ breaching: false, clear: true });
  });

  it('takes its factor from the configuration', () => {
    const strict = alertsConfigSchema.parse({ costPerSuccess: { factor: 1.2, recoverFactor: 1.1 } });
    const up = snapshot({ cost: { window: cost(40, 0.0025), baseline: cost(500, 0.002) } });
    expect(assessCostPerSuccess(up, strict)[0]!.breaching).toBe(true);
    expect(assessCostPerSuccess(up, config)[0]!.breaching).toBe(false);
  });

  it('pages when a prompt change doubles the cost, after the pending period, and resolves when it is undone', async () => {
    const source = new MemoryDataSource();
    const t0 = Date.UTC(2026, 10, 25, 12, 0);
    // A day at $0.002 per success, one success a minute; from t0 on, $0.004.
    for (let m = -24 * 60; m < 0; m++) source.record({ at: t0 + m * MIN, status: 'success', costUsd: 0.002 });
    for (let m = 0; m < 60; m++) source.record({ at: t0 + m * MIN, status: 'success', costUsd: 0.004 });
    let states: RuleState[] = [];
    const opened: number[] = [];
    for (let m = 1; m <= 60; m++) {
      const e = await evaluateOnce(source, states, new Date(t0 + m * MIN), config);
      states = e.states;
      if (e.transitions.some((t) => t.kind === 'opened' && t.incident.rule === 'cost_per_success'))
        opened.push(m);
    }
    // The 60-min mean passes 1.5× the baseline once half the window is doubled (> 30 min), with 20 successes.
    expect(opened).toHaveLength(1);
    expect(opened[0]).toBeGreaterThan(30);
    expect(opened[0]).toBeLessThanOrEqual(33);
  });
});
