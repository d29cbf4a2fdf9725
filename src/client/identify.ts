import { MIRROR_CONTENT_TYPE, type MirrorOptions } from './mirror.js';
import type { ClientWindow } from './platform.js';
import type { ClientStats } from './stats.js';

/**
 * What `identify` did on the server: `linked` (the anonymous id now belongs to the token's
 * user), `already_linked` (it did before), `anonymous` (the token is of an anonymous Supabase
 * user: a guest, nothing linked).
 */
export type IdentifyOutcome = 'linked' | 'already_linked' | 'anonymous';

/**
 * Sends `{ site_key, anon_session_id, access_token }` to `POST {endpoint}/v1/client-identify` and
 * resolves with the outcome, or `undefined` when it failed (counted in `stats.identifyFailed`);
 * never rejects. `fetch`, not a beacon: a beacon's answer cannot be read, and it sends cookies.
 * JSON as `text/plain`, so no CORS preflight is needed; `credentials: 'omit'`: the site key, not
 * a cookie, is the credential. `keepalive`, because a login is often followed by a navigation.
 */
export async function sendIdentify(
  win: ClientWindow,
  server: MirrorOptions,
  anonSessionId: string,
  accessToken: string,
  stats: ClientStats,
): Promise<IdentifyOutcome | undefined> {
  try {
    const body = JSON.stringify({
      site_key: server.siteKey,
      anon_session_id: anonSessionId,
      access_token: accessToken,
    });
    const doFetch = win.fetch ? win : globalThis;
    const res = await doFetch.fetch!(`${server.endpoint.replace(/\/+$/, '')}/v1/client-identify`, {
      method: 'POST',
      body,
      keepalive: true,
      credentials: 'omit',
      headers: { 'content-type': MIRROR_CONTENT_TYPE },
    });
    if (res.ok) return ((await res.json()) as { outcome: IdentifyOutcome }).outcome;
  } catch {
    // network error or a body that is not JSON: counted below
  }
  stats.identifyFailed++;
  return undefined;
}
