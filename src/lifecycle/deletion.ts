import { performance } from 'node:perf_hooks';
import { type Kysely, sql } from 'kysely';
import { checkSubjectId, newId } from '../domain/index.js';
import type { Database } from '../storage/index.js';
import { inRegistryOrder, rawTableTargets, SUBJECT_LOCK, subjectLockKey } from '../storage/index.js';
import { type SubjectKind, storedSubjectSecret, subjectHmac } from './subject-hmac.js';

// biome-ignore lint/suspicious/noExplicitAny: raw SQL inside a transaction needs no table typing
type Trx = Kysely<any>;

/** Whose data to delete: a user (with every anonymous id linked to it) or one anonymous id. */
export type DeletionSubject = { userId: string } | { anonSessionId: string };

/** Options of {@link deleteSubject}. */
export interface DeleteSubjectOptions {
  /** The clock: the receipt's `requested_at` (default: now). */
  now?: Date;
  /** HMAC key of the receipt (`subjectHmacSecret`); unset: the secret kept in `server_secrets`. */
  secret?: string | undefined;
}

/** The receipt of one deletion, as stored in `deletion_receipts`. */
export interface DeletionReceipt {
  id: string;
  subjectKind: SubjectKind;
  /** Hex HMAC-SHA256 of `<kind>:<id>` under the secret; never the id itself. */
  subjectHmac: string;
  /** Rows deleted per table, every registered table listed (`product.trip_creation_attempts`: 3). */
  counts: Record<string, number>;
  requestedAt: Date;
  completedAt: Date;
}

async function lockSubject(trx: Trx, links: string, kind: SubjectKind, id: string): Promise<string[]> {
  if (kind === 'anon') {
    await sql`SELECT pg_advisory_xact_lock(${SUBJECT_LOCK.anon}, ${subjectLockKey(sql`${id}::text`)})`.execute(
      trx,
    );
    return [id];
  }
  await sql`SELECT pg_advisory_xact_lock(${SUBJECT_LOCK.user}, ${subjectLockKey(sql`${id}::text`)})`.execute(
    trx,
  );
  // Under the user lock no new link to this user can commit (linkIdentity holds it shared).
  const { rows } = await sql<{ anon: string }>`
    SELECT DISTINCT anon_session_id AS anon FROM ${sql.table(links)}
    WHERE user_id = ${id}::uuid AND outcome = 'linked' ORDER BY 1`.execute(trx);
  const anons = rows.map((row) => row.anon);
  await sql`SELECT pg_advisory_xact_lock(${SUBJECT_LOCK.anon}, k.key)
    FROM (SELECT DISTINCT ${subjectLockKey(sql.ref('a'))} AS key FROM unnest(${anons}::text[]) AS a ORDER BY 1) AS k`.execute(
    trx,
  );
  return anons;
}

async function deleteRows(
  trx: Trx,
  database: Database,
  userId: string | null,
  anons: string[],
): Promise<Record<string, number>> {
  const targets = rawTableTargets(database);
  const deletes = targets.map((t, i) => {
    const byUser = userId !== null && t.table.subjectColumns.includes('user_id');
    const byAnon = t.table.subjectColumns.includes('anon_session_id');
    return sql`${sql.raw(`d${i}`)} AS (
      DELETE FROM ${sql.table(t.qualified)}
      WHERE ${byUser ? sql`user_id = ${userId}::uuid` : sql`false`}
        OR ${byAnon ? sql`anon_session_id = ANY(${anons}::text[])` : sql`false`}
      RETURNING 1)`;
  });
  const counts = targets.map((t, i) => sql`${t.key}::text, (SELECT count(*) FROM ${sql.raw(`d${i}`)})`);
  const { rows } = await sql<{ counts: Record<string, number> }>`
    WITH ${sql.join(deletes, sql`, `)}
    SELECT jsonb_build_object(${sql.join(counts, sql`, `)}) AS counts`.execute(trx);
  return inRegistryOrder(database, rows[0]?.counts ?? {});
}

/**
 * Deletes every raw row of a subject, in ONE transaction, from every table of the raw-table
 * registry in both schemas: for a user, its rows, the rows of every anonymous id linked to it
 * (also those outside the backfill window that never got the user id) and the links themselves;
 * for an anonymous id, its rows and its links. Then writes a `deletion_receipts` row keyed by an
 * HMAC of the subject. Idempotent: a second run deletes nothing and writes a zero receipt; an
 * unknown subject gets a zero receipt too. Rollups hold no identifiers and stay.
 *
 * Throws `SubjectIdError` (`RESERVED_ID`, `INVALID_ID`) for placeholder or malformed ids.
 *
 * @example
 * const receipt = await deleteSubject(database, { userId }, { secret: config.subjectHmacSecret });
 * // receipt.counts: { 'product.trip_creation_attempts': 12, 'product.identity_links': 2, … }
 */
export async function deleteSubject(
  database: Database,
  subject: DeletionSubject,
  options: DeleteSubjectOptions = {},
): Promise<DeletionReceipt> {
  const kind: SubjectKind = 'userId' in subject ? 'user' : 'anon';
  const id =
    'userId' in subject
      ? checkSubjectId(subject.userId, 'user_id')
      : checkSubjectId(subject.anonSessionId, 'anon_session_id');
  const requestedAt = options.now ?? new Date();
  const started = performance.now();
  const links = `${database.schema}.identity_links`;
  return database.db.transaction().execute(async (trx) => {
    const secret = options.secret ?? (await storedSubjectSecret(trx, database.schema));
    const anons = await lockSubject(trx, links, kind, id);
    const counts = await deleteRows(trx, database, kind === 'user' ? id : null, anons);
    const receipt: DeletionReceipt = {
      id: newId(),
      subjectKind: kind,
      subjectHmac: subjectHmac(secret, kind, id),
      counts,
      requestedAt,
      completedAt: new Date(requestedAt.getTime() + Math.round(performance.now() - started)),
    };
    await trx
      .withSchema(database.schema)
      .insertInto('deletion_receipts')
      .values({
        id: receipt.id,
        subject_kind: kind,
        subject_hmac: receipt.subjectHmac,
        counts: JSON.stringify(counts),
        requested_at: receipt.requestedAt,
        completed_at: receipt.completedAt,
      })
      .execute();
    return receipt;
  });
}
