import { describe, expect, it, vi } from 'vitest';
import { fakeWindow } from './__fixtures__/fake-window.js';
import { ANON_SESSION_HEADER_NAME, getAnonSessionId, trackedFetch, withAnonSession } from './index.js';

describe('withAnonSession', () => {
  it('adds X-Anon-Session-Id and keeps the other headers and options, without mutating init', () => {
    const { win } = fakeWindow();
    const init: RequestInit = { method: 'POST', body: '{}', headers: { 'content-type': 'application/json' } };
    const out = withAnonSession(init, win);
    const headers = new Headers(out.headers);
    expect(ANON_SESSION_HEADER_NAME).toBe('X-Anon-Session-Id');
    expect(headers.get('x-anon-session-id')).toBe(getAnonSessionId(win));
    expect(headers.get('content-type')).toBe('application/json');
    expect(out.method).toBe('POST');
    expect(out.body).toBe('{}');
    expect(init.headers).toEqual({ 'content-type': 'application/json' });
  });

  it('works with no init and with header tuples', () => {
    const { win } = fakeWindow();
    expect(new Headers(withAnonSession(undefined, win).headers).get('x-anon-session-id')).toBe(
      getAnonSessionId(win),
    );
    const tuples = withAnonSession({ headers: [['x-a', '1']] }, win);
    expect(new Headers(tuples.headers).get('x-a')).toBe('1');
  });
});

describe('trackedFetch', () => {
  it('calls the window fetch with the header', async () => {
    const fetch = vi.fn(async () => new Response('ok'));
    const { win } = fakeWindow({ fetch });
    const res = await trackedFetch('/api/trips', { method: 'POST' }, win);
    expect(await res.text()).toBe('ok');
    const [input, init] = fetch.mock.calls[0] as unknown as [string, RequestInit];
    expect(input).toBe('/api/trips');
    expect(init.method).toBe('POST');
    expect(new Headers(init.headers).get('x-anon-session-id')).toBe(getAnonSessionId(win));
  });

  it("keeps a Request's own headers when init has none", async () => {
    const fetch = vi.fn(async () => new Response(null, { status: 204 }));
    const { win } = fakeWindow({ fetch });
    const request = new Request('https://app.example/api', { headers: { authorization: 'Bearer t' } });
    await trackedFetch(request, undefined, win);
    const [, init] = fetch.mock.calls[0] as unknown as [Request, RequestInit];
    const headers = new Headers(init.headers);
    expect(headers.get('authorization')).toBe('Bearer t');
    expect(headers.get('x-anon-session-id')).toBe(getAnonSessionId(win));
  });
});
