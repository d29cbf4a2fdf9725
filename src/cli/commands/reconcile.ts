import { DEFAULT_ABANDON_TIMEOUT_MINUTES, reconcileAbandoned } from '../../lifecycle/index.js';
import { type Command, UsageError } from '../command.js';
import { DATABASE_SETTINGS, parseNow, withDatabase } from './shared.js';

/** `tripmeter reconcile`: close abandoned pending attempts (for cron; `serve` runs it every minute). */
export const reconcileCommand: Command = {
  name: 'reconcile',
  summary: 'close pending attempts older than the timeout as failed / ATTEMPT_ABANDONED',
  usage: 'tripmeter reconcile [--timeout-minutes 15] [--now <ISO time>]',
  flags: {
    'timeout-minutes': {
      type: 'string',
      help: 'age after which a pending attempt is abandoned (default 15)',
    },
    now: { type: 'string', help: 'the clock (default: now)' },
  },
  settings: DATABASE_SETTINGS,
  async run({ config, flags, out }) {
    const timeout =
      flags['timeout-minutes'] === undefined
        ? DEFAULT_ABANDON_TIMEOUT_MINUTES
        : Number(flags['timeout-minutes']);
    if (!Number.isInteger(timeout) || timeout < 1 || timeout > 10_080) {
      throw new UsageError('--timeout-minutes must be a whole number of minutes from 1 to 10080');
    }
    return withDatabase(config, async (database) => {
      const result = await reconcileAbandoned(database, {
        now: parseNow(flags.now),
        timeoutMinutes: timeout,
      });
      out(`closed ${result.closed} abandoned attempts (pending since before ${result.cutoff.toISOString()})`);
      return 0;
    });
  },
};
