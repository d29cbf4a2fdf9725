import type { Config } from '../config/index.js';
import type { Job } from '../jobs/index.js';
import { purgeFingerprintSalts } from '../privacy/fingerprint-node.js';
import type { Database } from '../storage/index.js';
import { runRetention } from './retention.js';

const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;

/**
 * The privacy jobs `serve` runs: retention daily (and at start), so raw rows and snapshots never
 * outlive their window by more than a day; the fingerprint salt purge hourly (and at start), so
 * a salt is gone within an hour of its 48 hours.
 *
 * @example
 * for (const job of privacyJobs(database, config)) scheduler.add(job);
 */
export function privacyJobs(
  database: Database,
  config: Pick<Config, 'snapshotRetentionDays' | 'rowRetentionDays'>,
): Job[] {
  return [
    {
      name: 'retention',
      intervalMs: DAY_MS,
      runAtStart: true,
      run: (now) =>
        runRetention(database, {
          now,
          snapshotDays: config.snapshotRetentionDays,
          rowDays: config.rowRetentionDays,
        }),
    },
    {
      name: 'fingerprint-salts',
      intervalMs: HOUR_MS,
      runAtStart: true,
      run: (now) => purgeFingerprintSalts(database, { now }),
    },
  ];
}
