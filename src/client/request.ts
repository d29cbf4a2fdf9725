import { getAnonSessionId } from './anon-session.js';
import { type ClientWindow, defaultWindow } from './platform.js';

/** The request header carrying the anonymous session id (servers read it case-insensitively). */
export const ANON_SESSION_HEADER_NAME = 'X-Anon-Session-Id';

/**
 * A copy of `init` whose headers also carry {@link ANON_SESSION_HEADER_NAME}; `init` is not changed.
 *
 * @example
 * await fetch('/api/trips/enqueue', withAnonSession({ method: 'POST', body }));
 */
export function withAnonSession(init: RequestInit = {}, win: ClientWindow = defaultWindow()): RequestInit {
  const headers = new Headers(init.headers);
  headers.set(ANON_SESSION_HEADER_NAME, getAnonSessionId(win));
  return { ...init, headers };
}

/**
 * `fetch` that adds the anonymous session header. When `input` is a `Request` and `init` has
 * no headers, the request's own headers are kept.
 *
 * @example
 * const res = await trackedFetch('/api/trips/enqueue', { method: 'POST', body });
 */
export function trackedFetch(
  input: RequestInfo | URL,
  init: RequestInit = {},
  win: ClientWindow = defaultWindow(),
): Promise<Response> {
  const base =
    init.headers ?? (typeof Request === 'function' && input instanceof Request ? input.headers : undefined);
  const doFetch = win.fetch ? win : globalThis;
  return doFetch.fetch!(input, withAnonSession({ ...init, headers: base }, win));
}
