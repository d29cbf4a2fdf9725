import type { AlertsConfig } from '../config/index.js';
import { assessFailureRates } from './assess-failure-rate.js';
import { assessCostPerSuccess, assessStuck } from './assess-generation.js';
import { assessAbandoned, assessLatency, assessTrafficDrop } from './assess-volume.js';
import type { AlertDataSource } from './data-source.js';
import type { Signal } from './rules.js';
import { collectSnapshot, type Snapshot } from './snapshot.js';
import { quietSignal, type RuleState, stepRule, type TransitionKind } from './state-machine.js';

/** A change of one incident, with the signal that caused it. */
export interface Transition {
  kind: TransitionKind;
  incident: RuleState;
  signal: Signal;
}

/** The outcome of one evaluation: every signal, the next states, the transitions. */
export interface Evaluation {
  at: Date;
  snapshot: Snapshot;
  signals: Signal[];
  /** The states to keep (pending and firing); everything else is ok. */
  states: RuleState[];
  transitions: Transition[];
}

const keyOf = (rule: string, scope: string) => `${rule}\u0000${scope}`;

/** Every rule's signals for a snapshot. Pure. */
export function assessSnapshot(snapshot: Snapshot, config: AlertsConfig): Signal[] {
  return [
    ...assessFailureRates(snapshot, config),
    ...assessLatency(snapshot, config),
    ...assessAbandoned(snapshot, config),
    ...assessTrafficDrop(snapshot, config),
    ...assessStuck(snapshot, config),
    ...assessCostPerSuccess(snapshot, config),
  ];
}

/**
 * Steps every rule/scope through the state machine. A state whose scope has no signal this time
 * (its traffic is gone, or its rule was disabled) counts as clear. Pure.
 */
export function stepAll(
  previous: readonly RuleState[],
  signals: readonly Signal[],
  at: Date,
  config: AlertsConfig,
  newId?: () => string,
): Pick<Evaluation, 'states' | 'transitions'> {
  const before = new Map(previous.map((s) => [keyOf(s.rule, s.scope), s]));
  const seen = new Set<string>();
  const states: RuleState[] = [];
  const transitions: Transition[] = [];
  const options = { ...config, ...(newId ? { newId } : {}) };
  const visit = (signal: Signal, prior: RuleState | undefined) => {
    const step = stepRule(prior, signal, at, options);
    if (step.state) states.push(step.state);
    if (step.transition && step.incident)
      transitions.push({ kind: step.transition, incident: step.incident, signal });
  };
  for (const signal of signals) {
    const key = keyOf(signal.rule, signal.scope);
    seen.add(key);
    visit(signal, before.get(key));
  }
  for (const [key, state] of before) if (!seen.has(key)) visit(quietSignal(state), state);
  return { states, transitions };
}

/** Options of {@link evaluateOnce}. */
export interface EvaluateOnceOptions {
  /** Ids of new incidents (tests make them predictable). */
  newId?: () => string;
  /** The app's generation timeout (`generationTimeoutMs`); stuck = pending for a multiple of it. */
  generationTimeoutMs?: number;
}

/**
 * One evaluation at `at` over any data source, from the previous states. Used by the leader job
 * (SQL source, states from `alert_rule_state`) and by the simulation (in-memory source).
 *
 * @example
 * let states: RuleState[] = [];
 * const result = await evaluateOnce(source, states, now, DEFAULT_ALERTS_CONFIG);
 * states = result.states;
 */
export async function evaluateOnce(
  source: AlertDataSource,
  previous: readonly RuleState[],
  at: Date,
  config: AlertsConfig,
  options: EvaluateOnceOptions = {},
): Promise<Evaluation> {
  const snapshot = await collectSnapshot(source, at, config, options.generationTimeoutMs);
  const signals = assessSnapshot(snapshot, config);
  return { at, snapshot, signals, ...stepAll(previous, signals, at, config, options.newId) };
}
