import { linkIdentity } from '../../identity/index.js';
import { type Command, UsageError } from '../command.js';
import { DATABASE_SETTINGS, parseNow, subjectIdAsUsageError, withDatabase } from './shared.js';

function counts(rows: Record<string, number>): string {
  const parts = Object.entries(rows)
    .filter(([, n]) => n > 0)
    .map(([table, n]) => `${table} ${n}`);
  return parts.length > 0 ? ` (${parts.join(', ')})` : '';
}

/** `tripmeter link --anon … --user …`: link an anonymous session to a user and backfill its rows. */
export const linkCommand: Command = {
  name: 'link',
  summary: 'link an anonymous session id to a user id and backfill its recent rows (as at login)',
  usage:
    'tripmeter link --anon <anon_session_id> --user <user_id> [--now <ISO time>] [--link-backfill-days 30]',
  flags: {
    anon: { type: 'string', help: 'the anonymous session id (UUID)' },
    user: { type: 'string', help: 'the user id (UUID)' },
    now: { type: 'string', help: 'the clock: link time and end of the backfill window (default: now)' },
  },
  settings: [...DATABASE_SETTINGS, 'linkBackfillDays'],
  async run({ config, flags, out }) {
    const { anon, user } = flags;
    if (typeof anon !== 'string' || typeof user !== 'string')
      throw new UsageError('link needs --anon <anon_session_id> and --user <user_id>');
    const now = parseNow(flags.now);
    return withDatabase(config, async (database) => {
      const input = { anonSessionId: anon, userId: user };
      const result = await linkIdentity(database, input, { now, backfillDays: config.linkBackfillDays });
      const total = Object.values(result.rowsBackfilled).reduce((a, b) => a + b, 0);
      if (result.outcome === 'conflict') {
        out(
          `conflict (ANON_ID_ALREADY_LINKED): anonymous id ${anon} is linked to another user; nothing changed, the refusal is recorded`,
        );
        return 1;
      }
      if (result.outcome === 'already_linked') out(`already linked: ${anon} → ${user}; nothing changed`);
      else out(`linked ${anon} → ${user}: ${total} rows backfilled${counts(result.rowsBackfilled)}`);
      return 0;
    }).catch(subjectIdAsUsageError);
  },
};
