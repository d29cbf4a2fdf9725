import { describe, expect, it } from 'vitest';
import { CLIENT_EVENT_MAX_AGE_MS, CLIENT_EVENT_MAX_SKEW_MS, MAX_PROP_STRING_LENGTH } from './limits.js';
import { parseClientBatch } from './parse-batch.js';
import { checkProps } from './props.js';

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

  it('names UNKNOWN_EVENT when a name is not in the catalog, even among other problems', () => {
    const parsed = parseClientBatch(
      { events: [event({ props: { a: {} } }), event({ name: 'create_trip__cta--share' })] },
      NOW,
    );
    expect(parsed).toMatchObject({ ok: false, code: 'UNKNOWN_EVENT' });
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
