import { newId as defaultNewId } from '../domain/index.js';
import { RULES, type RuleName, type Signal } from './rules.js';

/** The persisted state of one rule for one scope; absent means ok (nothing pending or open). */
export interface RuleState {
  rule: RuleName;
  scope: string;
  phase: 'pending' | 'firing';
  /** Consecutive breaching evaluations (pending). */
  breaches: number;
  /** Consecutive clear evaluations (firing). */
  clears: number;
  /** The open incident (firing). */
  incidentId: string | null;
  openedAt: Date | null;
  lastNotifiedAt: Date | null;
  /** The worst value seen while firing. */
  peak: number | null;
}

/** A change worth telling people about. */
export type TransitionKind = 'opened' | 'repeat' | 'resolved';

/** Timing of the state machine. */
export interface MachineOptions {
  pendingEvaluations: number;
  resolveEvaluations: number;
  repeatIntervalMinutes: number;
  newId?: () => string;
}

/** The next state of one rule/scope (undefined: ok again) and what happened. */
export interface Step {
  state: RuleState | undefined;
  transition: TransitionKind | undefined;
  /** The incident's state a transition is about (for `resolved`, the closing state). */
  incident?: RuleState;
}

function worse(rule: RuleName, a: number | null, b: number | null): number | null {
  if (a === null) return b;
  if (b === null) return a;
  return RULES[rule].higherIsWorse ? Math.max(a, b) : Math.min(a, b);
}

/**
 * One evaluation of one rule/scope: ok → pending (breaching) → firing after
 * `pendingEvaluations` consecutive breaches (opens an incident) → resolved after
 * `resolveEvaluations` consecutive clear evaluations. A pending state that stops breaching goes
 * back to ok; a firing state that is not clear resets its clear count (hysteresis) and asks for
 * a repeat notification once `repeatIntervalMinutes` passed since the last one. Pure.
 */
export function stepRule(
  previous: RuleState | undefined,
  signal: Signal,
  now: Date,
  options: MachineOptions,
): Step {
  const newId = options.newId ?? defaultNewId;
  if (!previous || previous.phase === 'pending') {
    if (!signal.breaching) return { state: undefined, transition: undefined };
    const breaches = (previous?.breaches ?? 0) + 1;
    if (breaches < options.pendingEvaluations) {
      const base = { incidentId: null, openedAt: null, lastNotifiedAt: null, peak: null, clears: 0 };
      return {
        state: { ...base, rule: signal.rule, scope: signal.scope, phase: 'pending', breaches },
        transition: undefined,
      };
    }
    const opened: RuleState = {
      rule: signal.rule,
      scope: signal.scope,
      phase: 'firing',
      breaches,
      clears: 0,
      incidentId: newId(),
      openedAt: now,
      lastNotifiedAt: now,
      peak: signal.value,
    };
    return { state: opened, transition: 'opened', incident: opened };
  }
  const peak = worse(signal.rule, previous.peak, signal.value);
  if (signal.clear) {
    const clears = previous.clears + 1;
    if (clears >= options.resolveEvaluations)
      return { state: undefined, transition: 'resolved', incident: { ...previous, clears, peak } };
    return { state: { ...previous, clears, peak }, transition: undefined };
  }
  const last = previous.lastNotifiedAt?.getTime() ?? 0;
  if (now.getTime() - last >= options.repeatIntervalMinutes * 60_000) {
    const repeated: RuleState = { ...previous, clears: 0, peak, lastNotifiedAt: now };
    return { state: repeated, transition: 'repeat', incident: repeated };
  }
  return { state: { ...previous, clears: 0, peak }, transition: undefined };
}

/** A signal for a scope that has no data this evaluation: nothing breaches, so it is clear. */
export function quietSignal(state: RuleState): Signal {
  return {
    rule: state.rule,
    scope: state.scope,
    breaching: false,
    clear: true,
    value: null,
    threshold: 0,
    baseline: null,
    counts: {},
  };
}
