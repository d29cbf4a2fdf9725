import { describe, expect, it } from 'vitest';
import { clientEventCatalog } from './event-catalog.js';
import { CLIENT_EVENT_MAX_AGE_MS, CLIENT_EVENT_MAX_SKEW_MS, MAX_PROP_STRING_LENGTH } from './limits.js';
import { parseClientBatch } from './parse-batch.js';
import { checkProps, EXTENSION_PROP_BOUNDS } from './props.js';

const NOW = new Date('2026-11-25T10:00:00Z');
const ANON = '2f1c7a52-9b7e-4c41-8f0e-0c3b8d1a6e55';
const event = (extra: Record<string, unknown> = {}) => ({
  name: 'create_trip__toggle--roundtrip',
  anon_session_id: ANON,
  occurred_at: NOW.toISOString(),
  props: { enabled: true },
  ...extra,
});
const iso = (deltaMs: number) => new Date(NOW.getTime() + deltaMs).toISOString();

describe('parseClientBatch', () => {
  it('accepts the edges of the ingest window and normalises ids', () => {
    const parsed = parseClientBatch(
      {
        site_key: 'k',
        events: [
          event({ occurred_at: iso(-CLIENT_EVENT_MAX_AGE_MS), id: 'AAAAAAAA-BBBB-4CCC-8DDD-EEEEEEEEEEEE' }),
          event({ occurred_at: iso(CLIENT_EVENT_MAX_SKEW_MS), anon_session_id: ANON.toUpperCase() }),
        ],
      },
      NOW,
    );
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect(parsed.siteKey).toBe('k');
    expect(parsed.events[0]).toMatchObject({ id: 'aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee', clientId: true });
    expect(parsed.events[1]).toMatchObject({ anonSessionId: ANON, clientId: false });
  });

  it('refuses just outside the window, times without a zone, and non-objects', () => {
    const parsed = parseClientBatch(
      {
        events: [
          event({ occurred_at: iso(-CLIENT_EVENT_MAX_AGE_MS - 1) }),
          event({ occurred_at: iso(CLIENT_EVENT_MAX_SKEW_MS + 1) }),
          event({ occurred_at: '2026-11-25T10:00:00' }),
          'nope',
        ],
      },
      NOW,
    );
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.code).toBe('INVALID_EVENTS');
    expect(parsed.errors.map((e) => e.field)).toEqual([
      'events[0].occurred_at',
      'events[1].occurred_at',
      'events[2].occurred_at',
      'events[3]',
    ]);
  });

  it('names UNKNOWN_EVENT when no event is valid and a name is not in the catalog', () => {
    const parsed = parseClientBatch(
      { events: [event({ props: { a: {} } }), event({ name: 'checkout__cta--share' })] },
      NOW,
    );
    expect(parsed).toMatchObject({ ok: false, code: 'UNKNOWN_EVENT' });
  });

  it('keeps the valid events of a batch and lists the others with index, code and field', () => {
    const parsed = parseClientBatch(
      {
        events: [
          event({ name: 'checkout__cta--pay' }),
          event({ name: 'create_trip__cta--generate', props: { destination_count: 2 } }),
          event({ anon_session_id: 'guest' }),
          event({ name: 'create_trip__Model--select' }),
        ],
      },
      NOW,
    );
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect(parsed.events.map((e) => e.name)).toEqual(['create_trip__cta--generate']);
    expect(parsed.rejected.map(({ index, code, field }) => ({ index, code, field }))).toEqual([
      { index: 0, code: 'UNKNOWN_EVENT', field: 'events[0].name' },
      { index: 2, code: 'INVALID_EVENT', field: 'events[2].anon_session_id' },
      { index: 3, code: 'UNKNOWN_EVENT', field: 'events[3].name' },
    ]);
  });
});

