import type { Kysely } from 'kysely';
import type { TripmeterTables } from '../storage/index.js';
import type { Incident } from './incident.js';

/** Which incidents to list. */
export interface ListIncidentsOptions {
  /** `firing` (open), `resolved`, or both (default). */
  state?: 'firing' | 'resolved' | undefined;
  /** Newest first; at most this many (default 100). */
  limit?: number;
}

/** Incidents, newest first. */
export async function listIncidents(
  db: Kysely<TripmeterTables>,
  schema: string,
  options: ListIncidentsOptions = {},
): Promise<Incident[]> {
  let query = db.withSchema(schema).selectFrom('alert_incidents').selectAll();
  if (options.state) query = query.where('state', '=', options.state);
  const rows = await query
    .orderBy('opened_at', 'desc')
    .orderBy('id', 'desc')
    .limit(options.limit ?? 100)
    .execute();
  return rows.map((row) => ({
    id: row.id,
    rule: row.rule,
    scope: row.scope,
    state: row.state,
    openedAt: row.opened_at,
    resolvedAt: row.resolved_at,
    peakRate: row.peak_rate,
    baselineRate: row.baseline_rate,
    threshold: row.threshold,
    counts: row.counts,
    lastNotifiedAt: row.last_notified_at,
  }));
}
