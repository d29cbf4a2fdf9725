import { sql } from 'kysely';
import type { TelemetryEvent } from '../domain/index.js';
import type { CopyRow, WriteTransaction } from '../storage/index.js';
import type { AttemptPatch } from './attempt-patches.js';
import { eventPayload } from './event-rows.js';

/** A table's columns for a bulk insert: name and Postgres type of each. */
export type Columns = readonly (readonly [name: string, type: string])[];

/** Batches at least this long go through COPY where the engine has it; shorter ones through `unnest`. */
const COPY_MIN_ROWS = 64;

/**
 * Inserts finished rows (no lookups left) in one round trip: COPY on PostgreSQL for batches
 * worth it, else one `INSERT … SELECT FROM unnest(…)` of one array per column.
 */
export async function insertRows(tx: WriteTransaction, table: string, columns: Columns, rows: CopyRow[]) {
  if (rows.length === 0) return;
  const names = columns.map(([name]) => name);
  if (tx.copy && rows.length >= COPY_MIN_ROWS) {
    await tx.copy(table, names, rows);
    return;
  }
  const arrays = columns.map(([, type], k) => sql`${rows.map((row) => row[k] ?? null)}::${sql.raw(type)}[]`);
  await tx.query(sql`
    INSERT INTO ${sql.table(table)} (${sql.join(names.map((name) => sql.id(name)))})
    SELECT * FROM unnest(${sql.join(arrays)})`);
}

export const ATTEMPT_COLUMNS: Columns = [
  ['id', 'uuid'],
  ['created_at', 'timestamptz'],
  ['user_id', 'uuid'],
  ['anon_session_id', 'text'],
  ['status', 'text'],
  ['error_code', 'text'],
  ['duration_ms', 'integer'],
  ['trip_id', 'text'],
  ['input_snapshot_json', 'jsonb'],
  ['effective_defaults_json', 'jsonb'],
  ['request_id', 'text'],
  ['provider', 'text'],
  ['model', 'text'],
  ['prompt_contract_version', 'text'],
  ['failure_kind', 'text'],
  ['fingerprint', 'text'],
  ['source', 'text'],
];

export const EVENT_COLUMNS: Columns = [
  ['id', 'uuid'],
  ['created_at', 'timestamptz'],
  ['event_type', 'text'],
  ['trip_id', 'text'],
  ['user_id', 'uuid'],
  ['anon_session_id', 'text'],
  ['request_id', 'text'],
  ['prompt_contract_version', 'text'],
  ['payload_json', 'jsonb'],
];

/** Users of already linked anonymous ids, by anonymous id. */
export type LinkedUsers = ReadonlyMap<string, string>;

/** The user an attempt row of a new request gets: its own, else its anonymous id's link. */
const attemptUser = (patch: AttemptPatch, links: LinkedUsers) =>
  patch.user_id ?? (patch.anon_session_id === null ? null : (links.get(patch.anon_session_id) ?? null));

/** The attempt row of a request seen for the first time, in {@link ATTEMPT_COLUMNS} order. */
export function newAttemptRow(patch: AttemptPatch, links: LinkedUsers): CopyRow {
  return [
    patch.id,
    patch.created_at.toISOString(),
    attemptUser(patch, links),
    patch.anon_session_id,
    patch.status,
    patch.error_code,
    patch.duration_ms,
    patch.trip_id,
    patch.input_snapshot_json,
    patch.effective_defaults_json,
    patch.request_id,
    patch.provider,
    patch.model,
    patch.prompt_contract_version ?? 'classic_v1',
    patch.failure_kind,
    patch.fingerprint,
    patch.source,
  ];
}

/**
 * An event row of a request seen for the first time, in {@link EVENT_COLUMNS} order:
 * identifiers missing on the event come from its attempt row (as written by this batch).
 */
export function newEventRow(event: TelemetryEvent, patch: AttemptPatch, links: LinkedUsers): CopyRow {
  const anon = event.anonSessionId ?? patch.anon_session_id;
  const version = event.type === 'create_trip_attempted' ? event.promptContractVersion : undefined;
  const payload = eventPayload(event);
  return [
    event.id,
    event.occurredAt.toISOString(),
    event.type,
    event.tripId ?? null,
    event.userId ?? attemptUser(patch, links) ?? (anon === null ? null : (links.get(anon) ?? null)),
    anon,
    event.requestId,
    version ?? patch.prompt_contract_version ?? 'classic_v1',
    payload === null ? null : JSON.stringify(payload),
  ];
}
