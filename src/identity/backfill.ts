import { type RawBuilder, sql } from 'kysely';
import type { Database } from '../storage/index.js';
import { rawTableTargets } from '../storage/index.js';

/**
 * The statement that gives `userId` to the rows of `anonSessionId` without a user id created at
 * or after `since`, in every raw table of the registry (both schemas), and records the link with
 * the counts per table: one round trip. Returns the recorded counts.
 */
export function backfillAndRecordSql(
  database: Database,
  link: { id: string; anonSessionId: string; userId: string; linkedAt: Date; since: Date },
): RawBuilder<{ rows_backfilled: Record<string, number> }> {
  const targets = rawTableTargets(database).filter(
    (t) => t.table.kind !== 'link' && t.table.subjectColumns.includes('anon_session_id'),
  );
  const updates = targets.map(
    (t, i) => sql`${sql.raw(`u${i}`)} AS (
      UPDATE ${sql.table(t.qualified)} SET user_id = ${link.userId}::uuid
      WHERE anon_session_id = ${link.anonSessionId} AND user_id IS NULL
        AND created_at >= ${link.since.toISOString()}::timestamptz
      RETURNING 1)`,
  );
  const counts = targets.map((t, i) => sql`${t.key}::text, (SELECT count(*) FROM ${sql.raw(`u${i}`)})`);
  return sql<{ rows_backfilled: Record<string, number> }>`
    WITH ${sql.join(updates, sql`, `)}
    INSERT INTO ${sql.table(`${database.schema}.identity_links`)}
      (id, anon_session_id, user_id, linked_at, outcome, rows_backfilled)
    VALUES (${link.id}::uuid, ${link.anonSessionId}, ${link.userId}::uuid,
      ${link.linkedAt.toISOString()}::timestamptz, 'linked', jsonb_build_object(${sql.join(counts, sql`, `)}))
    RETURNING rows_backfilled`;
}
