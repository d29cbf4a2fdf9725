/**
 * Every PostgreSQL advisory lock key tripmeter takes, in one place. Advisory locks are shared by
 * every session of a database (whatever the schema), so two purposes that pick the same key
 * serialise, or worse, one `pg_try_advisory_xact_lock` reads the other's hold as "another
 * instance leads" and skips its work: the alert evaluation and the rollups once both used
 * 727 200, and alerts were silently skipped whenever a rollup ran. Keep each key distinct;
 * `lock-keys.test.ts` fails on a repeat.
 *
 * Two spaces: `single` keys are taken as one bigint (`pg_advisory_xact_lock(key)`), `classes` as
 * the first of two int4 (`pg_advisory_xact_lock(class, key)`); PostgreSQL keeps the two forms
 * apart, but a value is still used once across both so a key names one purpose.
 */
export const LOCK_KEYS = {
  single: {
    /** Serialises concurrent `migrate` runs. */
    migrate: 727_001,
    /** Serialises rollup runs (minute job, rebuild, finalize). */
    rollups: 727_210,
    /** The alert evaluation's leadership (try-lock: the loser skips). */
    alertsLeader: 727_220,
  },
  classes: {
    /** Per request id, taken by every writer of attempt rows. */
    request: 727_100,
    /** Per user id bucket (see `subject-locks.ts`). */
    user: 727_201,
    /** Per anonymous session bucket (see `subject-locks.ts`). */
    anon: 727_202,
    /** Per anonymous session, serialising client-event dedupe. */
    clientSession: 727_300,
  },
} as const;
