import { describe, expect, it, vi } from 'vitest';
import { fakeWindow } from './__fixtures__/fake-window.js';
import { createTripmeterClient, type TripmeterClientOptions } from './index.js';

const toggle = { enabled: true };

function setup(options: TripmeterClientOptions = {}) {
  const fake = fakeWindow();
  const beacons: unknown[] = [];
  fake.win.navigator = { sendBeacon: (_url, blob) => Boolean(beacons.push(blob)) };
  const client = createTripmeterClient({ window: fake.win, now: () => Date.UTC(2026, 4, 1), ...options });
  const mirrored = async () => {
    const bodies = await Promise.all(beacons.map((b) => (b as Blob).text()));
    return bodies.flatMap((text) => JSON.parse(text).events as { name: string }[]);
  };
  return { fake, client, beacons, mirrored };
}

describe('createTripmeterClient: consent and Umami', () => {
  it('sends nothing and queues nothing without consent', () => {
    const { fake, client } = setup();
    fake.installUmami();
    client.track('create_trip__toggle--roundtrip', toggle);
    fake.timers.advance(10_000);
    expect(fake.umamiCalls).toEqual([]);
    expect(client.stats()).toMatchObject({ sent: 0, queued: 0, blocked: 1 });
    expect(fake.timers.count()).toBe(0);
  });

  it('delivers events tracked before Umami loads, in order, once consent is given', () => {
    const { fake, client } = setup({ consent: true });
    client.track('create_trip__toggle--roundtrip', toggle);
    client.track('create_trip__section--expand', { section_id: 'budget', expanded: true });
    expect(client.stats().queued).toBe(2);
    fake.timers.advance(3000);
    fake.installUmami();
    fake.timers.advance(5000);
    expect(fake.umamiCalls).toEqual([
      ['create_trip__toggle--roundtrip', { enabled: true }],
      ['create_trip__section--expand', { section_id: 'budget', expanded: true }],
    ]);
    expect(client.stats()).toMatchObject({ sent: 2, queued: 0 });
  });

  it('revoking consent clears the queue and stops polling', () => {
    const { fake, client } = setup({ consent: true });
    client.track('create_trip__toggle--roundtrip', toggle);
    client.setConsent(false);
    expect(client.stats().queued).toBe(0);
    expect(fake.timers.count()).toBe(0);
    fake.installUmami();
    client.setConsent(true);
    client.flush();
    expect(fake.umamiCalls).toEqual([]);
    client.track('create_trip__toggle--route_lock', toggle);
    expect(fake.umamiCalls).toEqual([['create_trip__toggle--route_lock', toggle]]);
  });

  it('drops bad payload values and invalid names, counting them, and never throws', () => {
    const { fake, client } = setup({ consent: true });
    fake.installUmami();
    const untyped = client.track as (name: string, props: unknown) => void;
    untyped('app__chunk_recovery--reload', { module_key: 'x'.repeat(501), reason: 'load', extra: { a: 1 } });
    untyped('Bad Name', {});
    expect(() => untyped('app__x', null)).not.toThrow();
    expect(fake.umamiCalls[0]).toEqual(['app__chunk_recovery--reload', { reason: 'load' }]);
    expect(client.stats()).toMatchObject({ dropped: 3, invalid: 1, sent: 2 });
  });

  it('keeps the anon id out of Umami unless includeAnonIdInUmami is set', () => {
    const plain = setup({ consent: true });
    plain.fake.installUmami();
    plain.client.track('create_trip__toggle--roundtrip', toggle);
    expect(plain.fake.umamiCalls[0]![1]).toEqual(toggle);
    const opted = setup({ consent: true, includeAnonIdInUmami: true });
    opted.fake.installUmami();
    opted.client.track('create_trip__toggle--roundtrip', toggle);
    expect(opted.fake.umamiCalls[0]![1]).toEqual({
      enabled: true,
      anon_session_id: opted.client.getAnonSessionId(),
    });
  });
});

