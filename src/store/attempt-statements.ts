import { sql } from 'kysely';
import type { WriteTransaction } from '../storage/index.js';
import { ATTEMPT_PATCH, type AttemptPatch, patchRow } from './attempt-row.js';

type Table = ReturnType<typeof sql.table>;

/** The tables one schema's writes touch. */
export interface WriteTables {
  attempts: Table;
  events: Table;
  links: Table;
  /** Provider calls and phases of attempts (0011). */
  calls: Table;
  phases: Table;
  /** Qualified names, for COPY. */
  attemptsName: string;
  eventsName: string;
  callsName: string;
  phasesName: string;
  /** `model_prices`, qualified (product schema only, like the links). */
  pricesName: string;
}

/**
 * The tables of `schema` a write touches (identity links and prices live in the product schema
 * only: `linksTable` is qualified, and the prices table is found in its schema).
 */
export function writeTables(schema: string, linksTable: string): WriteTables {
  const productSchema = linksTable.slice(0, linksTable.lastIndexOf('.'));
  return {
    attempts: sql.table(`${schema}.trip_creation_attempts`),
    events: sql.table(`${schema}.trip_creation_events`),
    links: sql.table(linksTable),
    calls: sql.table(`${schema}.trip_creation_provider_calls`),
    phases: sql.table(`${schema}.trip_creation_attempt_phases`),
    attemptsName: `${schema}.trip_creation_attempts`,
    eventsName: `${schema}.trip_creation_events`,
    callsName: `${schema}.trip_creation_provider_calls`,
    phasesName: `${schema}.trip_creation_attempt_phases`,
    pricesName: `${productSchema}.model_prices`,
  };
}

/**
 * Merges patches into attempt rows that exist: the earliest known start wins, the first
 * terminal outcome wins (a closed attempt is never reopened or changed), context fills gaps.
 */
export async function updateExistingAttempts(
  tx: WriteTransaction,
  t: WriteTables,
  patches: AttemptPatch[],
): Promise<void> {
  if (patches.length === 0) return;
  const requestIds = patches.map((p) => p.request_id);
  await tx.query(sql`
    UPDATE ${t.attempts} AS a SET
      created_at = CASE WHEN i.start_known AND i.created_at < a.created_at THEN i.created_at ELSE a.created_at END,
      status = CASE WHEN a.status = 'pending' AND i.status <> 'pending' THEN i.status ELSE a.status END,
      duration_ms = CASE
        WHEN a.status = 'pending' AND i.status <> 'pending' THEN coalesce(i.duration_ms,
          greatest(0, round(extract(epoch FROM (i.finished_at - a.created_at)) * 1000))::integer)
        WHEN a.status <> 'pending' AND a.duration_ms IS NULL AND i.start_known AND i.created_at < a.created_at
          THEN round(extract(epoch FROM (a.created_at - i.created_at)) * 1000)::integer
        ELSE a.duration_ms END,
      error_code = CASE WHEN a.status = 'pending' AND i.status <> 'pending' THEN i.error_code ELSE a.error_code END,
      failure_kind = CASE WHEN a.status = 'pending' AND i.status <> 'pending' THEN i.failure_kind ELSE a.failure_kind END,
      trip_id = CASE WHEN a.status = 'pending' AND i.status <> 'pending' THEN i.trip_id ELSE a.trip_id END,
      user_id = coalesce(a.user_id, i.user_id, (SELECT l.user_id FROM ${t.links} AS l
        WHERE l.anon_session_id = coalesce(a.anon_session_id, i.anon_session_id) AND l.outcome = 'linked')),
      anon_session_id = coalesce(a.anon_session_id, i.anon_session_id),
      provider = coalesce(a.provider, i.provider),
      model = coalesce(a.model, i.model),
      prompt_contract_version = CASE WHEN i.start_known AND i.prompt_contract_version IS NOT NULL
        THEN i.prompt_contract_version ELSE a.prompt_contract_version END,
      input_snapshot_json = coalesce(a.input_snapshot_json, i.input_snapshot_json),
      effective_defaults_json = coalesce(a.effective_defaults_json, i.effective_defaults_json),
      fingerprint = coalesce(a.fingerprint, i.fingerprint),
      flow = coalesce(a.flow, i.flow)
    FROM ${ATTEMPT_PATCH.unnest(
      patches.map((p) => patchRow(p)),
      'i',
    )}
    -- = ANY(array) lets every partition probe its request_id index (the transaction also turns
    -- sequential scans off: young tables' statistics would otherwise pick one).
    WHERE a.request_id = i.request_id AND a.request_id = ANY(${requestIds}::text[])`);
}
