import type { Kysely } from 'kysely';
import type { TripmeterTables } from '../storage/index.js';
import type { RuleName } from './rules.js';
import type { RuleState } from './state-machine.js';

/** The pending and firing states kept between evaluations (`alert_rule_state`). */
export async function loadRuleStates(db: Kysely<TripmeterTables>, schema: string): Promise<RuleState[]> {
  const rows = await db.withSchema(schema).selectFrom('alert_rule_state').selectAll().execute();
  return rows.map((row) => ({
    rule: row.rule as RuleName,
    scope: row.scope,
    phase: row.phase,
    breaches: row.breaches,
    clears: row.clears,
    incidentId: row.incident_id,
    openedAt: row.opened_at,
    lastNotifiedAt: row.last_notified_at,
    peak: row.peak,
  }));
}

/** Replaces the stored states with `states` (a handful of rows; run inside the leader's transaction). */
export async function saveRuleStates(
  db: Kysely<TripmeterTables>,
  schema: string,
  states: readonly RuleState[],
  now: Date,
): Promise<void> {
  await db.withSchema(schema).deleteFrom('alert_rule_state').execute();
  if (states.length === 0) return;
  await db
    .withSchema(schema)
    .insertInto('alert_rule_state')
    .values(
      states.map((s) => ({
        rule: s.rule,
        scope: s.scope,
        phase: s.phase,
        breaches: s.breaches,
        clears: s.clears,
        incident_id: s.incidentId,
        opened_at: s.openedAt,
        last_notified_at: s.lastNotifiedAt,
        peak: s.peak,
        updated_at: now,
      })),
    )
    .execute();
}
