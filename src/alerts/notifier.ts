import type { AlertMessage } from './alert-message.js';

/** The `fetch` notifiers use (global `fetch` in production, a stub in tests). */
export type FetchLike = (input: string, init: RequestInit) => Promise<Response>;

/** A destination for alert messages: it only shapes the request; delivery and retries are shared. */
export interface Notifier {
  /** Stored in `alert_deliveries.notifier`, e.g. `webhook` or `slack`. */
  readonly name: string;
  readonly url: string;
  /** The JSON body for a message. */
  body(message: AlertMessage): unknown;
}

/**
 * A generic JSON webhook: the body is the {@link AlertMessage} itself, with `source: "tripmeter"`.
 *
 * @example
 * webhookNotifier(process.env.TRIPMETER_ALERT_WEBHOOK_URL)
 */
export function webhookNotifier(url: string): Notifier {
  return { name: 'webhook', url, body: (message) => ({ source: 'tripmeter', ...message }) };
}

const EMOJI = {
  opened: ':rotating_light:',
  repeat: ':rotating_light:',
  resolved: ':white_check_mark:',
  test: ':wave:',
};

/** A Slack-compatible incoming webhook: `text` (the fallback) plus Block Kit `blocks`. */
export function slackNotifier(url: string): Notifier {
  return {
    name: 'slack',
    url,
    body: (message) => ({
      text: message.text,
      blocks: [
        { type: 'section', text: { type: 'mrkdwn', text: `${EMOJI[message.kind]} *${message.text}*` } },
        {
          type: 'context',
          elements: [
            {
              type: 'mrkdwn',
              text: `rule \`${message.rule}\` · scope \`${message.scope}\`${message.incidentId ? ` · incident \`${message.incidentId}\`` : ''} · ${message.at}`,
            },
          ],
        },
      ],
    }),
  };
}

/** The notifiers of the configuration: the JSON webhook and/or the Slack webhook. */
export function notifiersFrom(config: {
  alertWebhookUrl?: string | undefined;
  alertSlackWebhookUrl?: string | undefined;
}): Notifier[] {
  const notifiers: Notifier[] = [];
  if (config.alertWebhookUrl) notifiers.push(webhookNotifier(config.alertWebhookUrl));
  if (config.alertSlackWebhookUrl) notifiers.push(slackNotifier(config.alertSlackWebhookUrl));
  return notifiers;
}
