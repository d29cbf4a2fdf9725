import { type Kysely, sql } from 'kysely';

/**
 * Attempts still `pending` that started before `startedBefore`: one range of the
 * (status, created_at) index. The reconciler closes such rows as abandoned later, so the count
 * is what is stuck right now.
 */
export async function selectStuckCount(
  db: Kysely<unknown>,
  schema: string,
  startedBefore: Date,
): Promise<number> {
  const { rows } = await sql<{ stuck: number }>`
    SELECT count(*)::int AS stuck FROM ${sql.table(`${schema}.trip_creation_attempts`)}
    WHERE status = 'pending' AND created_at < ${startedBefore.toISOString()}::timestamptz`.execute(db);
  return rows[0]?.stuck ?? 0;
}
