import type { AlertsConfig } from '../config/index.js';
import type { Logger } from '../logging/index.js';
import type { Database } from '../storage/index.js';
import { type AlertMessage, alertMessage } from './alert-message.js';
import { type DeliverOptions, type DeliveryAttempt, deliver } from './deliver.js';
import { evaluateOnce } from './detector.js';
import { asLeader } from './leadership.js';
import type { Notifier } from './notifier.js';
import { recordDelivery } from './record-delivery.js';
import { recordTransitions } from './record-transitions.js';
import { loadRuleStates, saveRuleStates } from './rule-state-store.js';
import { sqlDataSource } from './sql-data-source.js';

/** What one evaluation needs; every platform piece is passed in. */
export interface EvaluateAlertsOptions {
  database: Database;
  config: AlertsConfig;
  /** The evaluation time (the injected clock). */
  now: Date;
  notifiers: readonly Notifier[];
  /** Delivery settings; `fetch` defaults to the global one. */
  delivery?: Partial<DeliverOptions>;
  logger?: Pick<Logger, 'warn' | 'info'>;
  /** The app's generation timeout (setting `generationTimeoutMs`, default 120 000 ms). */
  generationTimeoutMs?: number;
}

/** The result of one evaluation (a bulk job: it reports instead of throwing for deliveries). */
export interface EvaluateAlertsResult {
  /** False when another instance holds the leadership: nothing was evaluated. */
  leader: boolean;
  signals: number;
  transitions: { kind: string; rule: string; scope: string; incidentId: string | null }[];
  deliveries: DeliveryAttempt[];
}

/**
 * One evaluation by the leader: in one transaction (advisory lock on Postgres) read the raw
 * attempts, step every rule's state machine from the stored states, store incidents and states;
 * after the commit, send the notifications (retried) and record each delivery try. A crash
 * between the two loses at most that minute's notifications; a still-open incident is repeated
 * after the repeat interval.
 */
export async function evaluateAlerts(options: EvaluateAlertsOptions): Promise<EvaluateAlertsResult> {
  const { database, config, now } = options;
  const { schema } = database;
  const outcome = await asLeader(database, async (trx) => {
    const previous = await loadRuleStates(trx, schema);
    const evaluation = await evaluateOnce(sqlDataSource(trx, schema), previous, now, config, {
      generationTimeoutMs: options.generationTimeoutMs,
    });
    const signalOf = new Map(evaluation.signals.map((s) => [`${s.rule}\u0000${s.scope}`, s]));
    const firing = evaluation.states
      .filter((s) => s.phase === 'firing')
      .map((state) => ({ state, signal: signalOf.get(`${state.rule}\u0000${state.scope}`) }));
    await recordTransitions(trx, schema, evaluation.transitions, firing, now);
    await saveRuleStates(trx, schema, evaluation.states, now);
    return evaluation;
  });
  if (!outcome.leader) return { leader: false, signals: 0, transitions: [], deliveries: [] };
  const evaluation = outcome.result;
  const messages: AlertMessage[] = evaluation.transitions.map((t) =>
    alertMessage(t.kind, t.incident, t.signal, now),
  );
  const deliveries = await sendMessages(database, messages, options.notifiers, options.delivery);
  for (const message of messages)
    options.logger?.warn({ alert: message.kind, rule: message.rule, scope: message.scope }, message.text);
  return {
    leader: true,
    signals: evaluation.signals.length,
    transitions: evaluation.transitions.map((t) => ({
      kind: t.kind,
      rule: t.incident.rule,
      scope: t.incident.scope,
      incidentId: t.incident.incidentId,
    })),
    deliveries,
  };
}

/** Delivers every message to every notifier (in parallel per notifier), recording each try. */
export async function sendMessages(
  database: Database,
  messages: readonly AlertMessage[],
  notifiers: readonly Notifier[],
  delivery: Partial<DeliverOptions> = {},
): Promise<DeliveryAttempt[]> {
  const all: DeliveryAttempt[] = [];
  await Promise.all(
    notifiers.map(async (notifier) => {
      for (const message of messages) {
        const tries = await deliver(notifier, message, {
          ...delivery,
          fetch: delivery.fetch ?? ((input, init) => fetch(input, init)),
          onAttempt: (attempt) => recordDelivery(database.db, database.schema, message, attempt),
        });
        all.push(...tries);
      }
    }),
  );
  return all;
}
