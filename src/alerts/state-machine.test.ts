import { describe, expect, it } from 'vitest';
import type { Signal } from './rules.js';
import { type RuleState, stepRule } from './state-machine.js';

const options = {
  pendingEvaluations: 2,
  resolveEvaluations: 2,
  repeatIntervalMinutes: 240,
  newId: () => 'incident-1',
};
const at = (minute: number) => new Date(Date.UTC(2026, 10, 25, 10, minute));
const signal = (breaching: boolean, clear: boolean, value = 0.2): Signal => ({
  rule: 'failure_rate',
  scope: 'overall',
  breaching,
  clear,
  value,
  threshold: 0.07,
  baseline: 0.02,
  counts: {},
});
const BREACH = signal(true, false);
const BAND = signal(false, false, 0.08); // between the resolve and the fire thresholds
const CLEAR = signal(false, true, 0.01);

/** Runs a sequence of signals, one per minute, and returns the transitions. */
function run(signals: Signal[], start?: RuleState) {
  let state = start;
  const transitions: (string | undefined)[] = [];
  signals.forEach((s, minute) => {
    const step = stepRule(state, s, at(minute), options);
    state = step.state;
    transitions.push(step.transition);
  });
  return { state, transitions };
}

describe('stepRule', () => {
  it('goes pending on the first breach and fires on the second (pending period)', () => {
    const first = stepRule(undefined, BREACH, at(0), options);
    expect(first).toMatchObject({ state: { phase: 'pending', breaches: 1 }, transition: undefined });
    const second = stepRule(first.state, BREACH, at(1), options);
    expect(second.transition).toBe('opened');
    expect(second.state).toMatchObject({
      phase: 'firing',
      incidentId: 'incident-1',
      openedAt: at(1),
      peak: 0.2,
    });
  });

  it('forgets a pending breach that does not repeat', () => {
    expect(run([BREACH, BAND, BREACH]).transitions).toEqual([undefined, undefined, undefined]);
    expect(run([BREACH, CLEAR]).state).toBeUndefined();
  });

  it('fires at once with a pending period of 1', () => {
    expect(stepRule(undefined, BREACH, at(0), { ...options, pendingEvaluations: 1 }).transition).toBe(
      'opened',
    );
  });

  it('resolves after two clear evaluations, not in the hysteresis band', () => {
    const { transitions, state } = run([BREACH, BREACH, BAND, CLEAR, BAND, CLEAR, CLEAR]);
    expect(transitions).toEqual([
      undefined,
      'opened',
      undefined,
      undefined,
      undefined,
      undefined,
      'resolved',
    ]);
    expect(state).toBeUndefined();
  });

  it('keeps the worst value as the peak and hands it to the resolution', () => {
    let state = run([BREACH, signal(true, false, 0.4)]).state;
    state = stepRule(state, CLEAR, at(2), options).state;
    const resolved = stepRule(state, CLEAR, at(3), options);
    expect(resolved.transition).toBe('resolved');
    expect(resolved.incident?.peak).toBe(0.4);
  });

  it('repeats a notification at most every repeat interval while firing', () => {
    const { state: firing } = run([BREACH, BREACH]);
    const at1 = (minutes: number) => new Date(at(1).getTime() + minutes * 60_000);
    expect(stepRule(firing, BREACH, at1(239), options).transition).toBeUndefined();
    const repeat = stepRule(firing, BREACH, at1(240), options);
    expect(repeat.transition).toBe('repeat');
    expect(repeat.state?.lastNotifiedAt).toEqual(at1(240));
    expect(stepRule(repeat.state, BAND, at1(300), options).transition).toBeUndefined();
  });

  it('keeps the lowest value as the peak of a traffic drop', () => {
    const drop = (value: number): Signal => ({ ...BREACH, rule: 'traffic_drop', value });
    const { state } = run([drop(3), drop(2), drop(0), drop(1)]);
    expect(state?.peak).toBe(0);
  });
});
