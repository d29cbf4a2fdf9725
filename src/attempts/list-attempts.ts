import { type Kysely, type RawBuilder, sql } from 'kysely';
import type { Database } from '../storage/index.js';
import { type AttemptRow, attemptColumns, isoRow } from './attempt-columns.js';
import type { AttemptSummary, AttemptsFilter } from './attempts-query.js';
import { type AttemptsCursor, encodeCursor } from './cursor.js';

/** One page of the attempt list, newest first. */
export interface AttemptsPage {
  attempts: AttemptSummary[];
  /** The `cursor` of the next page; null on the last one. */
  next_cursor: string | null;
}

/** The `AND …` conditions of a filter over the attempt row aliased `a`. */
function conditions(filter: AttemptsFilter): RawBuilder<unknown> {
  const parts: RawBuilder<unknown>[] = [sql` AND a.created_at < ${filter.to.toISOString()}::timestamptz`];
  if (filter.from) parts.push(sql` AND a.created_at >= ${filter.from.toISOString()}::timestamptz`);
  const exact: [string, string | undefined][] = [
    ['status', filter.status],
    ['error_code', filter.errorCode],
    ['failure_kind', filter.failureKind],
    ['provider', filter.provider],
    ['model', filter.model],
    ['prompt_contract_version', filter.promptContractVersion],
    ['flow', filter.flow],
    ['source', filter.source],
    ['trip_id', filter.tripId],
    ['anon_session_id', filter.anonSessionId],
  ];
  for (const [column, value] of exact)
    if (value !== undefined) parts.push(sql` AND ${sql.ref(`a.${column}`)} = ${value}`);
  if (filter.userId !== undefined) parts.push(sql` AND a.user_id = ${filter.userId}::uuid`);
  return sql.join(parts, sql``);
}

/**
 * Recent attempts matching `filter`, newest first, `limit` per page: keyset pagination on
 * (`created_at`, `id`), so a page costs the same deep in the list and rows written meanwhile
 * never shift it. Reads the raw rows only: what retention or deletion removed is gone here too.
 *
 * @example
 * const first = await listAttempts(database, { to: now, status: 'failed' }, 50);
 * const second = await listAttempts(database, { to: now, status: 'failed' }, 50, decodeCursor(first.next_cursor!));
 */
export async function listAttempts(
  database: Database,
  filter: AttemptsFilter,
  limit: number,
  after?: AttemptsCursor,
): Promise<AttemptsPage> {
  const table = sql.table(`${database.schema}.trip_creation_attempts`);
  const keyset = after
    ? sql` AND (a.created_at, a.id) < ('epoch'::timestamptz + (${after.micros} || ' microseconds')::interval, ${after.id}::uuid)`
    : sql``;
  type Row = AttemptRow<AttemptSummary> & { id: string; micros: string };
  const { rows } = await sql<Row>`
    SELECT ${attemptColumns()}, a.id::text AS id,
      (extract(epoch FROM a.created_at) * 1000000)::bigint::text AS micros
    FROM ${table} AS a
    WHERE true ${conditions(filter)} ${keyset}
    ORDER BY a.created_at DESC, a.id DESC
    LIMIT ${limit + 1}`.execute(database.db as Kysely<unknown>);
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return {
    attempts: page.map(({ id: _id, micros: _micros, ...row }) => isoRow<AttemptSummary>(row)),
    next_cursor: rows.length > limit && last ? encodeCursor({ micros: last.micros, id: last.id }) : null,
  };
}
