import type { Kysely } from 'kysely';
import type { TripmeterTables } from '../storage/index.js';
import type { Transition } from './detector.js';
import type { Signal } from './rules.js';
import type { RuleState } from './state-machine.js';

/**
 * Writes an evaluation's incident changes: opened incidents are inserted, resolved ones closed,
 * repeats stamp `last_notified_at`, and every incident still firing gets its peak and latest
 * counts. Run inside the leader's transaction.
 */
export async function recordTransitions(
  db: Kysely<TripmeterTables>,
  schema: string,
  transitions: readonly Transition[],
  firing: readonly { state: RuleState; signal: Signal | undefined }[],
  now: Date,
): Promise<void> {
  const incidents = () => db.withSchema(schema);
  for (const { kind, incident, signal } of transitions) {
    if (kind === 'opened') {
      // A firing incident without a state row (the state table was cleared) is closed first.
      await incidents()
        .updateTable('alert_incidents')
        .set({ state: 'resolved', resolved_at: now })
        .where('rule', '=', incident.rule)
        .where('scope', '=', incident.scope)
        .where('state', '=', 'firing')
        .execute();
      await incidents()
        .insertInto('alert_incidents')
        .values({
          id: incident.incidentId!,
          rule: incident.rule,
          scope: incident.scope,
          state: 'firing',
          opened_at: now,
          peak_rate: incident.peak,
          baseline_rate: signal.baseline,
          threshold: signal.threshold,
          counts: JSON.stringify(signal.counts),
          last_notified_at: now,
        })
        .execute();
    } else if (kind === 'resolved' && incident.incidentId) {
      await incidents()
        .updateTable('alert_incidents')
        .set({ state: 'resolved', resolved_at: now, peak_rate: incident.peak, last_notified_at: now })
        .where('id', '=', incident.incidentId)
        .execute();
    }
  }
  for (const { state, signal } of firing) {
    if (!state.incidentId) continue;
    await incidents()
      .updateTable('alert_incidents')
      .set({
        peak_rate: state.peak,
        last_notified_at: state.lastNotifiedAt,
        ...(signal && signal.value !== null ? { counts: JSON.stringify(signal.counts) } : {}),
      })
      .where('id', '=', state.incidentId)
      .execute();
  }
}
