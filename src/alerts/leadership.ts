import { type Kysely, sql } from 'kysely';
import { type Database, LOCK_KEYS, type TripmeterTables } from '../storage/index.js';

/** The advisory lock key of the alert evaluation (one leader per Postgres database). */
export const ALERTS_LOCK_KEY = LOCK_KEYS.single.alertsLeader;

/** What {@link asLeader} returns: the work's result, or that another instance leads. */
export type LeaderOutcome<T> = { leader: true; result: T } | { leader: false };

/**
 * Runs `work` in one transaction as the only evaluator. On PostgreSQL it takes
 * `pg_try_advisory_xact_lock` first and returns `{ leader: false }` at once when another
 * instance holds it (the lock goes with the transaction, so a crashed leader frees it). On
 * PGlite the single process is the leader.
 */
export async function asLeader<T>(
  database: Database,
  work: (trx: Kysely<TripmeterTables>) => Promise<T>,
): Promise<LeaderOutcome<T>> {
  return database.db.transaction().execute(async (trx) => {
    if (database.kind === 'postgres') {
      const { rows } = await sql<{ locked: boolean }>`
        SELECT pg_try_advisory_xact_lock(${ALERTS_LOCK_KEY}) AS locked`.execute(trx);
      if (!rows[0]?.locked) return { leader: false } as const;
    }
    return { leader: true, result: await work(trx) } as const;
  });
}
