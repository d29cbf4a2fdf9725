import { rebuildRollups, updateRollups } from '../../rollups/index.js';
import type { Command } from '../command.js';
import { DATABASE_SETTINGS, parseNow, withDatabase } from './shared.js';

/** `tripmeter rollup [--rebuild]`: bring the hourly and daily rollups up to date (or rebuild them). */
export const rollupCommand: Command = {
  name: 'rollup',
  summary:
    'update the hourly and daily rollups from changed raw rows (--rebuild: every hour not yet final, every day)',
  usage: 'tripmeter rollup [--rebuild] [--now <ISO time>] [--database-url URL | --data-dir DIR]',
  flags: {
    rebuild: {
      type: 'boolean',
      help: 'recompute every non-final hour from the raw rows, then every day from the hours',
    },
    now: { type: 'string', help: 'the clock (default: now)' },
  },
  settings: DATABASE_SETTINGS,
  async run({ config, flags, out }) {
    const now = parseNow(flags.now);
    return withDatabase(config, async (database) => {
      const result = flags.rebuild
        ? await rebuildRollups(database, { now })
        : await updateRollups(database, { now });
      out(
        `${flags.rebuild ? 'rebuilt' : 'updated'} ${result.hoursRecomputed} hours; final through ` +
          `${result.finalizedThrough?.toISOString() ?? '(nothing final yet)'}`,
      );
      return 0;
    });
  },
};
