import { runRetention } from '../../lifecycle/index.js';
import { type Command, UsageError } from '../command.js';
import { DATABASE_SETTINGS, parseNow, withDatabase } from './shared.js';

/** `tripmeter retention run`: finalize rollups, delete expired rows, scrub old snapshots. */
export const retentionCommand: Command = {
  name: 'retention',
  summary: 'apply the retention windows now: scrub snapshots, delete expired raw rows (rollups stay)',
  usage:
    'tripmeter retention run [--now <ISO time>] [--snapshot-retention-days 30] [--row-retention-days 90]',
  flags: { now: { type: 'string', help: 'the clock; windows are measured back from it (default: now)' } },
  settings: [...DATABASE_SETTINGS, 'snapshotRetentionDays', 'rowRetentionDays'],
  async run({ config, flags, positionals, out }) {
    if (positionals[0] !== 'run' || positionals.length > 1)
      throw new UsageError(
        positionals[0] === undefined ? 'expected "run"' : `unexpected "${positionals.join(' ')}"`,
      );
    const now = parseNow(flags.now);
    return withDatabase(config, async (database) => {
      const result = await runRetention(database, {
        now,
        snapshotDays: config.snapshotRetentionDays,
        rowDays: config.rowRetentionDays,
      });
      out(
        `retention at ${now.toISOString()}: rows before ${result.rowCutoff.toISOString()} deleted, ` +
          `snapshots before ${result.snapshotCutoff.toISOString()} scrubbed; rollups final through ` +
          `${result.finalizedThrough?.toISOString() ?? '-'}`,
      );
      for (const t of result.tables) {
        out(
          `  ${t.schema}.${t.table}: ${t.droppedPartitions.length} partitions dropped, ` +
            `${t.rowsDeleted} rows deleted, ${t.rowsScrubbed} rows scrubbed`,
        );
      }
      return 0;
    });
  },
};
