import type { Hono } from 'hono';
import { createMiddleware } from 'hono/factory';
import {
  authorizeBeforeBody,
  authorizeSiteKey,
  isSiteOrigin,
  isSiteOriginCached,
  parseClientBatch,
  readClientBody,
  requestOrigin,
  writeClientEvents,
} from '../../client-events/index.js';
import { bodyOf, ProblemError } from '../../web/index.js';
import type { AppDeps } from '../deps.js';

/** The path of the mirror route. */
export const CLIENT_EVENTS_PATH = '/v1/client-events';

/** CORS state of one request: the origin to allow, once known. */
interface CorsEnv {
  Variables: { corsOrigin: string | undefined };
}

/**
 * CORS for `/v1/client-events` only: an origin gets `Access-Control-Allow-Origin` when it is an
 * origin of some active site key (known at once when the request's own key allowed it), and
 * every other origin gets no CORS header at all. Preflights of such origins are answered 204;
 * others are refused 403 `ORIGIN_NOT_ALLOWED`. A 403 never carries the header: the key presented
 * is not this origin's to use, and the page should not learn more about it.
 */
function clientEventsCors(deps: AppDeps) {
  return createMiddleware<CorsEnv>(async (c, next) => {
    const origin = requestOrigin(c.req.header('origin'));
    if (c.req.method === 'OPTIONS') {
      if (origin === undefined || !(await isSiteOrigin(deps.database, origin)))
        throw new ProblemError(403, 'ORIGIN_NOT_ALLOWED', 'this origin may not send client events');
      return c.body(null, 204, {
        'Access-Control-Allow-Origin': origin,
        'Access-Control-Allow-Methods': 'POST',
        'Access-Control-Allow-Headers': 'Content-Type, Authorization',
        'Access-Control-Max-Age': '600',
        Vary: 'Origin',
      });
    }
    await next();
    c.res.headers.append('Vary', 'Origin');
    if (c.res.status === 403 || origin === undefined) return;
    const allowed =
      c.get('corsOrigin') === origin || (await isSiteOriginCached(deps.database, origin, deps.now()));
    if (allowed) c.res.headers.set('Access-Control-Allow-Origin', origin);
  });
}

/**
 * `POST /v1/client-events`: the server side of the browser SDK's funnel mirror. Body
 * `{ site_key, events: [{ id?, name, anon_session_id, occurred_at, props }] }` as `text/plain`
 * or `application/json`, at most 64 KB and 50 events; a `site` key (body or Bearer) used from
 * one of its origins. The key in `Authorization` is checked before the body is read; a key in
 * the body only once read, but the origin first (see `authorizeBeforeBody`). Unknown fields and
 * bad events refuse the batch (422, `errors[]` with index and field); resent events are counted
 * as duplicates. Answers 202 `{ accepted, duplicates }`.
 */
export function clientEventsRoute(app: Hono, deps: AppDeps): void {
  app.on(['OPTIONS', 'POST'], CLIENT_EVENTS_PATH, clientEventsCors(deps), async (c) => {
    const now = deps.now();
    const request = {
      authorization: c.req.header('authorization'),
      origin: requestOrigin(c.req.header('origin')),
      now,
    };
    const early = await authorizeBeforeBody(deps.database, request);
    if (early !== undefined) await deps.rateLimits?.limitKey(early.id);
    const parsed = parseClientBatch(await readClientBody(bodyOf(c)), now);
    const key = early ?? (await authorizeSiteKey(deps.database, { ...request, bodyKey: parsed.siteKey }));
    if (early === undefined) await deps.rateLimits?.limitKey(key.id);
    c.set('corsOrigin', request.origin);
    if (!parsed.ok)
      throw new ProblemError(
        422,
        parsed.code,
        'the batch was refused whole: nothing was stored',
        parsed.errors,
      );
    const result = await writeClientEvents(deps.database, parsed.events, now);
    return c.json(result, 202);
  });
}