describe('createTripmeterClient: Umami loader', () => {
  const script = {
    src: 'https://stats.example/script.js',
    websiteId: 'w-1',
    hostUrl: 'https://collect.example',
  };

  it('injects the script only after consent, once, and drains the queue on load', () => {
    const { fake, client } = setup({ umami: script });
    expect(fake.scripts).toHaveLength(0);
    client.setConsent(true);
    client.setConsent(false);
    client.setConsent(true);
    expect(fake.scripts).toHaveLength(1);
    const tag = fake.scripts[0]!;
    expect(tag.src).toBe(script.src);
    expect(tag.defer).toBe(true);
    expect(tag.attributes).toEqual({
      'data-website-id': 'w-1',
      'data-host-url': 'https://collect.example',
      'data-auto-track': 'false',
    });
    client.track('create_trip__toggle--roundtrip', toggle);
    fake.installUmami();
    tag.load();
    expect(fake.umamiCalls).toHaveLength(1);
  });

  it('injects at once when consent is already there; omits data-host-url when not given', () => {
    const { fake, client } = setup({ consent: true });
    client.loadUmami({ src: '/s.js', websiteId: 'w' });
    client.loadUmami({ src: '/s.js', websiteId: 'w' });
    expect(fake.scripts).toHaveLength(1);
    expect(fake.scripts[0]!.attributes['data-host-url']).toBeUndefined();
  });
});

describe('createTripmeterClient: mirror', () => {
  const mirror = { endpoint: 'https://t.example', siteKey: 'site_1' };

  it('mirrors only create_trip__ events, with the anon id, without analytics consent by default', async () => {
    const { client, mirrored } = setup({ mirror });
    client.track('create_trip__toggle--roundtrip', toggle);
    client.track('app__chunk_recovery--reload', { module_key: 'm', reason: 'r' });
    client.flush();
    expect(await mirrored()).toEqual([
      {
        id: expect.any(String),
        name: 'create_trip__toggle--roundtrip',
        anon_session_id: client.getAnonSessionId(),
        occurred_at: '2026-05-01T00:00:00.000Z',
        props: toggle,
      },
    ]);
    expect(client.stats()).toMatchObject({ mirrored: 1, blocked: 2 });
  });

  it('mirrors both create-trip flows and the events an app adds to its catalog', async () => {
    type AppCatalog = import('./index.js').DefaultCatalog & {
      'create_trip__model--select': { provider: string; model: string };
      'checkout__cta--pay': { amount_eur: number };
    };
    const fake = fakeWindow();
    const beacons: unknown[] = [];
    fake.win.navigator = { sendBeacon: (_url, blob) => Boolean(beacons.push(blob)) };
    const client = createTripmeterClient<AppCatalog>({ window: fake.win, mirror });
    client.track('create_trip_wizard__cta--generate', {
      branch: 'inspire',
      destination_count: 1,
      date_mode: 'flex',
    });
    client.track('create_trip__model--select', { provider: 'openai', model: 'gpt-5.4' });
    client.track('checkout__cta--pay', { amount_eur: 5 });
    client.flush();
    const names = (await Promise.all(beacons.map((b) => (b as Blob).text()))).flatMap((text) =>
      (JSON.parse(text).events as { name: string }[]).map((e) => e.name),
    );
    expect(names).toEqual(['create_trip_wizard__cta--generate', 'create_trip__model--select']);
  });

  it('mirrors the prefixes it is given instead', async () => {
    const { client, mirrored } = setup({ mirror: { ...mirror, prefixes: ['app__'] } });
    client.track('create_trip__toggle--roundtrip', toggle);
    client.track('app__chunk_recovery--reload', { module_key: 'm', reason: 'r' });
    client.flush();
    expect((await mirrored()).map((e) => e.name)).toEqual(['app__chunk_recovery--reload']);
  });

  it('mirrorRequiresConsent gates the mirror and revoking clears its batch', async () => {
    const { client, mirrored } = setup({ mirror, mirrorRequiresConsent: true });
    client.track('create_trip__toggle--roundtrip', toggle);
    client.setConsent(true);
    client.track('create_trip__toggle--route_lock', toggle);
    client.setConsent(false);
    client.flush();
    expect(await mirrored()).toEqual([]);
    client.setConsent(true);
    client.track('create_trip__section--expand', { section_id: 's', expanded: false });
    client.flush();
    expect((await mirrored()).map((e) => e.name)).toEqual(['create_trip__section--expand']);
  });
});

describe('createTripmeterClient: session helpers', () => {
  it('exposes the anon id, its rotation and the request helpers on its window', async () => {
    const fetch = vi.fn(async () => new Response('ok'));
    const { fake, client } = setup();
    fake.win.fetch = fetch;
    const id = client.getAnonSessionId();
    expect(fake.storage.map.get('tripmeter.anon_session_id')).toBe(id);
    expect(new Headers(client.withAnonSession().headers).get('x-anon-session-id')).toBe(id);
    await client.fetch('/api');
    const [, init] = fetch.mock.calls[0] as unknown as [string, RequestInit];
    expect(new Headers(init.headers).get('x-anon-session-id')).toBe(id);
    const next = client.resetAnonSession();
    expect(next).not.toBe(id);
    expect(client.getAnonSessionId()).toBe(next);
  });
});
