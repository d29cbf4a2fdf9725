/**
 * How far before the call an attempt's start may lie: 24 hours. The app's start precedes its
 * enqueue by seconds to minutes, a queue that waited overnight is still within a day; an older
 * time is a reused placeholder or a wrong clock, and would file the attempt under a day the
 * dashboard already showed as complete.
 */
export const START_MAX_AGE_MS = 24 * 3_600_000;

/** How far after the call a start may lie (clock skew between hosts): 5 minutes, as on ingest. */
export const START_MAX_SKEW_MS = 5 * 60_000;

/**
 * The start of an attempt in ms, from the `startedAt` a caller passed and the call time `now`:
 * `now` when absent; the start itself when within {@link START_MAX_AGE_MS} before `now`; `now`
 * for a start up to {@link START_MAX_SKEW_MS} ahead (a start after its own call is skew);
 * `undefined` for anything else (not a time, too old, too far ahead), which the caller ignores.
 * Runs on the hot path: no allocation beyond reading a string.
 *
 * @example
 * startTimeOf('2026-09-12T08:14:03.498Z', Date.parse('2026-09-12T08:14:05Z')); // 1757664843498
 */
export function startTimeOf(startedAt: unknown, now: number): number | undefined {
  if (startedAt === undefined) return now;
  let ms: number;
  if (typeof startedAt === 'number') ms = startedAt;
  else if (startedAt instanceof Date) ms = startedAt.getTime();
  else if (typeof startedAt === 'string') ms = Date.parse(startedAt);
  else return undefined;
  if (!Number.isFinite(ms) || ms < now - START_MAX_AGE_MS || ms > now + START_MAX_SKEW_MS) return undefined;
  return Math.min(ms, now);
}
