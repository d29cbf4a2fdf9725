/** How far back `occurred_at` may lie (7 days): older events would miss their partitions and rollups. */
export const INGEST_MAX_AGE_MS = 7 * 24 * 3_600_000;
/** How far ahead `occurred_at` may lie (5 minutes of clock skew). */
export const INGEST_MAX_SKEW_MS = 5 * 60_000;

/**
 * Why `occurredAt` is outside the ingest window of `now`, or `undefined` when it is inside
 * (both edges included: exactly 7 days back and exactly 5 minutes ahead are accepted).
 */
export function outsideIngestWindow(occurredAt: Date, now: Date): string | undefined {
  const delta = occurredAt.getTime() - now.getTime();
  if (delta < -INGEST_MAX_AGE_MS) return 'is older than 7 days';
  if (delta > INGEST_MAX_SKEW_MS) return 'is more than 5 minutes in the future';
  return undefined;
}
