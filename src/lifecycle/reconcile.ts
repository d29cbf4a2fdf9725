import { sql } from 'kysely';
import { newId } from '../domain/index.js';
import type { Database } from '../storage/index.js';
import { lockRequestIds } from '../store/index.js';

/** Error code given to attempts whose process died before finishing them. */
export const ABANDONED_ERROR_CODE = 'ATTEMPT_ABANDONED';

/**
 * Age in minutes after which a pending attempt counts as abandoned: far longer than any trip
 * generation, so only attempts whose end was lost (a process killed before writing it) are closed.
 */
export const DEFAULT_ABANDON_TIMEOUT_MINUTES = 15;

/** What a reconcile run did, per schema. */
export interface ReconcileResult {
  /** Attempts closed as abandoned. */
  closed: number;
  /** The cut-off: pending attempts created before it were closed. */
  cutoff: Date;
}

/** Options of {@link reconcileAbandoned}. */
export interface ReconcileOptions {
  now: Date;
  /** Age after which a pending attempt is abandoned (default 15 minutes). */
  timeoutMinutes?: number;
  /** Rows per transaction (default 2 000); the run loops until none are left. */
  batchSize?: number;
}

/**
 * Closes `pending` attempts older than the timeout as `failed` / `ATTEMPT_ABANDONED` /
 * `abandoned`, with the matching `create_trip_failed` event. Takes the writer's per-request
 * locks, so a terminal event being written at the same moment wins cleanly. Idempotent.
 */
export async function reconcileAbandoned(
  database: Database,
  options: ReconcileOptions,
): Promise<ReconcileResult> {
  const cutoff = new Date(
    options.now.getTime() - (options.timeoutMinutes ?? DEFAULT_ABANDON_TIMEOUT_MINUTES) * 60_000,
  );
  let closed = 0;
  for (const schema of [database.schema, database.adminSchema]) {
    for (;;) {
      const n = await closeBatch(database, schema, cutoff, options.now, options.batchSize ?? 2_000);
      closed += n;
      if (n === 0) break;
    }
  }
  return { closed, cutoff };
}

async function closeBatch(
  database: Database,
  schema: string,
  cutoff: Date,
  now: Date,
  limit: number,
): Promise<number> {
  const attempts = sql.table(`${schema}.trip_creation_attempts`);
  const events = sql.table(`${schema}.trip_creation_events`);
  return database.db.transaction().execute(async (trx) => {
    const { rows: candidates } = await sql<{ request_id: string }>`
      SELECT request_id FROM ${attempts}
      WHERE status = 'pending' AND created_at < ${cutoff.toISOString()}::timestamptz
      ORDER BY created_at LIMIT ${limit}`.execute(trx);
    if (candidates.length === 0) return 0;
    const ids = candidates.map((row) => row.request_id);
    await lockRequestIds(trx, ids);
    const { rows: closed } = await sql<{
      request_id: string;
      user_id: string | null;
      anon_session_id: string | null;
      prompt_contract_version: string;
      provider: string | null;
      model: string | null;
      source: string;
    }>`
      UPDATE ${attempts} SET status = 'failed', error_code = ${ABANDONED_ERROR_CODE}, failure_kind = 'abandoned'
      WHERE request_id = ANY(${ids}::text[]) AND status = 'pending'
      RETURNING request_id, user_id, anon_session_id, prompt_contract_version, provider, model, source`.execute(
      trx,
    );
    if (closed.length === 0) return 0;
    const payloads = closed.map((row) =>
      JSON.stringify({
        source: row.source,
        provider: row.provider ?? undefined,
        model: row.model ?? undefined,
        error_code: ABANDONED_ERROR_CODE,
        failure_kind: 'abandoned',
      }),
    );
    await sql`
      INSERT INTO ${events} (id, created_at, event_type, user_id, anon_session_id, request_id, prompt_contract_version, payload_json)
      SELECT t.id, ${now.toISOString()}::timestamptz, 'create_trip_failed', t.user_id, t.anon_session_id, t.request_id, t.pcv, t.payload
      FROM unnest(${closed.map(() => newId())}::uuid[], ${closed.map((r) => r.user_id)}::uuid[],
        ${closed.map((r) => r.anon_session_id)}::text[], ${closed.map((r) => r.request_id)}::text[],
        ${closed.map((r) => r.prompt_contract_version)}::text[], ${payloads}::jsonb[])
        AS t(id, user_id, anon_session_id, request_id, pcv, payload)
      WHERE NOT EXISTS (SELECT 1 FROM ${events} e WHERE e.request_id = t.request_id AND e.event_type = 'create_trip_failed')`.execute(
      trx,
    );
    return closed.length;
  });
}
