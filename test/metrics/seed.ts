import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import type { Database } from '../../src/storage/index.js';

/** One hand-made attempt row (defaults: success, openai/gpt-5.4, classic_v1, source app). */
export interface SeedAttempt {
  at: string | Date;
  status?: 'success' | 'failed' | 'pending';
  durationMs?: number | null;
  provider?: string;
  model?: string;
  version?: string;
  anon?: string | null;
  user?: string | null;
  errorCode?: string | null;
  failureKind?: string | null;
}

/** Inserts attempts straight into the product table (one round trip). */
export async function seedAttempts(database: Database, attempts: SeedAttempt[]): Promise<void> {
  if (attempts.length === 0) return;
  const rows = attempts.map((a) => ({
    id: randomUUID(),
    created_at: new Date(a.at).toISOString(),
    request_id: randomUUID(),
    status: a.status ?? 'success',
    duration_ms: a.durationMs === undefined ? 1000 : a.durationMs,
    provider: a.provider ?? 'openai',
    model: a.model ?? 'gpt-5.4',
    prompt_contract_version: a.version ?? 'classic_v1',
    anon_session_id: a.anon ?? null,
    user_id: a.user ?? null,
    error_code: a.errorCode ?? (a.status === 'failed' ? 'OPENAI_REQUEST_TIMEOUT' : null),
    failure_kind: a.failureKind ?? (a.status === 'failed' ? 'timeout' : null),
  }));
  await sql`
    INSERT INTO ${sql.table(`${database.schema}.trip_creation_attempts`)}
      (id, created_at, request_id, status, duration_ms, provider, model, prompt_contract_version,
       anon_session_id, user_id, error_code, failure_kind)
    SELECT r.id::uuid, r.created_at::timestamptz, r.request_id, r.status, r.duration_ms::integer, r.provider, r.model,
      r.prompt_contract_version, r.anon_session_id, r.user_id::uuid, r.error_code, r.failure_kind
    FROM jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) AS r(id text, created_at text, request_id text,
      status text, duration_ms integer, provider text, model text, prompt_contract_version text,
      anon_session_id text, user_id text, error_code text, failure_kind text)`.execute(database.db);
}

/** Records a login link (or a refused one) in `identity_links`. */
export async function seedLink(database: Database, anon: string, outcome: 'linked' | 'conflict' = 'linked') {
  await sql`
    INSERT INTO ${sql.table(`${database.schema}.identity_links`)} (id, anon_session_id, user_id, outcome)
    VALUES (${randomUUID()}::uuid, ${anon}, ${randomUUID()}::uuid, ${outcome})`.execute(database.db);
}

/**
 * Creates the client events table when its migration has not landed yet (same columns as
 * `ClientEventsTable`), then inserts CTA clicks (classic unless `name` says otherwise).
 */
export async function seedClicks(
  database: Database,
  clicks: { at: string | Date; anon: string | null; name?: string }[],
) {
  const table = sql.table(`${database.schema}.trip_creation_client_events`);
  await sql`CREATE TABLE IF NOT EXISTS ${table} (id uuid NOT NULL, created_at timestamptz NOT NULL,
    anon_session_id text, user_id uuid, name text NOT NULL, props jsonb)`.execute(database.db);
  for (const click of clicks) {
    await sql`INSERT INTO ${table} (id, created_at, anon_session_id, name)
      VALUES (${randomUUID()}::uuid, ${new Date(click.at).toISOString()}::timestamptz, ${click.anon},
              ${click.name ?? 'create_trip__cta--generate'})`.execute(database.db);
  }
}
