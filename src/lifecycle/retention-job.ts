import type { Config } from '../config/index.js';
import { purgeFingerprintSalts } from '../privacy/fingerprint-node.js';
import { updateRollups } from '../rollups/index.js';
import type { Database } from '../storage/index.js';
import { runRetention } from './retention.js';

const MINUTE_MS = 60_000;
const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;

/** A scheduler job (structurally the `Job` of src/jobs). */
interface PrivacyJob {
  name: string;
  intervalMs: number;
  runAtStart?: boolean;
  run(now: Date): Promise<unknown>;
}

/**
 * The privacy jobs `serve` runs: rollups every minute, retention daily (and at start), salt
 * purge hourly.
 *
 * @example
 * for (const job of privacyJobs(database, config)) scheduler.add(job);
 */
export function privacyJobs(
  database: Database,
  config: Pick<Config, 'snapshotRetentionDays' | 'rowRetentionDays'>,
): PrivacyJob[] {
  return [
    { name: 'rollups', intervalMs: MINUTE_MS, run: (now) => updateRollups(database, { now }) },
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
