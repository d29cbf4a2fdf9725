import { sql } from 'kysely';
import { checkSubjectId, newId } from '../domain/index.js';
import type { Database } from '../storage/index.js';
import { inRegistryOrder, SUBJECT_LOCK, subjectLockKey } from '../storage/index.js';
import { backfillAndRecordSql } from './backfill.js';

const DAY_MS = 86_400_000;

/** The pair to link at the login handshake. */
export interface LinkIdentityInput {
  /** The browser's anonymous session id (a UUID, `tripmeter/client`'s `anon_session_id`). */
  anonSessionId: string;
  /** The signed-in user's id (a UUID). */
  userId: string;
}

/** Options of {@link linkIdentity}. */
export interface LinkIdentityOptions {
  /** The clock: the link time, and the end of the backfill window (default: now). */
  now?: Date;
  /** Rows of the anonymous id created in the last `backfillDays` days get the user id (default 30). */
  backfillDays?: number;
}

/**
 * What a link did.
 * - `linked`: recorded now; `rowsBackfilled` counts the rows given the user id, per table.
 * - `already_linked`: this pair was linked before; nothing changed (counts are 0).
 * - `conflict`: the anonymous id belongs to another user (a shared device); it is never
 *   reassigned, nothing is rewritten, and the refusal is recorded. HTTP maps it to 409
 *   `ANON_ID_ALREADY_LINKED`.
 */
export interface LinkIdentityResult {
  outcome: 'linked' | 'already_linked' | 'conflict';
  /** The recorded `identity_links` row (absent for `already_linked`, which records nothing). */
  linkId?: string;
  /** Rows given the user id, per table (`product.trip_creation_attempts`, `admin.…`). */
  rowsBackfilled: Record<string, number>;
}

/**
 * Links an anonymous session to a user at login, in one transaction: records the link, and gives
 * `userId` to that session's rows without a user id from the backfill window, in every raw table
 * of both schemas. Both ids stay on every row; rows written later with only the anonymous id get
 * the user id as they are written. It holds the subject's advisory locks EXCLUSIVE, so a batch
 * being written at the same moment ends up linked too. A user may link many anonymous ids.
 *
 * Throws `SubjectIdError` (`RESERVED_ID`, `INVALID_ID`) for placeholder or malformed ids.
 *
 * @example
 * const { outcome, rowsBackfilled } = await linkIdentity(database, { anonSessionId, userId });
 * if (outcome === 'conflict') log.warn('shared device: anonymous id belongs to another user');
 */
export async function linkIdentity(
  database: Database,
  input: LinkIdentityInput,
  options: LinkIdentityOptions = {},
): Promise<LinkIdentityResult> {
  const anonSessionId = checkSubjectId(input.anonSessionId, 'anon_session_id');
  const userId = checkSubjectId(input.userId, 'user_id');
  const now = options.now ?? new Date();
  const backfillDays = options.backfillDays ?? 30;
  if (!(backfillDays >= 0)) throw new RangeError('backfillDays must be 0 or more');
  const links = sql.table(`${database.schema}.identity_links`);
  return database.db.transaction().execute(async (trx) => {
    // User key before anonymous key: the order writers and deletion use (storage/subject-locks.ts).
    await sql`SELECT pg_advisory_xact_lock_shared(${SUBJECT_LOCK.user}, ${subjectLockKey(sql`${userId}::text`)}),
      pg_advisory_xact_lock(${SUBJECT_LOCK.anon}, ${subjectLockKey(sql`${anonSessionId}::text`)})`.execute(
      trx,
    );
    const existing = await sql<{ user_id: string }>`
      SELECT user_id FROM ${links} WHERE anon_session_id = ${anonSessionId} AND outcome = 'linked'`.execute(
      trx,
    );
    const owner = existing.rows[0]?.user_id;
    if (owner === userId) return { outcome: 'already_linked', rowsBackfilled: {} };
    const linkId = newId();
    if (owner !== undefined) {
      await sql`INSERT INTO ${links} (id, anon_session_id, user_id, linked_at, outcome)
        VALUES (${linkId}::uuid, ${anonSessionId}, ${userId}::uuid, ${now.toISOString()}::timestamptz, 'conflict')`.execute(
        trx,
      );
      return { outcome: 'conflict', linkId, rowsBackfilled: {} };
    }
    const since = new Date(now.getTime() - backfillDays * DAY_MS);
    const { rows } = await backfillAndRecordSql(database, {
      id: linkId,
      anonSessionId,
      userId,
      linkedAt: now,
      since,
    }).execute(trx);
    return {
      outcome: 'linked',
      linkId,
      rowsBackfilled: inRegistryOrder(database, rows[0]?.rows_backfilled ?? {}),
    };
  });
}
