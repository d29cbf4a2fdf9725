import { type Expression, type RawBuilder, sql } from 'kysely';
import { LOCK_KEYS } from './lock-keys.js';

/**
 * Advisory lock classes keyed by a subject (`pg_advisory_xact_lock(class, subjectLockKey(id))`).
 *
 * Writers take them SHARED for the subjects of a batch; `linkIdentity` and `deleteSubject` take
 * them EXCLUSIVE. So a batch being written while a link (or a deletion) runs either commits
 * before it, and is seen by its backfill (or delete), or starts its statements after it, and
 * sees the link (or finds nothing left to join). Under READ COMMITTED a second backfill pass
 * alone cannot close that window: an insert whose snapshot predates the link's commit and which
 * commits after the last pass is missed by both.
 *
 * Subjects share {@link SUBJECT_LOCK_BUCKETS} keys per class (`hashtext(id) & 255`): a batch of
 * thousands of sessions takes at most 512 shared locks (one per key, not per subject, which
 * cost ~40 % of a large batch's write and could exhaust the lock table), and a link or a
 * deletion waits only for the batches in flight that share its key.
 *
 * Order, to stay free of deadlocks: user keys before anonymous keys, each sorted by key.
 */
export const SUBJECT_LOCK = { user: LOCK_KEYS.classes.user, anon: LOCK_KEYS.classes.anon } as const;

/** How many lock keys the subjects of one class share. */
export const SUBJECT_LOCK_BUCKETS = 256;

/** The lock key of a subject id: `subjectLockKey(sql.ref('a'))` → `(hashtext(a) & 255)`. */
export function subjectLockKey(id: Expression<unknown> | RawBuilder<unknown>): RawBuilder<number> {
  return sql<number>`(hashtext(${id}) & ${sql.lit(SUBJECT_LOCK_BUCKETS - 1)})`;
}
