import { describe, expect, it, vi } from 'vitest';
import { fakeWindow } from './__fixtures__/fake-window.js';
import { createTripmeterClient, MIRROR_CONTENT_TYPE, type TripmeterClientOptions } from './index.js';

const TOKEN = 'eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJ1In0.sig';
const mirror = { endpoint: 'https://telemetry.example.com/', siteKey: 'tm_site_abc' };

function setup(options: TripmeterClientOptions = { mirror }, answer?: () => Promise<Response>) {
  const fake = fakeWindow();
  const fetch = vi.fn(
    answer ??
      (async () => Response.json({ outcome: 'linked' }, { headers: { 'content-type': 'application/json' } })),
  );
  fake.win.fetch = fetch;
  const client = createTripmeterClient({ window: fake.win, ...options });
  return { client, fetch };
}

describe('identify', () => {
  it('posts site key, anonymous id and token as text/plain JSON without cookies, and resolves the outcome', async () => {
    const { client, fetch } = setup();
    expect(await client.identify(TOKEN)).toBe('linked');
    const [url, init] = fetch.mock.calls[0]! as unknown as [string, RequestInit];
    expect(url).toBe('https://telemetry.example.com/v1/client-identify');
    expect(init).toMatchObject({ method: 'POST', credentials: 'omit', keepalive: true });
    expect(init.headers).toEqual({ 'content-type': MIRROR_CONTENT_TYPE });
    expect(JSON.parse(init.body as string)).toEqual({
      site_key: 'tm_site_abc',
      anon_session_id: client.getAnonSessionId(),
      access_token: TOKEN,
    });
  });

  it('sends a repeated session once, and again for a new token or a new anonymous id', async () => {
    const { client, fetch } = setup();
    await Promise.all([client.identify(TOKEN), client.identify(TOKEN)]);
    expect(fetch).toHaveBeenCalledTimes(1);
    await client.identify(`${TOKEN}2`);
    expect(fetch).toHaveBeenCalledTimes(2);
    client.resetAnonSession();
    await client.identify(`${TOKEN}2`);
    expect(fetch).toHaveBeenCalledTimes(3);
  });

  it('never rejects: a refusal, a network error or a bad body resolve undefined and are counted', async () => {
    const answers = [
      async () => new Response('{"code":"INVALID_TOKEN"}', { status: 401 }),
      async () => {
        throw new TypeError('Failed to fetch');
      },
      async () => new Response('not json', { status: 200 }),
    ];
    for (const answer of answers) {
      const { client, fetch } = setup({ mirror }, answer);
      expect(await client.identify(TOKEN)).toBeUndefined();
      expect(client.stats().identifyFailed).toBe(1);
      await client.identify(TOKEN); // a failure is not remembered: the same token may be retried
      expect(fetch).toHaveBeenCalledTimes(2);
    }
  });

  it('sends nothing without a server, or without consent when the mirror requires it', async () => {
    const none = setup({});
    expect(await none.client.identify(TOKEN)).toBeUndefined();
    expect(none.client.stats().identifyFailed).toBe(1);
    const gated = setup({ mirror, mirrorRequiresConsent: true });
    expect(await gated.client.identify(TOKEN)).toBeUndefined();
    gated.client.setConsent(true);
    expect(await gated.client.identify(TOKEN)).toBe('linked');
    expect(none.fetch).not.toHaveBeenCalled();
    expect(gated.fetch).toHaveBeenCalledTimes(1);
  });
});
