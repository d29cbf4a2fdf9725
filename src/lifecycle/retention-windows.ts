import { ConfigError } from '../config/index.js';

/** Default days after which snapshots and note-bearing payload keys are set to NULL. */
export const DEFAULT_SNAPSHOT_DAYS = 30;
/** Default days after which raw rows are deleted. */
export const DEFAULT_ROW_DAYS = 90;
/** Longest allowed raw-row retention. */
export const MAX_RETENTION_DAYS = 365;

/** The two retention windows, in whole days. */
export interface RetentionWindows {
  snapshotDays: number;
  rowDays: number;
}

/**
 * Checks `1 ≤ snapshotDays ≤ rowDays ≤ 365` (whole days); throws {@link ConfigError} naming the
 * settings otherwise.
 *
 * @example
 * validateRetentionWindows({ snapshotDays: 30, rowDays: 90 }); // ok
 */
export function validateRetentionWindows(windows: RetentionWindows): RetentionWindows {
  const { snapshotDays, rowDays } = windows;
  for (const [name, value] of [
    ['snapshotRetentionDays', snapshotDays],
    ['rowRetentionDays', rowDays],
  ] as const) {
    if (!Number.isInteger(value) || value < 1 || value > MAX_RETENTION_DAYS)
      throw new ConfigError(`invalid ${name}: ${value}; allowed: a whole number of days from 1 to 365`);
  }
  if (snapshotDays > rowDays)
    throw new ConfigError(
      `invalid retention windows: snapshotRetentionDays (${snapshotDays}) must not exceed rowRetentionDays (${rowDays}); ` +
        'snapshots are scrubbed before their rows are deleted',
    );
  return windows;
}
