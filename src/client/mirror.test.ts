import { describe, expect, it, vi } from 'vitest';
import { fakeWindow } from './__fixtures__/fake-window.js';
import { createMirror, type MirrorEvent } from './mirror.js';
import { createStats } from './stats.js';
import { isUuidV4 } from './uuid.js';

const event = (i: number): MirrorEvent => ({
  name: 'create_trip__toggle--roundtrip',
  anon_session_id: '2f1c7a52-9b7e-4c41-8f0e-0c3b8d1a6e55',
  occurred_at: new Date(Date.UTC(2026, 0, 1, 0, 0, i)).toISOString(),
  props: { enabled: i % 2 === 0 },
});

function setup(sendBeacon: ((url: string, data: Blob) => boolean) | null = () => true) {
  const beacons: { url: string; blob: Blob }[] = [];
  const fetch = vi.fn(
    async (_url: RequestInfo | URL, _init?: RequestInit) => new Response(null, { status: 202 }),
  );
  const fake = fakeWindow({
    fetch,
    navigator: sendBeacon
      ? {
          sendBeacon: (url, blob) => {
            beacons.push({ url, blob });
            return sendBeacon(url, blob);
          },
        }
      : {},
  });
  const stats = createStats();
  const mirror = createMirror(fake.win, { endpoint: 'https://t.example/', siteKey: 'site_1' }, stats);
  const body = async (i: number) => JSON.parse(await beacons[i]!.blob.text());
  return { fake, stats, mirror, beacons, fetch, body };
}

describe('createMirror', () => {
  it('beacons a text/plain JSON batch of 10 at once', async () => {
    const { mirror, beacons, stats, body } = setup();
    for (let i = 0; i < 9; i++) mirror.push(event(i));
    expect(beacons).toHaveLength(0);
    mirror.push(event(9));
    expect(beacons).toHaveLength(1);
    expect(beacons[0]!.url).toBe('https://t.example/v1/client-events');
    expect(beacons[0]!.blob.type).toBe('text/plain;charset=utf-8');
    const sent = await body(0);
    expect(sent.site_key).toBe('site_1');
    expect(sent.events).toEqual(
      Array.from({ length: 10 }, (_, i) => ({ id: expect.any(String), ...event(i) })),
    );
    const ids = sent.events.map((e: MirrorEvent) => e.id);
    expect(new Set(ids).size).toBe(10);
    for (const id of ids) expect(isUuidV4(id)).toBe(true);
    expect(stats.mirrored).toBe(10);
  });

  it('flushes 2 s after the first waiting event', () => {
    const { mirror, beacons, fake } = setup();
    mirror.push(event(0));
    fake.timers.advance(1000);
    mirror.push(event(1));
    fake.timers.advance(999);
    expect(beacons).toHaveLength(0);
    fake.timers.advance(1);
    expect(beacons).toHaveLength(1);
    expect(fake.timers.count()).toBe(0);
  });

  it('flushes when the page is hidden or left', () => {
    const { mirror, beacons, fake } = setup();
    mirror.push(event(0));
    fake.hide();
    expect(beacons).toHaveLength(1);
    mirror.push(event(1));
    fake.pagehide();
    expect(beacons).toHaveLength(2);
    fake.pagehide();
    expect(beacons).toHaveLength(2);
  });

  it('falls back to fetch with keepalive when sendBeacon refuses or is missing', async () => {
    for (const beacon of [() => false, null]) {
      const { mirror, fetch, stats } = setup(beacon);
      mirror.push(event(0));
      mirror.flush();
      await vi.waitFor(() => expect(stats.mirrored).toBe(1));
      const [url, init] = fetch.mock.calls[0]!;
      expect(url).toBe('https://t.example/v1/client-events');
      expect(init).toMatchObject({ method: 'POST', keepalive: true, credentials: 'omit' });
      expect(init?.headers).toEqual({ 'content-type': 'text/plain;charset=UTF-8' });
      expect(JSON.parse(init?.body as string).events).toEqual([{ id: expect.any(String), ...event(0) }]);
    }
  });

  it('counts failed deliveries and never throws', async () => {
    const { mirror, fetch, stats } = setup(() => false);
    fetch.mockResolvedValueOnce(new Response(null, { status: 500 }));
    fetch.mockRejectedValueOnce(new TypeError('offline'));
    mirror.push(event(0));
    mirror.flush();
    mirror.push(event(1));
    mirror.flush();
    await vi.waitFor(() => expect(stats.mirrorFailed).toBe(2));
    const none = createStats();
    const bare = createMirror(fakeWindow().win, { endpoint: 'https://t.example', siteKey: 'k' }, none);
    bare.push(event(0));
    expect(() => bare.flush()).not.toThrow();
    expect(none.mirrorFailed).toBe(1);
  });

  it('clear drops the batch and its timer; an empty flush sends nothing', () => {
    const { mirror, beacons, fake } = setup();
    mirror.flush();
    mirror.push(event(0));
    mirror.clear();
    fake.timers.advance(5000);
    mirror.flush();
    expect(beacons).toHaveLength(0);
  });
});