describe('parseClientBatch: the app catalog', () => {
  /** The events the travel app fires besides the defaults (shared/CONTEXT.md), with plausible props. */
  const APP_EVENTS: [string, Record<string, unknown>][] = [
    ['create_trip__model--select', { provider: 'openrouter', model: 'google/gemini-2.5-pro' }],
    ['create_trip__cta--blocked_offline', { destination_count: 2 }],
    ['create_trip__cta--redirect_login', { destination_count: 1, date_mode: 'exact' }],
    ['create_trip__cta--queue_pending_auth', { destination_count: 3 }],
    ['create_trip__destination_recommendation--select', { destination: 'Lake Como', position: 2 }],
    ['create_trip__ai_request--failed', { provider: 'openai', model: 'gpt-5.4', error_code: 'TypeError' }],
    ['create_trip__ai_request--success', { provider: 'openai', model: 'gpt-5.4', duration_ms: 41_200 }],
    [
      'create_trip_wizard__cta--generate',
      {
        branch: 'inspire',
        destination_count: 1,
        date_mode: 'flex',
        traveler_type: 'couple',
        transport_override: false,
      },
    ],
  ];

  it('stores every create_trip__* and create_trip_wizard__* event the app fires', () => {
    const parsed = parseClientBatch(
      { events: APP_EVENTS.map(([name, props]) => event({ name, props })) },
      NOW,
    );
    expect(parsed).toMatchObject({ ok: true, rejected: [] });
    if (!parsed.ok) return;
    expect(parsed.events.map((e) => [e.name, e.props])).toEqual(APP_EVENTS);
  });

  it('accepts the prefixes it is given, and no others', () => {
    const catalog = clientEventCatalog(['checkout__']);
    const parsed = parseClientBatch(
      { events: [event({ name: 'checkout__cta--pay' }), event({ name: 'create_trip__model--select' })] },
      NOW,
      catalog,
    );
    expect(parsed).toMatchObject({ ok: true, rejected: [{ index: 1, code: 'UNKNOWN_EVENT' }] });
    // The default catalog's names stay accepted whatever the prefixes.
    expect(parseClientBatch({ events: [event()] }, NOW, clientEventCatalog([]))).toMatchObject({ ok: true });
  });

  it('bounds the props of an extension event tighter than those of the default catalog', () => {
    const long = 'x'.repeat(EXTENSION_PROP_BOUNDS.maxStringLength + 1);
    const manyKeys = Object.fromEntries(
      Array.from({ length: EXTENSION_PROP_BOUNDS.maxKeys + 1 }, (_, i) => [`k${i}`, i]),
    );
    const parsed = parseClientBatch(
      {
        events: [
          event({ name: 'create_trip__section--expand', props: { section_id: long, expanded: true } }),
          event({ name: 'create_trip__notes--change', props: { text: long } }),
          event({ name: 'create_trip__notes--change', props: manyKeys }),
          event({ name: 'create_trip__notes--change', props: { nested: { a: 1 } } }),
          event({ name: 'create_trip__notes--change', props: { text: 'mail me at a@b.example' } }),
        ],
      },
      NOW,
    );
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect(parsed.rejected.map((r) => [r.index, r.field])).toEqual([
      [1, 'events[1].props.text'],
      [2, 'events[2].props'],
      [3, 'events[3].props.nested'],
    ]);
    expect(parsed.events.map((e) => e.props)).toEqual([
      { section_id: long, expanded: true },
      { text: 'mail me at [email]' },
    ]);
  });

  it('refuses names past 100 characters and names not of the grammar', () => {
    for (const name of [`create_trip__${'a'.repeat(90)}`, 'create_trip__', 'create_trip__cta-generate']) {
      expect(parseClientBatch({ events: [event({ name })] }, NOW)).toMatchObject({
        ok: false,
        code: 'UNKNOWN_EVENT',
      });
    }
  });
});

describe('checkProps', () => {
  it('keeps flat scalar props, redacts strings and treats absent props as {}', () => {
    expect(checkProps(undefined)).toEqual({ ok: true, props: {} });
    expect(checkProps({ n: 1.5, b: false, z: null, s: 'see https://x.example/a' })).toEqual({
      ok: true,
      props: { n: 1.5, b: false, z: null, s: 'see [url]' },
    });
  });

  it('refuses arrays, bad keys, long strings and non-scalar values', () => {
    expect(checkProps([1])).toMatchObject({ ok: false, field: 'props' });
    expect(checkProps({ 'a b': 1 })).toMatchObject({ ok: false, field: 'props' });
    expect(checkProps({ s: 'x'.repeat(MAX_PROP_STRING_LENGTH + 1) })).toMatchObject({
      ok: false,
      field: 'props.s',
    });
    expect(checkProps({ x: [1] })).toMatchObject({ ok: false, field: 'props.x' });
  });
});
