import { describe, expect, it } from 'vitest';
import { testMessage } from './alert-message.js';
import { deliver } from './deliver.js';
import { slackNotifier, webhookNotifier } from './notifier.js';

const message = testMessage(new Date('2026-11-25T10:00:00Z'));

/** A fetch that answers the given statuses in turn (a number) or fails (an Error), recording bodies. */
function scripted(...answers: (number | Error)[]) {
  const bodies: unknown[] = [];
  const keys: (string | null)[] = [];
  const fetch = async (_url: string, init: RequestInit) => {
    bodies.push(JSON.parse(String(init.body)));
    keys.push(new Headers(init.headers).get('idempotency-key'));
    const next = answers.shift() ?? 200;
    if (next instanceof Error) throw next;
    return new Response(null, { status: next });
  };
  return { fetch, bodies, keys };
}

describe('deliver', () => {
  it('retries network errors, 429 and 5xx with capped, doubling backoff', async () => {
    const { fetch } = scripted(new TypeError('fetch failed'), 503, 429, 204);
    const sleeps: number[] = [];
    const tries = await deliver(webhookNotifier('http://hook'), message, {
      fetch,
      attempts: 5,
      baseDelayMs: 100,
      maxDelayMs: 250,
      sleep: async (ms) => void sleeps.push(ms),
    });
    expect(tries.map((t) => [t.status, t.responseCode])).toEqual([
      ['failed', null],
      ['failed', 503],
      ['failed', 429],
      ['delivered', 204],
    ]);
    expect(sleeps).toEqual([100, 200, 250]);
  });

  it('sends one Idempotency-Key on every try of a message, another for another transition', async () => {
    const first = scripted(503, 200);
    await deliver(webhookNotifier('http://hook'), message, { fetch: first.fetch, sleep: async () => {} });
    expect(first.keys).toHaveLength(2);
    expect(first.keys[0]).toMatch(/^tripmeter-[0-9a-f]{32}$/);
    expect(first.keys[1]).toBe(first.keys[0]);
    const later = scripted(200);
    const next = testMessage(new Date('2026-11-25T10:01:00Z'));
    await deliver(webhookNotifier('http://hook'), next, { fetch: later.fetch });
    expect(later.keys[0]).not.toBe(first.keys[0]);
  });

  it('does not retry other 4xx and gives up after the last try', async () => {
    const once = await deliver(webhookNotifier('http://hook'), message, {
      fetch: scripted(404).fetch,
      sleep: async () => {},
    });
    expect(once).toHaveLength(1);
    const all = await deliver(webhookNotifier('http://hook'), message, {
      fetch: scripted(500, 500, 500, 500, 500).fetch,
      sleep: async () => {},
    });
    expect(all.map((t) => t.attempt)).toEqual([1, 2, 3, 4]);
  });

  it('sends the message as JSON to a webhook, and text plus blocks to Slack', async () => {
    const hook = scripted(200);
    await deliver(webhookNotifier('http://hook'), message, { fetch: hook.fetch });
    expect(hook.bodies[0]).toMatchObject({
      source: 'tripmeter',
      kind: 'test',
      rule: 'test',
      text: message.text,
    });
    const slack = scripted(200);
    await deliver(slackNotifier('http://slack'), message, { fetch: slack.fetch });
    expect(slack.bodies[0]).toMatchObject({
      text: message.text,
      blocks: [{ type: 'section', text: { type: 'mrkdwn' } }, { type: 'context' }],
    });
  });
});
