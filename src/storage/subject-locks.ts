/**
 * Advisory lock classes keyed by a subject (`pg_advisory_xact_lock(class, hashtext(id))`).
 *
 * Writers take them SHARED for the subjects of a batch; `linkIdentity` and `deleteSubject` take
 * them EXCLUSIVE. So a batch being written while a link (or a deletion) runs either commits
 * before it, and is seen by its backfill (or delete), or starts its statements after it, and
 * sees the link (or finds nothing left to join). Under READ COMMITTED a second backfill pass
 * alone cannot close that window: an insert whose snapshot predates the link's commit and which
 * commits after the last pass is missed by both.
 *
 * Order, to stay free of deadlocks: user keys before anonymous keys, each sorted by text.
 */
export const SUBJECT_LOCK = { user: 727_201, anon: 727_202 } as const;
