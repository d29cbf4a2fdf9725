import type { Database } from '../storage/index.js';

/**
 * Which of `requestIds` already have provider calls stored (product schema): a trace's root span
 * that arrives in a later export than its calls (a batch processor sends the root, which ends
 * last, on its own) still opens and closes its attempt, and a root with no calls anywhere (every
 * other request of the app) opens none. One indexed query per export.
 */
export async function selectRequestsWithCalls(
  database: Database,
  requestIds: readonly string[],
): Promise<Set<string>> {
  if (requestIds.length === 0) return new Set();
  const rows = await database.db
    .withSchema(database.schema)
    .selectFrom('trip_creation_provider_calls')
    .select('request_id')
    .distinct()
    .where('request_id', 'in', requestIds)
    .execute();
  return new Set(rows.map((r) => r.request_id));
}
