import { type DeletionSubject, deleteSubject } from '../../lifecycle/index.js';
import { type Command, UsageError } from '../command.js';
import { DATABASE_SETTINGS, parseNow, subjectIdAsUsageError, withDatabase } from './shared.js';

function subjectOf(flags: Record<string, unknown>): DeletionSubject {
  const { user, anon } = flags;
  if ((typeof user === 'string') === (typeof anon === 'string'))
    throw new UsageError('delete needs exactly one of --user <user_id> or --anon <anon_session_id>');
  return typeof user === 'string' ? { userId: user } : { anonSessionId: anon as string };
}

/** `tripmeter delete --user … | --anon …`: delete a subject's raw rows and print the receipt. */
export const deleteCommand: Command = {
  name: 'delete',
  summary: "delete a user's (or an anonymous id's) raw rows in one transaction and print the receipt",
  usage: 'tripmeter delete --user <user_id> | --anon <anon_session_id> [--now <ISO time>]',
  flags: {
    user: { type: 'string', help: 'a user id: its rows and those of every anonymous id linked to it' },
    anon: { type: 'string', help: 'an anonymous session id: its rows and links' },
    now: { type: 'string', help: 'the clock: the receipt’s requested_at (default: now)' },
  },
  settings: [...DATABASE_SETTINGS, 'subjectHmacSecret'],
  async run({ config, flags, out }) {
    const subject = subjectOf(flags);
    const now = parseNow(flags.now);
    return withDatabase(config, async (database) => {
      const receipt = await deleteSubject(database, subject, { now, secret: config.subjectHmacSecret });
      const total = Object.values(receipt.counts).reduce((a, b) => a + b, 0);
      out(
        `deleted ${total} rows of ${receipt.subjectKind} (receipt ${receipt.id}, subject HMAC ${receipt.subjectHmac})`,
      );
      for (const [table, n] of Object.entries(receipt.counts)) out(`  ${table.padEnd(40)} ${n}`);
      return 0;
    }).catch(subjectIdAsUsageError);
  },
};
