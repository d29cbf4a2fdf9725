/**
 * Alerting on error spikes: rules (failure-rate spike overall / per provider-model / per error
 * code, p95 duration, abandoned attempts, traffic drop, stuck attempts, cost per successful trip), a detector over any data source, the
 * pending → firing → resolved state machine, the leader job that stores incidents and the
 * webhook notifiers.
 */

export { type AlertMessage, alertMessage, testMessage } from './alert-message.js';
export { failureRateSignal, spikeThreshold } from './assess-failure-rate.js';
export * from './data-source.js';
export { type DeliverOptions, type DeliveryAttempt, deliver, deliveryKey } from './deliver.js';
export {
  assessSnapshot,
  type EvaluateOnceOptions,
  type Evaluation,
  evaluateOnce,
  stepAll,
  type Transition,
} from './detector.js';
export {
  type EvaluateAlertsOptions,
  type EvaluateAlertsResult,
  evaluateAlerts,
  sendMessages,
} from './evaluate-alerts.js';
export type { Incident } from './incident.js';
export { ALERTS_LOCK_KEY, asLeader, type LeaderOutcome } from './leadership.js';
export { type ListIncidentsOptions, listIncidents } from './list-incidents.js';
export { type MemoryAttempt, MemoryDataSource } from './memory-data-source.js';
export { type FetchLike, type Notifier, notifiersFrom, slackNotifier, webhookNotifier } from './notifier.js';
export { OVERALL_SCOPE, providerModelScope, RULES, type RuleName, type Signal } from './rules.js';
export { type BaselineKind, collectSnapshot, type Snapshot } from './snapshot.js';
export { sqlDataSource } from './sql-data-source.js';
export { type MachineOptions, type RuleState, stepRule, type TransitionKind } from './state-machine.js';
export { wilsonInterval } from './wilson.js';
