import {
  evaluateAlerts,
  type Incident,
  listIncidents,
  notifiersFrom,
  sendMessages,
  testMessage,
} from '../../alerts/index.js';
import { type Command, type CommandContext, UsageError } from '../command.js';
import { DATABASE_SETTINGS, parseNow, withDatabase } from './shared.js';

const SUBCOMMANDS = ['evaluate', 'test'] as const;

function incidentLine(incident: Incident): string {
  const peak = incident.peakRate === null ? '-' : Number(incident.peakRate.toPrecision(4));
  return `${incident.id}  ${incident.rule}  ${incident.scope}  opened ${incident.openedAt.toISOString()}  peak ${peak}`;
}

async function evaluate({ config, flags, out }: CommandContext): Promise<number> {
  const now = parseNow(flags.now);
  return withDatabase(config, async (database) => {
    const result = await evaluateAlerts({
      database,
      config: config.alerts,
      now,
      notifiers: notifiersFrom(config),
      generationTimeoutMs: config.generationTimeoutMs,
    });
    if (!result.leader) {
      out('another instance is evaluating alerts right now (it holds the leader lock); nothing done');
      return 0;
    }
    out(`evaluated ${result.signals} signals at ${now.toISOString()}`);
    for (const t of result.transitions) out(`${t.kind}: ${t.rule} (${t.scope}) incident ${t.incidentId}`);
    for (const d of result.deliveries.filter((d) => d.status === 'failed'))
      out(`delivery to ${d.notifier} failed (try ${d.attempt}): ${d.error}`);
    const open = await listIncidents(database.db, database.schema, { state: 'firing' });
    out(open.length === 0 ? 'no open incidents' : `${open.length} open incidents:`);
    for (const incident of open) out(`  ${incidentLine(incident)}`);
    return 0;
  });
}

async function sendTest({ config, out }: CommandContext): Promise<number> {
  const notifiers = notifiersFrom(config);
  if (notifiers.length === 0)
    throw new UsageError(
      'no notifier configured: set TRIPMETER_ALERT_WEBHOOK_URL or TRIPMETER_ALERT_SLACK_WEBHOOK_URL',
    );
  return withDatabase(config, async (database) => {
    const tries = await sendMessages(database, [testMessage(new Date())], notifiers);
    for (const notifier of notifiers) {
      const mine = tries.filter((t) => t.notifier === notifier.name);
      const last = mine.at(-1);
      out(
        last?.status === 'delivered'
          ? `${notifier.name}: delivered (HTTP ${last.responseCode}, ${mine.length} tries)`
          : `${notifier.name}: FAILED after ${mine.length} tries: ${last?.error ?? 'not sent'}`,
      );
    }
    return tries.some((t) => t.status === 'delivered') ? 0 : 1;
  });
}

/** `tripmeter alerts evaluate|test`: one evaluation now (for cron and tests), or a test notification. */
export const alertsCommand: Command = {
  name: 'alerts',
  summary: 'evaluate the alert rules once and print open incidents, or send a test notification',
  usage: 'tripmeter alerts evaluate [--now <ISO time>] | tripmeter alerts test',
  flags: { now: { type: 'string', help: 'evaluate: the clock (default: now)' } },
  settings: [...DATABASE_SETTINGS, 'alerts', 'alertWebhookUrl', 'alertSlackWebhookUrl'],
  async run(ctx) {
    const [sub, ...rest] = ctx.positionals;
    if (!SUBCOMMANDS.includes(sub as (typeof SUBCOMMANDS)[number]))
      throw new UsageError(
        sub === undefined ? `expected ${SUBCOMMANDS.join('|')}` : `unknown subcommand "${sub}"`,
      );
    if (rest.length > 0) throw new UsageError(`unexpected argument "${rest[0]}"`);
    if (sub === 'test' && ctx.flags.now !== undefined) throw new UsageError('--now is only for evaluate');
    return sub === 'evaluate' ? evaluate(ctx) : sendTest(ctx);
  },
};
